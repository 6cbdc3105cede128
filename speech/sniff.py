"""What kind of audio some bytes are, judged by their magic bytes alone.

A remote server's Content-Type, a browser's upload type and a file's name are claims;
only the bytes decide. Anything not on the allow-list is not audio to us: a voice message
is refused at fetch and served only as a download, an uploaded prompt never reaches
ffmpeg.
"""

from __future__ import annotations

from dataclasses import dataclass

import filetype

SNIFF_BYTES = 8192  # every signature filetype knows sits in the first few hundred bytes


@dataclass(frozen=True)
class AudioKind:
    mime: str  # what we store and serve
    ffmpeg_format: str  # the one demuxer ffmpeg may use to read it (never a guess)
    extension: str


# filetype's extension -> the only audio we accept. WebM is what a browser's MediaRecorder
# makes (the demo's simulator); Twilio sends WAV or MP3.
_ALLOWED: dict[str, AudioKind] = {
    "wav": AudioKind("audio/wav", "wav", "wav"),
    "mp3": AudioKind("audio/mpeg", "mp3", "mp3"),
    "ogg": AudioKind("audio/ogg", "ogg", "ogg"),
    "flac": AudioKind("audio/flac", "flac", "flac"),
    "webm": AudioKind("audio/webm", "matroska", "webm"),
    "m4a": AudioKind("audio/mp4", "mov", "m4a"),  # a phone's voice memo
    "mp4": AudioKind("audio/mp4", "mov", "m4a"),  # the same from phones that brand it mp4
}
ALLOWED_AUDIO_TYPES = frozenset(kind.mime for kind in _ALLOWED.values())


def sniff_audio(data: bytes) -> AudioKind | None:
    """The allow-listed audio kind of ``data``, or None when it is anything else."""
    guessed = filetype.guess(data[:SNIFF_BYTES])
    if guessed is None:
        return None
    return _ALLOWED.get(str(guessed.extension))
