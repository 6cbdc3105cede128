"""Which languages the phone line offers, and the language menu's keys.

A language is offered when the dialled establishment offers it, its catalog exists
(every prompt is translated) and every prompt has audio in it: a recorded prompt, an
espeak-ng voice or a Twilio <Say> voice the establishment chose for it (only languages
Twilio can speak may have one: speech.say_voices). Anything else is left out, with the
reason, so that an admin can see why a language is missing.

The menu scheme (docs/phone-line.md): languages in the establishment's order, most used
first, each announced in its own language. The first nine have keys 1 to 9; any more
share the star key, which opens a second menu of up to eight with keys 1 to 8.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ivr.prompts import LANGUAGE_KEYS, MORE_LANGUAGE_KEYS, inventory
from speech.render import SpeechRenderer
from translations.languages import BY_CODE

MENU_ROOM = len(LANGUAGE_KEYS) + len(MORE_LANGUAGE_KEYS)


@dataclass(frozen=True)
class PhoneLanguages:
    offered: list[str]
    left_out: dict[str, str] = field(default_factory=dict)  # code -> why
    # The offered languages that Twilio's <Say> speaks on this line, with the voice.
    say_voices: Mapping[str, str] = field(default_factory=dict)
    # The establishment's prompts as they were read for this list (None: the defaults).
    renderer: SpeechRenderer | None = field(default=None, compare=False, repr=False)

    @property
    def first_page(self) -> list[str]:
        return self.offered[: len(LANGUAGE_KEYS)]

    @property
    def second_page(self) -> list[str]:
        return self.offered[len(LANGUAGE_KEYS) : MENU_ROOM]

    def first_page_keys(self) -> dict[str, str]:
        return dict(zip(LANGUAGE_KEYS, self.first_page, strict=False))

    def second_page_keys(self) -> dict[str, str]:
        return dict(zip(MORE_LANGUAGE_KEYS, self.second_page, strict=False))

    def menu_keys(self) -> dict[str, tuple[str, ...]]:
        """The keys a caller presses to choose each language, as printed on posters: none
        when the line speaks one language (the menu is skipped), the star key first for
        the second page."""
        if len(self.offered) <= 1:
            return {code: () for code in self.offered}
        keys: dict[str, tuple[str, ...]] = {
            code: (key,) for key, code in self.first_page_keys().items()
        }
        keys.update({code: ("*", key) for key, code in self.second_page_keys().items()})
        return keys


def has_audio_for_every_prompt(
    language: str, renderer: SpeechRenderer, say_voices: Mapping[str, str]
) -> bool:
    known = BY_CODE[language]
    if language in say_voices and known.twilio_say_language is not None:
        return True
    return all(
        renderer.has_audio(line.text, language) for line in inventory(language, known.native_name)
    )


def phone_languages(
    establishment_languages: list[str],
    *,
    catalog_check: Callable[[str], bool],
    renderer: SpeechRenderer,
    say_voices: Mapping[str, str],
) -> PhoneLanguages:
    offered: list[str] = []
    left_out: dict[str, str] = {}
    for code in dict.fromkeys(establishment_languages):
        if code not in BY_CODE:
            left_out[code] = "unknown language"
        elif not catalog_check(code):
            left_out[code] = "no translation catalog"
        elif not has_audio_for_every_prompt(code, renderer, say_voices):
            left_out[code] = "no audio for every prompt (no voice and no recorded prompts)"
        elif len(offered) >= MENU_ROOM:
            left_out[code] = f"the phone menu has room for {MENU_ROOM} languages"
        else:
            offered.append(code)
    voices = {code: say_voices[code] for code in offered if code in say_voices}
    return PhoneLanguages(offered, left_out, voices, renderer)
