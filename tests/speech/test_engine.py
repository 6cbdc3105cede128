"""The speech engine's child process: a crash in espeak-ng costs one retry, not a call."""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path

import pytest

from speech import engine
from speech.checks import check_audio
from speech.engine import SpeechError, synthesise_wav

SENTENCE = "If you are in danger now, press 1."


def test_a_sentence_becomes_real_audio_in_the_speech_child(tmp_path: Path) -> None:
    wav = tmp_path / "spoken.wav"
    synthesise_wav(SENTENCE, "cy", wav)
    assert check_audio(wav, text=SENTENCE).ok
    assert engine._child is not None and engine._child.poll() is None


def test_the_child_crashing_is_survived_with_the_same_audio(tmp_path: Path) -> None:
    synthesise_wav("Start the child.", "en", tmp_path / "first.wav")
    crashed = engine._child
    assert crashed is not None
    os.kill(crashed.pid, signal.SIGSEGV)  # what espeak-ng's Synth did to its host
    crashed.wait(timeout=10)

    again = tmp_path / "again.wav"
    synthesise_wav(SENTENCE, "en", again)

    assert check_audio(again, text=SENTENCE).ok
    assert engine._child is not None and engine._child.pid != crashed.pid


def test_sentences_one_after_another_are_made_at_the_first_attempt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """As ``audio build`` makes them (each checked before the next) and as Listen in two
    languages at once would ask for them: a sentence lost costs a second's wait and a retry.
    The fault this guards against (the voice set without waiting for espeak-ng) lost one
    sentence in three. pyttsx3 still loses one now and then by itself: once in these 24
    during a full run on 2026-12-08, none in 600 (25 runs) on their own under CPU load; so
    one retry is allowed, and more fails."""
    caplog.set_level(logging.INFO, logger="safereport.speech")
    sentences = ["Choose all that are true.", "Someone is hurting me.", "What is happening"]
    for index in range(24):
        text, voice = sentences[index % 3], ("en", "en", "cy")[index % 3]
        wav = tmp_path / f"{index}.wav"
        synthesise_wav(text, voice, wav)
        assert check_audio(wav, text=text).ok
    retried = [record.getMessage() for record in caplog.records]
    assert len(retried) <= 1, retried


def test_an_unknown_voice_fails_loudly_instead_of_using_the_last_one(tmp_path: Path) -> None:
    synthesise_wav("An English voice first.", "en", tmp_path / "en.wav")
    with pytest.raises(SpeechError, match="no voice"):
        synthesise_wav(SENTENCE, "xx-not-a-voice", tmp_path / "never.wav")
    assert not (tmp_path / "never.wav").exists()
    synthesise_wav(SENTENCE, "en", tmp_path / "after.wav")  # the child still speaks
    assert check_audio(tmp_path / "after.wav", text=SENTENCE).ok


def test_the_child_prints_nothing_on_our_standard_output(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    synthesise_wav(SENTENCE, "en", tmp_path / "quiet.wav")
    out, _ = capfd.readouterr()
    assert "Audio saved" not in out
    assert out == ""
