"""The audio cache on disk: content-addressed files, written atomically, one writer per file.

Several gunicorn workers (processes) and threads may ask for the same missing prompt at
once. Each file has a lock file; the first asker renders while the others wait and then
find the file. Files appear by ``os.replace``, so a reader never sees half a file.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

AudioFormat = Literal["wav", "mp3"]
FORMATS: tuple[AudioFormat, ...] = ("wav", "mp3")
_NAME = re.compile(r"^[0-9a-f]{32}\.(tts|rec)\.(wav|mp3)$")

_thread_locks: dict[Path, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


def text_key(text: str, language: str) -> str:
    """The name of a sentence's audio: the same sentence in the same language, the same key."""
    return hashlib.sha256(f"{language}\0{text}".encode()).hexdigest()[:32]


def is_cache_file_name(name: str) -> bool:
    return _NAME.match(name) is not None


class AudioCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, language: str, key: str, source: str, fmt: AudioFormat) -> Path:
        return self.root / language / f"{key}.{source}.{fmt}"

    @contextmanager
    def writing(self, path: Path) -> Iterator[None]:
        """Hold the lock for ``path`` across threads and processes."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with _thread_lock(path), open(path.with_suffix(path.suffix + ".lock"), "a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def forget(self, language: str, key: str, source: str) -> None:
        for fmt in FORMATS:
            self.path(language, key, source, fmt).unlink(missing_ok=True)


@contextmanager
def _thread_lock(path: Path) -> Iterator[None]:
    # flock is per open file description, so threads of one process need their own lock.
    with _thread_locks_guard:
        lock = _thread_locks.setdefault(path, threading.Lock())
    with lock:
        yield


def publish(temporary: Path, final: Path) -> None:
    """Make a finished file visible at once, durable before it is seen."""
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, final)
