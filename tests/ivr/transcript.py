"""Turning what the emulated caller heard back into prompt ids, for readable assertions."""

from __future__ import annotations

import re

from flask import Flask

from ivr.prompts import inventory
from speech.cache import text_key
from tests.ivr.emulator import CallLog
from translations.languages import BY_CODE, LANGUAGES

_PLAY = re.compile(r"/audio/prompts/(?P<language>[a-z]+)/(?P<key>[0-9a-f]{32})\.(tts|rec)\.mp3$")


def prompt_names(app: Flask, languages: list[str] | None = None) -> dict[tuple[str, str], str]:
    codes = languages or [language.code for language in LANGUAGES]
    names: dict[tuple[str, str], str] = {}
    with app.app_context():
        for code in codes:
            for line in inventory(code, BY_CODE[code].native_name):
                names[(code, text_key(line.text, code))] = line.id
    return names


def transcript(app: Flask, log: CallLog, languages: list[str] | None = None) -> list[str]:
    """The ids of the prompts played, in order ("?" for a URL that is not a prompt)."""
    names = prompt_names(app, languages)
    heard: list[str] = []
    for item in log.heard:
        if item.verb == "Pause":
            heard.append("pause")
            continue
        match = _PLAY.search(item.value) if item.verb == "Play" else None
        if match is None:
            heard.append(f"{item.verb}:{item.value}")
            continue
        heard.append(names.get((match["language"], match["key"]), "?"))
    return heard


def digits_read(heard: list[str]) -> str:
    return "".join(name.removeprefix("digit.") for name in heard if name.startswith("digit."))
