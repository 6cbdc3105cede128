"""The prompts themselves: Easy Read, ready for translators, and audible in every voice."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from flask import Flask

from ivr.prompts import inventory
from speech.checks import check_audio
from speech.render import SpeechRenderer
from translations.languages import BY_CODE, LANGUAGES

PROMPT_FILES = [
    Path(__file__).parents[2] / "ivr" / name
    for name in ("prompts.py", "pin_prompts.py", "wish_prompts.py")
]
_SENTENCE_END = re.compile(r"(?<=[.?!:])\s+")


def test_every_english_prompt_is_short_sentences(app: Flask) -> None:
    with app.app_context():
        lines = inventory("en", "English")
    too_long = [
        (line.id, sentence)
        for line in lines
        for sentence in _SENTENCE_END.split(line.text)
        if len(sentence.split()) > 15
    ]
    assert too_long == []
    assert len({line.id for line in lines}) == len(lines)


def test_every_prompt_string_has_a_note_for_translators() -> None:
    messages = [
        message
        for path in PROMPT_FILES
        for message in extract_from_file(
            "python", str(path), keywords={"_": None}, comment_tags=("Translators:",)
        )
    ]
    assert len(messages) > 50
    missing = [message for _line, message, comments, _ctx in messages if not comments]
    assert missing == []


VOICED = [language.code for language in LANGUAGES if language.espeak_voice]


@pytest.mark.one_database
@pytest.mark.parametrize("language", VOICED)
def test_every_prompt_has_real_audio_in_every_voice(
    app: Flask, renderer: SpeechRenderer, language: str
) -> None:
    """Not silent, and about as long as its sentence. Checked on the trimmed WAV every
    format is made from; English also as the MP3 that is served (``audio build`` checks
    each MP3 it makes). Audio does not depend on the database: this runs with SQLite."""
    with app.app_context():
        lines = inventory(language, BY_CODE[language].native_name)
    formats = ("wav", "mp3") if language == "en" else ("wav",)

    def problems(text: str) -> list[str]:
        found = []
        for fmt in formats:
            path = renderer.audio_for(text, language, fmt=fmt)  # type: ignore[arg-type]
            verdict = check_audio(path, text=text)
            if verdict.problem is not None:
                found.append(f"{fmt}: {verdict.problem}")
        return found

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(problems, [line.text for line in lines]))
    bad = {line.id: found for line, found in zip(lines, results, strict=True) if found}
    assert bad == {}
