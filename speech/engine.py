"""Speaking a sentence into a WAV file with pyttsx3 over espeak-ng.

pyttsx3 is not thread-safe and hangs in a child after fork, so one engine is created
lazily per process and used under a lock. ``runAndWait`` can return before espeak has
written the file; we synchronise with espeak and wait for the file (toolchain notes).
A process forked from one that had already started the engine cannot use it: there we
call the espeak-ng program instead, which speaks with the same voices.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

SPEECH_RATE = 150  # words a minute; espeak's default 175 is hard to follow on a phone
PYTTSX3_ATTEMPTS = 2
ENGINE_FILE_WAIT_SECONDS = 1.0  # a file that is not there by then never comes


class SpeechError(Exception):
    """The engine failed to produce audio."""


_engine_lock = threading.Lock()
_engine: Any = None
_engine_pid: int | None = None
_engine_errors: list[str] = []


def _engine_for_this_process() -> Any | None:
    """The process's engine, started on first use; None in a child forked after start."""
    global _engine, _engine_pid
    if _engine is not None and _engine_pid != os.getpid():
        return None  # the engine's threads did not survive the fork
    if _engine is None:
        import pyttsx3

        _engine = pyttsx3.init("espeak")
        _engine.connect("error", lambda name, exception: _engine_errors.append(str(exception)))
        _engine_pid = os.getpid()
        atexit.register(_release_engine)
    return _engine


def _release_engine() -> None:
    """Let pyttsx3 tidy up at exit while its modules still exist (its __del__ fails later)."""
    global _engine
    with _engine_lock:
        _engine = None


def synthesise_wav(text: str, voice: str, destination: Path) -> None:
    """Write ``text`` spoken by espeak-ng ``voice`` to ``destination`` as a WAV file."""
    if not text.strip():
        raise SpeechError("nothing to say")
    with _engine_lock:
        engine = _engine_for_this_process()
        if engine is not None:
            for _attempt in range(PYTTSX3_ATTEMPTS):
                if _synthesise_with_engine(engine, text, voice, destination):
                    return
        # A forked child, or pyttsx3 lost the file again (about 1 in 150 measured here):
        # the espeak-ng program speaks with the same voice and never loses it.
        _synthesise_with_program(text, voice, destination)


def _synthesise_with_engine(engine: Any, text: str, voice: str, destination: Path) -> bool:
    _engine_errors.clear()
    engine.setProperty("voice", voice)
    engine.setProperty("rate", SPEECH_RATE)
    if _engine_errors:
        # pyttsx3 would otherwise speak with the previous voice, silently.
        raise SpeechError(f"espeak-ng has no voice {voice!r}")
    # The espeak driver prints "Audio saved to ..." on standard output; keep it quiet.
    with contextlib.redirect_stdout(io.StringIO()):
        engine.save_to_file(text, str(destination))
        engine.runAndWait()
    from pyttsx3.drivers import _espeak

    _espeak.dll.espeak_Synchronize()
    try:
        _wait_for_file(destination, timeout=ENGINE_FILE_WAIT_SECONDS)
    except SpeechError:
        return False
    return True


def _synthesise_with_program(text: str, voice: str, destination: Path) -> None:
    program = shutil.which("espeak-ng")
    if program is None:
        raise SpeechError("espeak-ng is not installed (apt-get install espeak-ng)")
    arguments = ["-v", voice, "-s", str(SPEECH_RATE), "-w", str(destination), "--", text]
    # No shell: the text is one argument, never interpreted.
    result = subprocess.run([program, *arguments], capture_output=True, timeout=30)  # noqa: S603
    if result.returncode != 0:
        raise SpeechError(f"espeak-ng failed for voice {voice!r}")
    _wait_for_file(destination)


def _wait_for_file(path: Path, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size > 44:
            return
        time.sleep(0.005)
    raise SpeechError("espeak-ng wrote no audio")
