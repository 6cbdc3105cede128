"""place versions: establishment.place_version, bumped by the database on every change to
an establishment, its locations or its phone lines

The kiosk keeps what it shows about an establishment (name, languages, wings, phone number)
in a per-process cache keyed by (establishment id, place_version), so a page view reads one
integer instead of three tables. The bump is done by triggers, not by the application, so a
change made by any process (another app server, the command line, psql) invalidates every
cache at its next request.

Caution for later migrations: on SQLite a ``batch_alter_table`` that recreates
``establishment``, ``location`` or ``phone_line`` drops their triggers; create them again
(``create_sqlite_triggers`` below shows them). tests/kiosk/test_place_cache.py fails if a
change stops bumping the version.

Revision ID: 0021_place_versions
Revises: 0020_timeline_facts
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_place_versions"
down_revision: str | Sequence[str] | None = "0020_timeline_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILDREN = ("location", "phone_line")

_PG_FUNCTION = """
CREATE FUNCTION bump_place_version() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'establishment' THEN
    NEW.place_version := OLD.place_version + 1;
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    UPDATE establishment SET place_version = place_version + 1 WHERE id = NEW.establishment_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE establishment SET place_version = place_version + 1 WHERE id = OLD.establishment_id;
  ELSE
    UPDATE establishment SET place_version = place_version + 1
      WHERE id IN (OLD.establishment_id, NEW.establishment_id);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def _bump(establishment: str) -> str:
    return (
        # Fixed names from this file only (NEW./OLD. columns), never outside input.
        "UPDATE establishment SET place_version = place_version + 1"  # noqa: S608
        f" WHERE id IN ({establishment});"
    )


def create_sqlite_triggers() -> None:
    # The inner UPDATE changes place_version, so the WHEN stops it firing itself again.
    op.execute(
        "CREATE TRIGGER establishment_place_version AFTER UPDATE ON establishment"
        " FOR EACH ROW WHEN NEW.place_version = OLD.place_version"
        " BEGIN UPDATE establishment SET place_version = OLD.place_version + 1"
        " WHERE id = NEW.id; END"
    )
    for table in CHILDREN:
        for when, ids in (
            ("INSERT", "NEW.establishment_id"),
            ("DELETE", "OLD.establishment_id"),
            ("UPDATE", "OLD.establishment_id, NEW.establishment_id"),
        ):
            op.execute(
                f"CREATE TRIGGER {table}_{when.lower()}_place_version AFTER {when} ON {table}"
                f" FOR EACH ROW BEGIN {_bump(ids)} END"
            )


def _create_postgresql_triggers() -> None:
    op.execute(_PG_FUNCTION)
    op.execute(
        "CREATE TRIGGER establishment_place_version BEFORE UPDATE ON establishment"
        " FOR EACH ROW EXECUTE PROCEDURE bump_place_version()"
    )
    for table in CHILDREN:
        op.execute(
            f"CREATE TRIGGER {table}_place_version AFTER INSERT OR UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE PROCEDURE bump_place_version()"
        )


def upgrade() -> None:
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("place_version", sa.Integer(), nullable=False, server_default="0")
        )
    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_triggers()
    else:
        create_sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in CHILDREN:
            op.execute(f"DROP TRIGGER {table}_place_version ON {table}")
        op.execute("DROP TRIGGER establishment_place_version ON establishment")
        op.execute("DROP FUNCTION bump_place_version()")
    else:
        op.execute("DROP TRIGGER establishment_place_version")
        for table in CHILDREN:
            for when in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER {table}_{when}_place_version")
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.drop_column("place_version")
