"""Building the process-wide Services from the configuration."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from safeguarding.clock import Clock, SystemClock
from safeguarding.policy import load_policy
from safeguarding.services import Services
from safereport.config import Config
from storage.crypto import (
    ensure_audit_key,
    ensure_index_key,
    load_or_create_keyfile,
    secrets_from,
)
from storage.db import Database

__all__ = ["Services", "build_services", "open_services"]


def build_services(config: Config, *, clock: Clock | None = None) -> Services:
    config.instance_path.mkdir(parents=True, exist_ok=True)
    os.chmod(config.instance_path, 0o700)  # the SQLite file and key file live here
    keyfile = load_or_create_keyfile(config.keyfile_path)
    if not config.audit_key:
        keyfile = ensure_audit_key(config.keyfile_path, keyfile)
    if not config.index_key:
        keyfile = ensure_index_key(config.keyfile_path, keyfile)
    secrets = secrets_from(
        keyfile,
        data_key_env=config.data_key,
        code_pepper_env=config.code_pepper,
        session_secret_env=config.session_secret,
        audit_key_env=config.audit_key,
        index_key_env=config.index_key,
    )
    return Services(
        db=Database.connect(
            config.database_url,
            audit_key=secrets.audit_key,
            index_keys=secrets.index_keys,
            active_index_key_id=secrets.active_index_key_id,
            prepared_statements=config.database_prepared_statements,
        ),
        secrets=secrets,
        policy=load_policy(config.policy_file),
        clock=clock or SystemClock(),
    )


@contextmanager
def open_services(config: Config) -> Iterator[Services]:
    """Services for one command; database connections are closed when it ends."""
    services = build_services(config)
    try:
        yield services
    finally:
        services.db.dispose()
