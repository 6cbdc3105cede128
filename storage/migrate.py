"""Alembic migrations, run programmatically so no alembic.ini is needed at run time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from storage.crypto import Vault
from storage.models import Base

if TYPE_CHECKING:  # Alembic is imported where it is used: a web worker never migrates
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if engine is not None:
        config.attributes["engine"] = engine
    return config


# Any constant: every server upgrading this database takes the same lock.
MIGRATION_LOCK_KEY = 0x5AFE_4E90


def upgrade(
    engine: Engine,
    revision: str = "heads",
    *,
    audit_key: bytes = b"",
    vault: Vault | None = None,
    code_pepper: bytes = b"",
) -> None:
    """Apply migrations. On PostgreSQL a transaction-level advisory lock makes several
    servers upgrading at once take turns: the later ones find nothing left to do. (SQLite's
    BEGIN IMMEDIATE already lets one writer in at a time.)

    Existing data needs the keys: ``audit_key`` to re-key audit events
    (0008_audit_chains), ``vault`` to re-seal values bound to their rows (0008_row_bound_seals)
    and with ``code_pepper`` to hash CallSids and seal nonces (0008_call_secrets).
    An empty database needs none of them."""
    config = alembic_config(engine)
    config.attributes["audit_key"] = audit_key
    config.attributes["vault"] = vault
    config.attributes["code_pepper"] = code_pepper
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        config.attributes["connection"] = connection
        from alembic import command

        command.upgrade(config, revision)


def is_current(engine: Engine) -> bool:
    """True when every migration of this release has been applied."""
    return set(script_heads()) <= set(current_heads(engine))


def current_heads(engine: Engine) -> tuple[str, ...]:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return tuple(MigrationContext.configure(connection).get_current_heads())


def script_heads() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def drift(engine: Engine) -> list[object]:
    """Differences between the models and the migrated database (empty when in step)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))
