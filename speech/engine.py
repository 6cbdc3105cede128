"""Speaking a sentence into a WAV file with pyttsx3 over espeak-ng.

pyttsx3 runs in a child process of its own (speech.synth_child): espeak-ng's synthesiser
has crashed its host process with a segmentation fault, which in a web worker would drop a
caller's call. The child is started lazily per process (pyttsx3 hangs in a child forked
after start, and a gunicorn worker is such a child), used under a lock, and started again
if it dies. When the child cannot answer twice, the espeak-ng program speaks with the same
voice instead.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import select
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from speech.synth_child import SPEECH_RATE

log = logging.getLogger("safereport.speech")
CHILD_ATTEMPTS = 2
CHILD_ANSWER_SECONDS = 20.0  # a long prompt renders in well under a second


class SpeechError(Exception):
    """The engine failed to produce audio."""


class _ChildGone(Exception):
    """The speech child died or stopped answering."""


_child_lock = threading.Lock()
_child: subprocess.Popen[bytes] | None = None
_child_pid_owner: int | None = None


def synthesise_wav(text: str, voice: str, destination: Path) -> None:
    """Write ``text`` spoken by espeak-ng ``voice`` to ``destination`` as a WAV file."""
    if not text.strip():
        raise SpeechError("nothing to say")
    with _child_lock:
        for _attempt in range(CHILD_ATTEMPTS):
            try:
                answer = _ask_child({"text": text, "voice": voice, "path": str(destination)})
            except _ChildGone:
                _stop_child()
                continue
            if answer.get("ok"):
                if answer.get("attempts", 1) > 1:
                    # Rare (pyttsx3 loses a file about once in 150 sentences); many in a
                    # row would mean the child's engine is in trouble.
                    log.info("the speech child made a sentence at attempt %s", answer["attempts"])
                return
            if answer.get("error") == "no-voice":
                raise SpeechError(f"espeak-ng has no voice {voice!r}")
            break  # pyttsx3 lost the file twice: the program never does
    _synthesise_with_program(text, voice, destination)


def _ask_child(request: dict[str, str]) -> dict[str, Any]:
    child = _child_for_this_process()
    assert child.stdin is not None and child.stdout is not None
    try:
        child.stdin.write(json.dumps(request).encode() + b"\n")
        child.stdin.flush()
    except (BrokenPipeError, OSError) as error:
        raise _ChildGone from error
    ready, _, _ = select.select([child.stdout], [], [], CHILD_ANSWER_SECONDS)
    line = child.stdout.readline() if ready else b""
    if not line:
        raise _ChildGone
    answer: dict[str, Any] = json.loads(line)
    return answer


def _child_for_this_process() -> subprocess.Popen[bytes]:
    global _child, _child_pid_owner
    if _child is not None and (_child_pid_owner != os.getpid() or _child.poll() is not None):
        if _child_pid_owner == os.getpid():
            _stop_child()
        else:
            _child = None  # our parent's child: leave it to our parent
    if _child is None:
        _child = subprocess.Popen(
            [sys.executable, "-m", "speech.synth_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        _child_pid_owner = os.getpid()
    return _child


def _stop_child() -> None:
    global _child
    if _child is None:
        return
    if _child_pid_owner == os.getpid():
        _child.kill()
        _child.wait()
    _child = None


def _release_child() -> None:
    with _child_lock:
        _stop_child()


atexit.register(_release_child)


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
