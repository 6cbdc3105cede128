"""Rotating the blind-index key: a new key becomes active and every person named on a
report is indexed again under it, from the sealed identifier.

The key file is written with old and new keys first, so matching keeps working part-way
(a lookup asks for every live key's hash). An old key is retired only when no row still
carries its hashes: a process started before the rotation may have indexed a new report
under it, and that report must still match until it is indexed again.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from sqlalchemy import func, select

from safeguarding.people import reindex
from storage.crypto import (
    Vault,
    ensure_index_key,
    load_or_create_keyfile,
    new_key_id,
    write_keyfile,
)
from storage.db import Database
from storage.models import ReportPerson

_BATCH = 500


def rotate_index_key(db: Database, vault: Vault, keyfile_path: Path) -> tuple[int, int]:
    """Returns (rows indexed again, old keys retired)."""
    keyfile = ensure_index_key(keyfile_path, load_or_create_keyfile(keyfile_path))
    raw = dict(keyfile["index_keys"])  # type: ignore[call-overload]
    key_id = new_key_id()
    raw[key_id] = base64.b64encode(os.urandom(32)).decode()
    keyfile.update(index_keys=raw, active_index=key_id)
    write_keyfile(keyfile_path, keyfile)
    keys = {k: base64.b64decode(v) for k, v in raw.items()}
    indexed = _reindex_all(db, vault, keys, key_id)
    still_used = _key_ids_in_use(db) - {key_id}
    keyfile["index_keys"] = {k: v for k, v in raw.items() if k == key_id or k in still_used}
    write_keyfile(keyfile_path, keyfile)
    return indexed, len(raw) - len(keyfile["index_keys"])  # type: ignore[arg-type]


def _reindex_all(db: Database, vault: Vault, keys: dict[str, bytes], active: str) -> int:
    count, last = 0, 0
    while True:
        with db.transaction() as session:
            session.info.update(index_keys=keys, active_index=active)
            rows = session.scalars(
                select(ReportPerson)
                .where(ReportPerson.id > last, ReportPerson.blind_index.is_not(None))
                .order_by(ReportPerson.id)
                .limit(_BATCH)
            ).all()
            for row in rows:
                if row.index_key_id != active:
                    count += reindex(session, vault, row)
                last = row.id
        if len(rows) < _BATCH:
            return count


def _key_ids_in_use(db: Database) -> set[str]:
    with db.transaction() as session:
        used = session.scalars(
            select(ReportPerson.index_key_id)
            .where(ReportPerson.index_key_id.is_not(None))
            .group_by(ReportPerson.index_key_id)
            .having(func.count() > 0)
        )
        return {key_id for key_id in used if key_id}
