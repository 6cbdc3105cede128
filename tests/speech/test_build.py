"""``audio build``: every prompt rendered once, checked as it is made, on every core."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

import pytest

import speech.checks
from speech.build import build_audio, build_audio_in_parallel
from speech.cache import text_key
from speech.checks import check_audio
from speech.inventory import PromptLine
from speech.render import SpeechRenderer
from tests.speech.conftest import write_wav
from tests.support.prompts import MemoryRecordings

LINES = [
    PromptLine("danger.question", "If you are in danger now, press 1."),
    PromptLine("code.read", "Your code is 1 2 3 4."),
    PromptLine("goodbye", "Thank you. Goodbye."),
]


def _no_decoding(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the new MP3 was decoded again to be checked")


def test_new_audio_is_checked_before_it_is_encoded_and_bad_audio_is_named(
    renderer: SpeechRenderer,
    recordings: MemoryRecordings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A recording kept silent by mistake (an import checks it; an old database may not have).
    silent = write_wav(tmp_path / "silent.wav", 2.0, amplitude=0.0).read_bytes()
    digest = hashlib.sha256(silent).hexdigest()
    recordings.blobs[digest] = silent
    recordings.scopes[None] = {("en", text_key(LINES[2].text, "en")): digest}
    monkeypatch.setattr(speech.checks, "to_pcm_wav", _no_decoding)
    report = build_audio(renderer.scoped(None), [("en", line) for line in LINES])
    assert report.rendered == 3 and report.reused == 0
    assert report.failed == [("en", "goodbye", "silent")]
    assert not report.missing


def test_every_core_renders_and_each_prompt_is_made_once(tmp_path: Path) -> None:
    work = [(language, line) for language in ("en", "cy", "so") for line in LINES]
    cache = tmp_path / "cache"
    advanced: list[int] = []
    first = build_audio_in_parallel(
        partial(SpeechRenderer, cache), work, workers=2, advance=advanced.append
    )
    assert sum(advanced) == len(work)
    assert first.rendered == 6 and first.reused == 0 and not first.failed
    # Somali has no computer voice: its prompts need recordings, and the build says so.
    assert sorted(first.missing) == sorted(("so", line.id) for line in LINES)
    renderer = SpeechRenderer(cache)
    for language in ("en", "cy"):
        for line in LINES:
            made = renderer.cached(line.text, language)
            assert made is not None and check_audio(made, text=line.text).ok
    again = build_audio_in_parallel(partial(SpeechRenderer, cache), work, workers=2)
    assert again.rendered == 0 and again.reused == 6
