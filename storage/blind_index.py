"""Blind indexes: keyed hashes (HMAC-SHA256) of normalised identifiers.

Two reports that name the same person carry the same index, so the people they share can
be counted and joined in SQL without opening anything sealed. Without the index key the
hashes cannot be tested against a guessed name. The keys ride on every session (put there
by Database.connect, like the audit key) so that the rules need no extra argument. The key
is rotatable: while two keys are live, a lookup asks for the hash under each
(docs/patterns.md, storage.index_rotation).
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy.orm import Session

from storage.crypto import KeyConfigError


def blind_index(session: Session, kind: str, normalised: str) -> tuple[str, str]:
    """The index of ``normalised`` under the active key, and that key's id."""
    keys: dict[str, bytes] = session.info.get("index_keys") or {}
    key_id: str = session.info.get("active_index", "")
    if key_id not in keys:
        raise KeyConfigError("no blind-index key is configured")
    return _mac(keys[key_id], kind, normalised), key_id


def session_indexes(session: Session, kind: str, normalised: str) -> frozenset[str]:
    """The index under every live key: what a lookup must match during a rotation."""
    keys: dict[str, bytes] = session.info.get("index_keys") or {}
    return frozenset(_mac(key, kind, normalised) for key in keys.values())


def _mac(key: bytes, kind: str, normalised: str) -> str:
    # The kind is bound in: a name and a prison number that normalise alike never match.
    return hmac.new(key, f"{kind}\x1f{normalised}".encode(), hashlib.sha256).hexdigest()
