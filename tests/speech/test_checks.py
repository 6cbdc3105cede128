"""Audio checks: silence, implausible length and unreadable files are caught."""

from __future__ import annotations

from pathlib import Path

from speech.checks import check_audio, plausible_duration
from tests.speech.conftest import write_wav


def test_speech_of_plausible_length_passes(tmp_path: Path) -> None:
    text = "Tell us what happened after the tone."
    shortest, longest = plausible_duration(text)
    assert shortest < 2.5 < longest
    assert check_audio(write_wav(tmp_path / "ok.wav", 2.5, amplitude=0.2), text=text).ok


def test_silence_is_caught(tmp_path: Path) -> None:
    verdict = check_audio(write_wav(tmp_path / "quiet.wav", 3.0, amplitude=0.001))
    assert verdict.problem == "silent"


def test_too_short_and_too_long_for_the_text_are_caught(tmp_path: Path) -> None:
    long_text = "Someone is doing sexual things to me that I do not want."
    short = check_audio(write_wav(tmp_path / "short.wav", 0.3, amplitude=0.3), text=long_text)
    assert short.problem is not None and short.problem.startswith("too short")
    long = check_audio(write_wav(tmp_path / "long.wav", 20.0, amplitude=0.3), text="1")
    assert long.problem is not None and long.problem.startswith("too long")


def test_a_file_that_is_not_audio_is_caught(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.wav"
    bogus.write_text("this is not audio")
    verdict = check_audio(bogus)
    assert verdict.problem is not None and verdict.problem.startswith("unreadable")


def test_mp3_is_measured_too(tmp_path: Path) -> None:
    from speech.convert import to_mp3

    mp3 = tmp_path / "tone.mp3"
    to_mp3(write_wav(tmp_path / "tone.wav", 2.0, amplitude=0.3), mp3)
    verdict = check_audio(mp3)
    assert verdict.ok and 1.8 < verdict.duration_seconds < 2.3
