"""Audio for a sentence in a language: a recorded prompt when there is one, else espeak-ng.

``SpeechRenderer(cache_dir).audio_for(text, language, fmt=...)`` returns a file path,
rendering on first use and serving from the cache after that. It is safe to call from
many threads and processes at once (see speech.cache and speech.engine).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from speech.cache import AudioCache, AudioFormat, publish, text_key
from speech.convert import to_mp3, trim_silence
from speech.engine import SpeechError, synthesise_wav
from speech.overrides import RecordedPrompts
from translations.languages import BY_CODE

__all__ = ["AudioFormat", "NoVoice", "SpeechError", "SpeechRenderer"]


class NoVoice(Exception):
    """There is no synthetic voice for this language: recorded prompts are needed."""


class SpeechRenderer:
    """Audio for (text, language), rendered once and then served from the cache."""

    def __init__(self, cache_dir: Path, *, recorded_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.cache = AudioCache(cache_dir)
        self.recorded = RecordedPrompts(recorded_dir) if recorded_dir is not None else None

    def has_audio(self, text: str, language: str) -> bool:
        """True when this sentence can be spoken in this language (recorded or synthetic)."""
        return self.recorded_prompt(text, language) is not None or _voice(language) is not None

    def recorded_prompt(self, text: str, language: str) -> Path | None:
        return self.recorded.find(text, language) if self.recorded is not None else None

    def cached(self, text: str, language: str, *, fmt: AudioFormat = "mp3") -> Path | None:
        """The audio if it is already rendered, without rendering anything."""
        recorded = self.recorded_prompt(text, language)
        source = "rec" if recorded is not None else "tts"
        path = self.cache.path(language, text_key(text, language), source, fmt)
        return path if _fresh(path, recorded) else None

    def audio_for(self, text: str, language: str, *, fmt: AudioFormat = "mp3") -> Path:
        recorded = self.recorded_prompt(text, language)
        source = "rec" if recorded is not None else "tts"
        path = self.cache.path(language, text_key(text, language), source, fmt)
        if _fresh(path, recorded):
            return path
        voice = _voice(language)
        if recorded is None and voice is None:
            raise NoVoice(language)
        with self.cache.writing(path):
            if _fresh(path, recorded):  # another worker rendered it while we waited
                return path
            with tempfile.TemporaryDirectory(dir=path.parent) as work:
                spoken = Path(work) / "spoken.wav"
                if recorded is not None:
                    spoken.write_bytes(recorded.read_bytes())
                else:
                    assert voice is not None
                    synthesise_wav(text, voice, spoken)
                trimmed = Path(work) / "speech.wav"
                trim_silence(spoken, trimmed)  # no dead air between prompts: a shorter call
                out = trimmed
                if fmt == "mp3":
                    out = Path(work) / "speech.mp3"
                    to_mp3(trimmed, out)
                publish(out, path)
        return path


def _voice(language: str) -> str | None:
    known = BY_CODE.get(language)
    return known.espeak_voice if known is not None else None


def _fresh(path: Path, recorded: Path | None) -> bool:
    """Rendered, and not older than the recorded prompt it came from (re-imports win)."""
    try:
        rendered = path.stat().st_mtime_ns
    except FileNotFoundError:
        return False
    return recorded is None or rendered >= recorded.stat().st_mtime_ns
