"""Rendering a sentence to audio in a language, offline, with pyttsx3 over espeak-ng.

pyttsx3 is not thread-safe and hangs in a child after fork, so one engine is created
lazily per process and used under a lock. ``runAndWait`` can return before espeak has
written the file; we synchronise with espeak and wait for the file (toolchain notes).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Literal

from translations.languages import BY_CODE

AudioFormat = Literal["wav", "mp3"]


class NoVoice(Exception):
    """There is no synthetic voice for this language: recorded prompts are needed."""


class SpeechError(Exception):
    """The engine failed to produce audio."""


_engine_lock = threading.Lock()
_engine: Any = None
_engine_pid: int | None = None
_engine_errors: list[str] = []


def _get_engine() -> Any:
    global _engine, _engine_pid
    if _engine is None or _engine_pid != os.getpid():
        import pyttsx3

        _engine = pyttsx3.init("espeak")
        _engine.connect("error", lambda name, exception: _engine_errors.append(str(exception)))
        _engine_pid = os.getpid()
    return _engine


def synthesise_wav(text: str, voice: str, destination: Path) -> None:
    """Write ``text`` spoken by espeak-ng ``voice`` to ``destination`` as a WAV file."""
    if not text.strip():
        raise SpeechError("nothing to say")
    with _engine_lock:
        engine = _get_engine()
        _engine_errors.clear()
        engine.setProperty("voice", voice)
        engine.setProperty("rate", 150)  # slower than the default 200: easier to follow
        if _engine_errors:
            raise SpeechError(f"espeak-ng has no voice {voice!r}")
        engine.save_to_file(text, str(destination))
        engine.runAndWait()
        from pyttsx3.drivers import _espeak

        _espeak.dll.espeak_Synchronize()
        _wait_for_file(destination)


def _wait_for_file(path: Path, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size > 44:
            return
        time.sleep(0.005)
    raise SpeechError("espeak-ng wrote no audio")


class SpeechRenderer:
    """Audio for (text, language), rendered once and then served from the cache."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir

    def cache_path(self, text: str, language: str, fmt: AudioFormat) -> Path:
        digest = hashlib.sha256(f"{language}\0{text}".encode()).hexdigest()[:32]
        return self.cache_dir / language / f"{digest}.{fmt}"

    def audio_for(self, text: str, language: str, *, fmt: AudioFormat = "mp3") -> Path:
        path = self.cache_path(text, language, fmt)
        if path.exists():
            return path
        voice = BY_CODE[language].espeak_voice
        if voice is None:
            raise NoVoice(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=path.parent) as work:
            wav = Path(work) / "speech.wav"
            synthesise_wav(text, voice, wav)
            out = Path(work) / f"speech.{fmt}"
            if fmt == "mp3":
                _to_mp3(wav, out)
            else:
                wav.replace(out)
            os.replace(out, path)  # atomic: readers never see half a file
        return path


def _to_mp3(wav: Path, mp3: Path) -> None:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SpeechError("ffmpeg is not installed (apt-get install ffmpeg)")
    arguments = ["-nostdin", "-loglevel", "error", "-y", "-i", str(wav), "-ac", "1", "-ar", "22050"]
    arguments += ["-codec:a", "libmp3lame", "-b:a", "32k", str(mp3)]
    # Fixed arguments and our own temporary paths: no untrusted input reaches the command.
    subprocess.run([ffmpeg, *arguments], check=True)  # noqa: S603
