"""Data key rotation: a new key becomes active and every sealed value is re-sealed under it.

The key file is written with old and new keys before anything is re-sealed, so a crash
part-way leaves every value readable; keys that no longer seal anything are then retired.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from sqlalchemy import select

from storage.crypto import Vault, load_or_create_keyfile, new_key_id, sealed_key_id, write_keyfile
from storage.db import Database
from storage.sealed_fields import ALL_SEALED_FIELDS, SealedField

_BATCH = 500


def rotate_data_key(db: Database, keyfile_path: Path) -> int:
    keyfile = load_or_create_keyfile(keyfile_path)
    raw_keys = dict(keyfile["data_keys"])  # type: ignore[call-overload]
    key_id = new_key_id()
    raw_keys[key_id] = base64.b64encode(os.urandom(32)).decode()
    keyfile.update(data_keys=raw_keys, active=key_id)
    write_keyfile(keyfile_path, keyfile)
    vault = Vault({k: base64.b64decode(v) for k, v in raw_keys.items()}, key_id)
    resealed = sum(_reseal_field(db, vault, field) for field in ALL_SEALED_FIELDS)
    keyfile["data_keys"] = {key_id: raw_keys[key_id]}
    write_keyfile(keyfile_path, keyfile)
    return resealed


def _reseal_field(db: Database, vault: Vault, field: SealedField) -> int:
    column = getattr(field.model, field.attribute)
    primary_key = field.model.__mapper__.primary_key[0]
    count = 0
    last = None
    while True:
        with db.transaction() as session:
            statement = select(field.model).where(column.is_not(None)).order_by(primary_key)
            if last is not None:
                statement = statement.where(primary_key > last)
            rows = session.scalars(statement.limit(_BATCH)).all()
            for row in rows:
                sealed: bytes = getattr(row, field.attribute)
                if sealed and sealed_key_id(sealed) != vault.active_key_id:
                    plain = field.open(vault, row)
                    assert plain is not None
                    field.seal(vault, row, plain)
                    count += 1
                last = getattr(row, str(primary_key.key))
        if len(rows) < _BATCH:
            return count
