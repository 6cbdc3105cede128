"""Recorded prompts: a person's recording that replaces synthetic speech for one sentence.

Needed where espeak-ng has no voice (Somali) and wanted wherever a human voice is
clearer. A recording is stored per language under the key of the exact sentence it
says (``<instance>/prompts/<language>/<key>.wav``): when the sentence's wording changes,
the old recording no longer matches and the prompt needs recording again.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from speech.cache import publish, text_key
from speech.checks import AudioCheck, check_audio
from speech.convert import to_pcm_wav


class RecordingRejected(Exception):
    def __init__(self, check: AudioCheck) -> None:
        super().__init__(check.problem)
        self.check = check


class RecordedPrompts:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, text: str, language: str) -> Path:
        return self.root / language / f"{text_key(text, language)}.wav"

    def find(self, text: str, language: str) -> Path | None:
        path = self.path(text, language)
        return path if path.exists() else None

    def store(self, source: Path, *, text: str, language: str) -> AudioCheck:
        """Check ``source`` (any format ffmpeg reads) and keep it as this sentence's audio.

        Raises RecordingRejected when it is silent, unreadable or implausibly long or short.
        """
        check = check_audio(source, text=text)
        if not check.ok:
            raise RecordingRejected(check)
        final = self.path(text, language)
        final.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=final.parent) as work:
            converted = Path(work) / "prompt.wav"
            to_pcm_wav(source, converted)
            publish(converted, final)
        return check

    def remove(self, text: str, language: str) -> bool:
        """Forget this sentence's recording (its synthetic voice, if any, speaks again)."""
        path = self.path(text, language)
        existed = path.exists()
        path.unlink(missing_ok=True)
        return existed
