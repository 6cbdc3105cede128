"""Checking audio the kiosk serves: a real WAV with real sound in it."""

from __future__ import annotations

import io
import math
import struct
import wave


def loudness(wav_bytes: bytes) -> tuple[float, float]:
    """(seconds, RMS of the 16-bit samples) of a WAV file."""
    with wave.open(io.BytesIO(wav_bytes), "rb") as clip:
        assert clip.getsampwidth() == 2
        frames = clip.readframes(clip.getnframes())
        seconds = clip.getnframes() / clip.getframerate()
    count = len(frames) // 2
    samples = struct.unpack(f"<{count}h", frames[: count * 2])
    rms = math.sqrt(sum(s * s for s in samples) / max(count, 1))
    return seconds, rms


def assert_speech(wav_bytes: bytes, *, min_seconds: float = 0.5) -> None:
    seconds, rms = loudness(wav_bytes)
    assert seconds >= min_seconds, seconds
    assert rms > 300, rms  # silence is 0; espeak-ng speech is in the thousands
