"""Sealing of sensitive values with AES-GCM under rotatable data keys.

A sealed value is ``VERSION || len(key_id) || key_id || nonce || ciphertext+tag``.
The key id travels with the value so that several keys can be live during a
rotation. The purpose string (for example ``"report.details"``) is bound as
associated data, so a value sealed for one column cannot be replayed into another.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_FORMAT_VERSION = 1
_NONCE_BYTES = 12
_KEY_BYTES = 32


class SealError(Exception):
    """A sealed value could not be opened: wrong key, unknown key id or tampering."""


class KeyConfigError(Exception):
    """The data keys or secrets are missing or malformed."""


@dataclass
class Vault:
    """Holds the data keys and seals/opens values. One per process."""

    keys: dict[str, bytes] = field(repr=False)
    active_key_id: str
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.active_key_id not in self.keys:
            raise KeyConfigError(f"active key id {self.active_key_id!r} is not in the keyring")
        for key_id, key in self.keys.items():
            if len(key) != _KEY_BYTES:
                raise KeyConfigError(f"data key {key_id!r} must be {_KEY_BYTES} bytes")
            self._ciphers[key_id] = AESGCM(key)

    def __repr__(self) -> str:  # never print key material
        return f"Vault(key_ids={sorted(self.keys)}, active={self.active_key_id!r})"

    def seal(self, plaintext: bytes, *, purpose: str) -> bytes:
        key_id = self.active_key_id.encode()
        nonce = os.urandom(_NONCE_BYTES)
        body = self._ciphers[self.active_key_id].encrypt(nonce, plaintext, purpose.encode())
        return bytes([_FORMAT_VERSION, len(key_id)]) + key_id + nonce + body

    def open(self, sealed: bytes, *, purpose: str) -> bytes:
        key_id, nonce, body = _split(sealed)
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise SealError(f"no data key with id {key_id!r}")
        try:
            return cipher.decrypt(nonce, body, purpose.encode())
        except InvalidTag as exc:
            raise SealError("sealed value failed authentication") from exc

    def seal_text(self, text: str, *, purpose: str) -> bytes:
        return self.seal(text.encode("utf-8"), purpose=purpose)

    def open_text(self, sealed: bytes, *, purpose: str) -> str:
        return self.open(sealed, purpose=purpose).decode("utf-8")

    def needs_reseal(self, sealed: bytes) -> bool:
        return sealed_key_id(sealed) != self.active_key_id


def sealed_key_id(sealed: bytes) -> str:
    return _split(sealed)[0]


def _split(sealed: bytes) -> tuple[str, bytes, bytes]:
    if len(sealed) < 2 or sealed[0] != _FORMAT_VERSION:
        raise SealError("not a sealed value")
    id_len = sealed[1]
    key_id = sealed[2 : 2 + id_len].decode()
    nonce = sealed[2 + id_len : 2 + id_len + _NONCE_BYTES]
    return key_id, nonce, sealed[2 + id_len + _NONCE_BYTES :]


@dataclass(frozen=True)
class Secrets:
    """Everything secret the process needs; none of it is ever stored in the database."""

    vault: Vault
    # Keys the follow-up code hashes; never rotated (hashes depend on it).
    code_pepper: bytes = field(repr=False)
    session_secret: bytes = field(repr=False)  # Flask's SECRET_KEY
    # Keys the audit chains (HMAC-SHA256). Whoever holds the database but not this key
    # cannot recompute a chain after deleting or editing events. Never rotated in place.
    audit_key: bytes = field(default=b"", repr=False)
    # Key the blind indexes of people named on reports (safeguarding.people_index): keyed
    # hashes that let equal identifiers be counted without opening them. Rotatable: every
    # live key is tried when matching, and `safereport keys rotate-index` re-indexes.
    index_keys: dict[str, bytes] = field(default_factory=dict, repr=False)
    active_index_key_id: str = ""


def new_key_id() -> str:
    return "k" + secrets.token_hex(4)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str, name: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise KeyConfigError(f"{name} is not valid base64") from exc


def load_or_create_keyfile(path: Path) -> dict[str, object]:
    """Read the instance key file, creating it (mode 0600) on first run."""
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise KeyConfigError(f"{path} must be readable only by its owner (mode is {mode:o})")
        data: dict[str, object] = json.loads(path.read_text())
        return data
    key_id = new_key_id()
    data = {
        "active": key_id,
        "data_keys": {key_id: _b64(os.urandom(_KEY_BYTES))},
        "code_pepper": _b64(os.urandom(32)),
        "session_secret": _b64(os.urandom(32)),
        "audit_key": _b64(os.urandom(32)),
    }
    index_key_id = new_key_id()
    data["index_keys"] = {index_key_id: _b64(os.urandom(_KEY_BYTES))}
    data["active_index"] = index_key_id
    write_keyfile(path, data)
    return data


def ensure_audit_key(path: Path, data: dict[str, object]) -> dict[str, object]:
    """Key files made before the audit chains were keyed gain an audit key, once."""
    if data.get("audit_key"):
        return data
    data = {**data, "audit_key": _b64(os.urandom(32))}
    write_keyfile(path, data)
    return data


def ensure_index_key(path: Path, data: dict[str, object]) -> dict[str, object]:
    """Key files made before people were indexed gain a blind-index key, once."""
    if data.get("index_keys") and data.get("active_index"):
        return data
    key_id = new_key_id()
    data = {**data, "index_keys": {key_id: _b64(os.urandom(_KEY_BYTES))}, "active_index": key_id}
    write_keyfile(path, data)
    return data


def write_keyfile(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def secrets_from(
    keyfile: dict[str, object],
    *,
    data_key_env: str | None = None,
    code_pepper_env: str | None = None,
    session_secret_env: str | None = None,
    audit_key_env: str | None = None,
    index_key_env: str | None = None,
) -> Secrets:
    """Build Secrets from the key file, with environment values taking precedence."""
    if data_key_env:
        vault = Vault({"env": _unb64(data_key_env, "SAFEREPORT_DATA_KEY")}, "env")
    else:
        raw_keys = keyfile.get("data_keys")
        if not isinstance(raw_keys, dict):
            raise KeyConfigError("key file has no data_keys")
        keys = {str(k): _unb64(str(v), f"data key {k}") for k, v in raw_keys.items()}
        vault = Vault(keys, str(keyfile.get("active")))
    pepper = code_pepper_env or str(keyfile.get("code_pepper", ""))
    session = session_secret_env or str(keyfile.get("session_secret", ""))
    audit = audit_key_env or str(keyfile.get("audit_key", ""))
    if not pepper or not session or not audit:
        raise KeyConfigError("code pepper, session secret and audit key are required")
    audit_key = _unb64(audit, "audit key")
    if len(audit_key) < 32:
        raise KeyConfigError("the audit key must be at least 32 bytes")
    index_keys, active_index = _index_keys(keyfile, index_key_env)
    return Secrets(
        vault=vault,
        code_pepper=_unb64(pepper, "code pepper"),
        session_secret=_unb64(session, "session secret"),
        audit_key=audit_key,
        index_keys=index_keys,
        active_index_key_id=active_index,
    )


def _index_keys(
    keyfile: dict[str, object], index_key_env: str | None
) -> tuple[dict[str, bytes], str]:
    if index_key_env:
        return {"env": _unb64(index_key_env, "SAFEREPORT_INDEX_KEY")}, "env"
    raw = keyfile.get("index_keys")
    if not isinstance(raw, dict) or not raw:
        return {}, ""
    keys = {str(k): _unb64(str(v), f"index key {k}") for k, v in raw.items()}
    active = str(keyfile.get("active_index", ""))
    if active not in keys:
        raise KeyConfigError(f"active index key id {active!r} is not in the keyring")
    if any(len(key) != _KEY_BYTES for key in keys.values()):
        raise KeyConfigError(f"index keys must be {_KEY_BYTES} bytes")
    return keys, active
