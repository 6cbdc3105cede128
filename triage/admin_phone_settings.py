"""The phone-line part of an establishment's settings: which languages Twilio's <Say>
speaks instead of our own audio, and whether a caller's number is kept (sealed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from speech.say_voices import VoiceProblem, read_say_voices, voice_problem
from storage.models import Establishment
from translations.i18n import _
from translations.languages import LANGUAGES
from triage.labels import language_name

VOICE_FIELD = "say_voice-{code}"
KEEP_NUMBER_FIELD = "keep_caller_number"


@dataclass(frozen=True)
class VoiceRow:
    code: str
    name: str
    field: str
    voice: str  # "" for our own audio
    twilio_language: str | None  # None: Twilio cannot speak it, only our own audio


def voice_rows(establishment: Establishment, form: Mapping[str, str] | None) -> list[VoiceRow]:
    chosen = read_say_voices(establishment.say_voices)
    rows = []
    for language in LANGUAGES:
        field = VOICE_FIELD.format(code=language.code)
        voice = form.get(field, "") if form else chosen.get(language.code, "")
        rows.append(
            VoiceRow(
                language.code,
                language_name(language.code),
                field,
                voice,
                language.twilio_say_language,
            )
        )
    return rows


def phone_settings_problems(form: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The voices chosen in the form, and what is wrong with any of them."""
    voices: dict[str, str] = {}
    errors: dict[str, str] = {}
    for language in LANGUAGES:
        field = VOICE_FIELD.format(code=language.code)
        voice = form.get(field, "").strip()
        if not voice:
            continue
        problem = voice_problem(language.code, voice)
        if problem is None:
            voices[language.code] = voice
        else:
            errors[field] = _voice_message(problem, language.twilio_say_language or "")
    return voices, errors


def _voice_message(problem: VoiceProblem, locale: str) -> str:
    if problem == VoiceProblem.OTHER_LANGUAGE:
        # Translators: error on the establishment settings form; %(locale)s is like cy-GB.
        return _(
            "This Google voice speaks another language. Choose one for %(locale)s.", locale=locale
        )
    if problem == VoiceProblem.LANGUAGE_NOT_SPOKEN:
        # Translators: error on the establishment settings form.
        return _("Twilio has no voice for this language. Leave it empty and record the prompts.")
    # Translators: error on the establishment settings form; keep the voice names as they are.
    return _("Enter a Twilio voice name like Polly.Gwyneth, or leave it empty.")
