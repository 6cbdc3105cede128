from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import pytest

from speech.render import SpeechRenderer
from tests.support.prompts import MemoryRecordings


@pytest.fixture
def recordings() -> MemoryRecordings:
    return MemoryRecordings()


@pytest.fixture
def renderer(tmp_path: Path, recordings: MemoryRecordings) -> SpeechRenderer:
    return SpeechRenderer(tmp_path / "cache", recordings=recordings)


def write_wav(path: Path, seconds: float, *, amplitude: float, rate: int = 8000) -> Path:
    """A WAV of a 440 Hz tone (amplitude 0 is silence), as a stand-in for a recording."""
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        samples = (
            int(amplitude * 32767 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(frames)
        )
        audio.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path
