"""Audio for a sentence in a language: a recorded prompt when there is one, else espeak-ng.

``SpeechRenderer(cache_dir).audio_for(text, language, fmt=...)`` returns a file path,
rendering on first use and serving from the cache after that. It is safe to call from
many threads and processes at once (see speech.cache and speech.engine).

Recorded prompts belong to an establishment (or the installation, as a default): a door
takes ``renderer.scoped(establishment_id)`` per request, which reads the database once.
Audio rendered from a recording is named by the recording's hash, so a replaced
recording is rendered afresh and the old file is simply never asked for again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from speech.cache import AudioCache, AudioFormat, publish, text_key
from speech.convert import to_mp3, trim_silence
from speech.engine import SpeechError, synthesise_wav
from speech.numbers import spoken_numbers
from speech.overrides import RecordedPrompts, RecordingSource
from translations.languages import BY_CODE

__all__ = ["AudioFormat", "NoVoice", "SpeechError", "SpeechRenderer"]

RECORDED_DIR = "recorded"  # local copies of recordings, by hash (speech.overrides)
KEY_LENGTH = 32  # rendered files are named by 32 hex digits (speech.cache)


class NoVoice(Exception):
    """There is no synthetic voice for this language: recorded prompts are needed."""


class SpeechRenderer:
    """Audio for (text, language), rendered once and then served from the cache."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        recordings: RecordingSource | None = None,
        establishment_id: int | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.cache = AudioCache(cache_dir)
        self.recordings = recordings
        self.establishment_id = establishment_id
        self.recorded = (
            RecordedPrompts(recordings, cache_dir / RECORDED_DIR, establishment_id)
            if recordings is not None
            else None
        )

    def scoped(
        self, establishment_id: int | None, recordings: RecordingSource | None = None
    ) -> SpeechRenderer:
        """What this establishment's callers hear, as the database says now (read through
        ``recordings`` when given: a door's own session)."""
        return SpeechRenderer(
            self.cache_dir,
            recordings=recordings or self.recordings,
            establishment_id=establishment_id,
        )

    def recordings_fingerprint(self) -> str:
        """Changes whenever a recording this establishment plays is added, replaced or removed."""
        if self.recorded is None:
            return ""
        return self.recorded.fingerprint()

    def has_audio(self, text: str, language: str) -> bool:
        """True when this sentence can be spoken in this language (recorded or synthetic)."""
        return self.recorded_prompt(text, language) is not None or _voice(language) is not None

    def recorded_prompt(self, text: str, language: str) -> str | None:
        """The hash of the recording played for this sentence, or None (synthetic voice)."""
        return self.recorded.digest(text, language) if self.recorded is not None else None

    def _path(self, text: str, language: str, fmt: AudioFormat) -> tuple[Path, str | None]:
        recorded = self.recorded_prompt(text, language)
        if recorded is not None:
            return self.cache.path(language, recorded[:KEY_LENGTH], "rec", fmt), recorded
        return self.cache.path(language, text_key(text, language), "tts", fmt), None

    def cached(self, text: str, language: str, *, fmt: AudioFormat = "mp3") -> Path | None:
        """The audio if it is already rendered, without rendering anything."""
        path, _recorded = self._path(text, language, fmt)
        return path if path.exists() else None

    def audio_for(
        self,
        text: str,
        language: str,
        *,
        fmt: AudioFormat = "mp3",
        inspect: Callable[[Path], None] | None = None,
    ) -> Path:
        """The audio file; ``inspect`` is shown the trimmed WAV when this call renders it."""
        path, recorded = self._path(text, language, fmt)
        if path.exists():
            return path
        voice = _voice(language)
        if recorded is None and voice is None:
            raise NoVoice(language)
        with self.cache.writing(path):
            if path.exists():  # another worker rendered it while we waited
                return path
            with tempfile.TemporaryDirectory(dir=path.parent) as work:
                spoken = Path(work) / "spoken.wav"
                if recorded is not None:
                    assert self.recorded is not None
                    spoken.write_bytes(self.recorded.file(recorded).read_bytes())
                else:
                    assert voice is not None
                    # "116 123" as "1 1 6, 1 2 3": a number read as thousands cannot be dialled.
                    synthesise_wav(spoken_numbers(text), voice, spoken)
                trimmed = Path(work) / "speech.wav"
                trim_silence(spoken, trimmed)  # no dead air between prompts: a shorter call
                if inspect is not None:
                    inspect(trimmed)
                out = trimmed
                if fmt == "mp3":
                    out = Path(work) / "speech.mp3"
                    to_mp3(trimmed, out)
                publish(out, path)
        return path


def has_voice(language: str) -> bool:
    """Whether espeak-ng speaks this language: then every sentence has audio."""
    return _voice(language) is not None


def _voice(language: str) -> str | None:
    known = BY_CODE.get(language)
    return known.espeak_voice if known is not None else None
