"""Checking audio the kiosk serves: a real WAV with real sound in it."""

from __future__ import annotations

import io
import math
import sys
import wave
from array import array
from operator import mul


def loudness(wav_bytes: bytes) -> tuple[float, float]:
    """(seconds, RMS of the 16-bit samples) of a WAV file."""
    with wave.open(io.BytesIO(wav_bytes), "rb") as clip:
        assert clip.getsampwidth() == 2
        frames = clip.readframes(clip.getnframes())
        seconds = clip.getnframes() / clip.getframerate()
    count = len(frames) // 2
    samples = array("h", frames[: count * 2])
    if sys.byteorder == "big":  # WAV samples are little-endian
        samples.byteswap()
    # map(mul) squares in C: a generator did it one Python step per sample (seconds a run).
    rms = math.sqrt(sum(map(mul, samples, samples)) / max(count, 1))
    return seconds, rms


def assert_speech(wav_bytes: bytes, *, min_seconds: float = 0.5) -> None:
    seconds, rms = loudness(wav_bytes)
    assert seconds >= min_seconds, seconds
    assert rms > 300, rms  # silence is 0; espeak-ng speech is in the thousands
