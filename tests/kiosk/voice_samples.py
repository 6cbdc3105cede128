"""Voice messages for the tests, made with ffmpeg as a browser's MediaRecorder makes them:
Opus in WebM or Ogg. Each carries a marker in its metadata, so a search of the stored
database bytes would find the audio if it were ever stored unsealed."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory

VOICE_MARKER = "VOICE-MARKER-9c1e-said-on-the-landing"


@cache
def voice_sample(extension: str = "webm", seconds: float = 3) -> bytes:
    with TemporaryDirectory() as folder:
        out = Path(folder) / f"voice.{extension}"
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
             "-i", f"sine=frequency=330:duration={seconds}", "-c:a", "libopus", "-b:a", "32k",
             "-metadata", f"title={VOICE_MARKER}", "-y", str(out)],
            check=True,
        )  # fmt: skip
        return out.read_bytes()


def too_long_ogg() -> bytes:
    """An Ogg whose last page says it ends after 400 seconds."""
    audio = bytearray(voice_sample("ogg"))
    last = audio.rfind(b"OggS")
    audio[last + 6 : last + 14] = (400 * 48_000).to_bytes(8, "little")
    return bytes(audio)


def too_long_webm() -> bytes:
    """A WebM with a last cluster starting at 327.68 seconds."""
    cluster = b"\x1f\x43\xb6\x75\x01\xff\xff\xff\xff\xff\xff\xff\xe7\x83\x05\x00\x00"
    return voice_sample("webm") + cluster
