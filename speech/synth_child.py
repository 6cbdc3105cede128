"""The speech child: pyttsx3 over espeak-ng, in a process of its own.

espeak-ng's ``Synth`` crashed the whole test process with a segmentation fault (seen in
December 2026, about once in a full run). In a web worker that would drop a caller's call,
so the engine runs here instead, behind a pipe: if it dies, the parent starts another one
and the request is tried again (see speech.engine).

Protocol: one JSON object per line on standard input, ``{"text", "voice", "path"}``; one
JSON line back, ``{"ok": true, "attempts": n}`` or
``{"ok": false, "error": "no-voice" | "no-file"}``.
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
    speaker = _Speaker()
    for line in sys.stdin:
        _reply(replies, speaker.speak(json.loads(line)))


class _Speaker:
    """One pyttsx3 engine, told its voice and rate only when the voice changes, and then
    waited for until espeak-ng has taken them.

    Setting them before every sentence without waiting made espeak-ng say nothing for the
    next sentence about one time in three whenever the parent did some work between
    sentences (as ``audio build`` does, checking each one): each such sentence cost a
    second's wait for a file that never came and a second try (measured December 2026: 94
    of 232 kiosk sentences; with the voice changing at every sentence, 10 of 40).
    """

    def __init__(self) -> None:
        import pyttsx3

        self.engine = pyttsx3.init("espeak")
        self.errors: list[str] = []
        self.engine.connect("error", lambda name, exception: self.errors.append(str(exception)))
        self.voice: str | None = None

    def speak(self, request: dict[str, str]) -> dict[str, Any]:
        if request["voice"] != self.voice and not self._use_voice(request["voice"]):
            # pyttsx3 would otherwise speak with the previous voice, silently.
            return {"ok": False, "error": "no-voice"}
        destination = Path(request["path"])
        for attempt in range(1, ATTEMPTS + 1):
            with contextlib.redirect_stdout(io.StringIO()):
                self.engine.save_to_file(request["text"], str(destination))
                self.engine.runAndWait()
            from pyttsx3.drivers import _espeak

            _espeak.dll.espeak_Synchronize()
            if _file_arrives(destination):
                return {"ok": True, "attempts": attempt}
        return {"ok": False, "error": "no-file"}

    def _use_voice(self, voice: str) -> bool:
        self.errors.clear()
        self.engine.setProperty("voice", voice)
        self.engine.setProperty("rate", SPEECH_RATE)
        from pyttsx3.drivers import _espeak

        _espeak.dll.espeak_Synchronize()
        self.voice = None if self.errors else voice  # unknown: set it again next time
        return not self.errors


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
