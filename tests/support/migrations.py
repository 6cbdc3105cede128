"""Upgrading a test database to just before a given migration, whatever other branches of
the migration graph exist: the ORM models have every branch's columns, so a test that
writes rows "as an older release did" needs every other branch applied."""

from __future__ import annotations

from collections.abc import Iterable

from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from storage.migrate import alembic_config, upgrade


def _parents(revision: object) -> tuple[str, ...]:
    down = getattr(revision, "down_revision", None)
    if down is None:
        return ()
    return tuple(down) if isinstance(down, tuple | list) else (str(down),)


def upgrade_all_but(engine: Engine, *, not_yet: Iterable[str]) -> None:
    """Apply every migration except ``not_yet`` and those that build on them."""
    revisions = list(ScriptDirectory.from_config(alembic_config()).walk_revisions())
    blocked = set(not_yet)
    grew = True
    while grew:
        grew = False
        for revision in revisions:
            if revision.revision not in blocked and blocked.intersection(_parents(revision)):
                blocked.add(revision.revision)
                grew = True
    allowed = {revision.revision for revision in revisions} - blocked
    built_on = {
        parent
        for revision in revisions
        if revision.revision in allowed
        for parent in _parents(revision)
    }
    for target in sorted(allowed - built_on):
        upgrade(engine, target)
