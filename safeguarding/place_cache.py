"""A per-process cache of what a door shows about an establishment.

A kiosk page needs the establishment's name, languages, wings and phone number: three reads
that rarely change. The cache keeps one value per establishment with the establishment's
``place_version``, and every lookup first reads the current version in the caller's
transaction (one indexed read of one integer; the kiosk reads it joined to its device and
passes it to ``get_at``). How it is invalidated: the database bumps
``place_version`` itself, by triggers (storage migration 0021_place_versions), on every
insert, update or delete of the establishment, its locations or its phone lines, whichever
process or connection makes it. So a cached value is used only while the version it was
built at is still current: it cannot outlive a committed change, and it is keyed by the
establishment's id, so one establishment's value is never shown for another. Each app
holds its own cache (``app.extensions``), so two databases in one process never share one.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from storage.repositories.drafts import find_place_version

Value = TypeVar("Value")


class PlaceCache(Generic[Value]):
    """``get`` returns ``build(session, establishment_id)``, built again only when the
    establishment's place_version has moved since it was last built."""

    def __init__(self, build: Callable[[Session, int], Value]) -> None:
        self._build = build
        self._entries: dict[int, tuple[int, Value]] = {}
        self._lock = Lock()

    def get(self, session: Session, establishment_id: int) -> Value | None:
        """None when there is no such establishment."""
        # The version is read before the value is built: a value is then never older than
        # its version (a change between the two reads only makes the next lookup rebuild).
        version = find_place_version(session, establishment_id)
        if version is None:
            return None
        return self.get_at(session, establishment_id, version)

    def get_at(self, session: Session, establishment_id: int, version: int) -> Value:
        """``get``, for a caller that has just read the place_version in this transaction
        (with the kiosk device, say): the same guarantee, one read fewer."""
        with self._lock:
            entry = self._entries.get(establishment_id)
        if entry is not None and entry[0] == version:
            return entry[1]
        value = self._build(session, establishment_id)
        with self._lock:
            self._entries[establishment_id] = (version, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
