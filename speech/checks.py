"""Is this audio a real spoken prompt? Not silent, and about as long as its text needs."""

from __future__ import annotations

import math
import operator
import tempfile
import wave
from array import array
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from speech.convert import ConversionError, to_pcm_wav

# Speech carries energy well above this (as a share of full scale); dither and hiss do not.
SILENCE_RMS = 0.01
# espeak at 150 words a minute says about 12-15 characters a second; people vary more.
SECONDS_PER_CHARACTER_MIN = 0.02
SECONDS_PER_CHARACTER_MAX = 0.25
SHORTEST_SECONDS = 0.2
SLACK_SECONDS = 2.5


class AudioProblem(StrEnum):
    """Why audio is refused, as a code a door can translate (``problem`` says it in English)."""

    UNREADABLE = "unreadable"
    SILENT = "silent"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class AudioCheck:
    duration_seconds: float
    rms: float
    problem: str | None  # None when the audio is fine
    kind: AudioProblem | None = None
    limit_seconds: float = 0.0  # for TOO_SHORT and TOO_LONG: the bound it missed

    @property
    def ok(self) -> bool:
        return self.problem is None


def plausible_duration(text: str) -> tuple[float, float]:
    """The shortest and longest a spoken ``text`` should take, in seconds."""
    characters = len(text.strip())
    shortest = max(SHORTEST_SECONDS, characters * SECONDS_PER_CHARACTER_MIN)
    longest = SLACK_SECONDS + characters * SECONDS_PER_CHARACTER_MAX
    return shortest, longest


def check_audio(path: Path, *, text: str | None = None) -> AudioCheck:
    """Measure ``path`` (any format ffmpeg reads) and say what, if anything, is wrong."""
    try:
        duration, rms = _measure(path)
    except (ConversionError, wave.Error, EOFError, OSError) as exc:
        return AudioCheck(0.0, 0.0, f"unreadable audio: {exc}", AudioProblem.UNREADABLE)
    if rms < SILENCE_RMS:
        return AudioCheck(duration, rms, "silent", AudioProblem.SILENT)
    if text is not None:
        shortest, longest = plausible_duration(text)
        if duration < shortest:
            problem = f"too short ({duration:.1f}s, at least {shortest:.1f}s)"
            return AudioCheck(duration, rms, problem, AudioProblem.TOO_SHORT, shortest)
        if duration > longest:
            problem = f"too long ({duration:.1f}s, at most {longest:.1f}s)"
            return AudioCheck(duration, rms, problem, AudioProblem.TOO_LONG, longest)
    return AudioCheck(duration, rms, None)


def _measure(path: Path) -> tuple[float, float]:
    if _is_pcm16_mono_wav(path):
        return _measure_wav(path)
    with tempfile.TemporaryDirectory() as work:
        decoded = Path(work) / "decoded.wav"
        to_pcm_wav(path, decoded)
        return _measure_wav(decoded)


def _is_pcm16_mono_wav(path: Path) -> bool:
    try:
        with wave.open(str(path), "rb") as audio:
            return audio.getsampwidth() == 2 and audio.getnchannels() == 1
    except (wave.Error, EOFError):
        return False


def _measure_wav(path: Path) -> tuple[float, float]:
    with wave.open(str(path), "rb") as audio:
        frames = audio.getnframes()
        rate = audio.getframerate()
        samples = array("h")
        samples.frombytes(audio.readframes(frames))
    if not samples:
        return 0.0, 0.0
    mean_square = sum(map(operator.mul, samples, samples)) / len(samples)
    return frames / rate, math.sqrt(mean_square) / 32768.0
