"""Recorded prompts: a person's recording that replaces synthetic speech for one sentence.

Needed where espeak-ng has no voice (Somali) and wanted wherever a human voice is
clearer. The recordings live in the database, so that every app server plays the same
(the door hands us a ``RecordingSource``; speech/ never imports storage/). Each is named
by the key of the exact sentence it says: when the wording changes, the old recording no
longer matches and the prompt needs recording again.

What a caller of establishment E hears in language L: E's recording, else the
installation's default recording, else the computer voice. The source answers the first
two in one look-up (``digests``), by the SHA-256 of the audio.

Each server keeps a local copy of the audio it played, named by that hash, and never trusts
it over the database: a copy whose bytes do not hash to its name (damaged, truncated,
edited by hand) is fetched again, and a replaced recording has a new hash, so a stale copy
is never served.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from speech.cache import AudioCache, publish, text_key
from speech.checks import AudioCheck, check_audio
from speech.convert import to_pcm_wav

log = logging.getLogger("safereport.speech")


class RecordingRejected(Exception):
    def __init__(self, check: AudioCheck) -> None:
        super().__init__(check.problem)
        self.check = check


class RecordingMissing(Exception):
    """The database no longer holds audio this server was told to play."""


class RecordingSource(Protocol):
    """Where recordings are kept (the database, through safeguarding)."""

    def digests(
        self, establishment_id: int | None, *, inherit: bool = True
    ) -> Mapping[tuple[str, str], str]:
        """(language, sentence key) -> SHA-256 of the audio this establishment plays:
        its own recording, else (``inherit``) the installation's default. None: the
        defaults alone."""
        ...

    def audio(self, digest: str) -> bytes | None: ...


@dataclass(frozen=True)
class PreparedRecording:
    """An upload, checked and converted to the 16-bit PCM WAV that is kept."""

    audio: bytes
    digest: str
    check: AudioCheck


def prepare_recording(source: Path, *, text: str) -> PreparedRecording:
    """Check ``source`` (any format we accept) for this sentence and convert it.

    Raises RecordingRejected when it is silent, unreadable or implausibly long or short.
    """
    check = check_audio(source, text=text)
    if not check.ok:
        raise RecordingRejected(check)
    with tempfile.TemporaryDirectory() as work:
        converted = Path(work) / "prompt.wav"
        to_pcm_wav(source, converted)
        audio = converted.read_bytes()
    return PreparedRecording(audio, hashlib.sha256(audio).hexdigest(), check)


class RecordedPrompts:
    """One establishment's recorded prompts as the database had them when first asked.

    Take a new one per request (``SpeechRenderer.scoped``): it reads the source once.
    """

    def __init__(
        self, source: RecordingSource, cache_root: Path, establishment_id: int | None
    ) -> None:
        self.source = source
        self.establishment_id = establishment_id
        self.files = AudioCache(cache_root)
        self.root = cache_root
        self._digests: Mapping[tuple[str, str], str] | None = None

    def _read(self) -> Mapping[tuple[str, str], str]:
        if self._digests is None:
            try:
                self._digests = self.source.digests(self.establishment_id)
            except Exception as exc:  # the database is down: the computer voice still speaks
                log.warning("recorded prompts unreadable (%s): computer voice", type(exc).__name__)
                self._digests = {}
        return self._digests

    def digest(self, text: str, language: str) -> str | None:
        return self._read().get((language, text_key(text, language)))

    def fingerprint(self) -> str:
        found = sorted(
            f"{language}:{key}:{digest}" for (language, key), digest in self._read().items()
        )
        return hashlib.sha256("\n".join(found).encode()).hexdigest()

    def find(self, text: str, language: str) -> str | None:
        """The hash of this sentence's recording, or None when nobody recorded it."""
        return self.digest(text, language)

    def file(self, digest: str) -> Path:
        """A local copy of the audio, checked against its hash, fetched when missing or wrong."""
        path = self.root / f"{digest}.wav"
        if _holds(path, digest):
            return path
        with self.files.writing(path):
            if _holds(path, digest):  # another worker fetched it while we waited
                return path
            audio = self.source.audio(digest)
            if audio is None or hashlib.sha256(audio).hexdigest() != digest:
                raise RecordingMissing(digest)
            with tempfile.TemporaryDirectory(dir=path.parent) as work:
                fetched = Path(work) / "prompt.wav"
                fetched.write_bytes(audio)
                publish(fetched, path)
        return path


def _holds(path: Path, digest: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except FileNotFoundError:
        return False
