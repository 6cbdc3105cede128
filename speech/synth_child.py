"""The speech child: pyttsx3 over espeak-ng, in a process of its own.

espeak-ng's ``Synth`` crashed the whole test process with a segmentation fault (seen in
December 2026, about once in a full run). In a web worker that would drop a caller's call,
so the engine runs here instead, behind a pipe: if it dies, the parent starts another one
and the request is tried again (see speech.engine).

Protocol: one JSON object per line on standard input, ``{"text", "voice", "path"}``; one
JSON line back, ``{"ok": true}`` or ``{"ok": false, "error": "no-voice" | "no-file"}``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import IO, Any

SPEECH_RATE = 150  # words a minute; espeak's default 175 is hard to follow on a phone
FILE_WAIT_SECONDS = 1.0  # a file that is not there by then never comes
ATTEMPTS = 2  # runAndWait loses the file about once in 150 tries (toolchain notes)


def main() -> None:
    # The protocol keeps its own copy of standard output; espeak and pyttsx3 print to
    # standard output themselves ("Audio saved to ..."), so that goes nowhere.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    import pyttsx3

    engine = pyttsx3.init("espeak")
    errors: list[str] = []
    engine.connect("error", lambda name, exception: errors.append(str(exception)))
    for line in sys.stdin:
        request = json.loads(line)
        _reply(replies, _speak(engine, errors, request))


def _speak(engine: Any, errors: list[str], request: dict[str, str]) -> dict[str, Any]:
    errors.clear()
    engine.setProperty("voice", request["voice"])
    engine.setProperty("rate", SPEECH_RATE)
    if errors:
        # pyttsx3 would otherwise speak with the previous voice, silently.
        return {"ok": False, "error": "no-voice"}
    destination = Path(request["path"])
    for _attempt in range(ATTEMPTS):
        with contextlib.redirect_stdout(io.StringIO()):
            engine.save_to_file(request["text"], str(destination))
            engine.runAndWait()
        from pyttsx3.drivers import _espeak

        _espeak.dll.espeak_Synchronize()
        if _file_arrives(destination):
            return {"ok": True}
    return {"ok": False, "error": "no-file"}


def _file_arrives(path: Path) -> bool:
    deadline = time.monotonic() + FILE_WAIT_SECONDS
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size > 44:
            return True
        time.sleep(0.005)
    return False


def _reply(replies: IO[str], answer: dict[str, Any]) -> None:
    replies.write(json.dumps(answer) + "\n")
    replies.flush()


if __name__ == "__main__":
    main()
