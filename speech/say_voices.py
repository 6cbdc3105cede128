"""Twilio <Say> voices: the names an establishment may choose, and how they are kept.

An establishment can have Twilio speak a language with one of its voices instead of our
own audio. Twilio accepts Amazon Polly voices (``Polly.Gwyneth``, ``Polly.Amy-Neural``) and
Google voices (``Google.cy-GB-Standard-A``); it does not check that a voice speaks the
language it is given, so a Google voice must name the language's own locale, and only
languages Twilio can speak (translations.languages ``twilio_say_language``) may use one.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum

from translations.languages import BY_CODE

POLLY_VOICE = re.compile(r"^Polly\.[A-Z][A-Za-z]{1,30}(?:-(?:Neural|Generative))?$")
GOOGLE_VOICE = re.compile(r"^Google\.(?P<locale>[a-z]{2,3}-[A-Z]{2})-[A-Za-z0-9]{1,30}-[A-Z]$")
MAX_VOICE_CHARS = 64


class VoiceProblem(StrEnum):
    NOT_A_VOICE_NAME = "not_a_voice_name"
    LANGUAGE_NOT_SPOKEN = "language_not_spoken"  # Twilio has no <Say> language for it
    OTHER_LANGUAGE = "other_language"  # a Google voice of another locale


def voice_problem(language: str, voice: str) -> VoiceProblem | None:
    """What is wrong with choosing ``voice`` for ``language`` (None: nothing)."""
    known = BY_CODE.get(language)
    if known is None or known.twilio_say_language is None:
        return VoiceProblem.LANGUAGE_NOT_SPOKEN
    if len(voice) > MAX_VOICE_CHARS:
        return VoiceProblem.NOT_A_VOICE_NAME
    google = GOOGLE_VOICE.match(voice)
    if google is not None:
        if google["locale"] != known.twilio_say_language:
            return VoiceProblem.OTHER_LANGUAGE
        return None
    if POLLY_VOICE.match(voice) is None:
        return VoiceProblem.NOT_A_VOICE_NAME
    return None


def read_say_voices(stored: str) -> dict[str, str]:
    """The establishment's stored choice, keeping only voices that are still valid."""
    try:
        raw = json.loads(stored or "{}")
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {
        language: voice
        for language, voice in raw.items()
        if isinstance(language, str)
        and isinstance(voice, str)
        and voice_problem(language, voice) is None
    }


def write_say_voices(voices: dict[str, str]) -> str:
    return json.dumps(dict(sorted(voices.items())), separators=(",", ":"))
