"""place day counts: how many reports each wing has per category, day (UTC) and queue,
kept by the database as reports arrive, are re-categorised, moved or purged (issue 14)

The case page's "N reports about B wing and bullying in 14 days" counted every report in
the window under the access tests: thousands of rows on a busy wing, 100 ms and more at a
million reports. With these counts it adds up at most 29 rows per category, and scans only
the two part-days at the window's ends and the few reports that name the reader
(storage.repositories.suggestions.place_counts).

The counts are kept by triggers, not by the application, so every path that writes a report
or its categories (intake, the phone's wing question, re-categorising, the independent
queue, purging, psql) keeps them true in the same transaction. They hold only what the
report table already holds in plain (establishment, wing, category, day, queue); a row that
falls to zero is deleted, so a purged report leaves nothing behind.

Caution for later migrations: on SQLite a ``batch_alter_table`` that recreates ``report``
or ``report_category`` drops their triggers; create them again (``create_sqlite_triggers``).
tests/core/test_place_day_counts.py fails if a change stops keeping the counts.

Revision ID: 0037_place_day_counts
Revises: 0036_suggestion_decisions
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037_place_day_counts"
down_revision: str | Sequence[str] | None = "0036_suggestion_decisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "location_id, category, day, queue, establishment_id"

# SQLite: each statement adds (+1) or takes away (-1) one report's categories, for the
# report's row as it is now (NEW) or was (OLD), through the whole primary key (EXPLAIN
# QUERY PLAN: SEARCH ... USING INDEX on all five columns). Fixed text from this file only.
_SQLITE_ADD = (
    f"INSERT INTO place_day_count ({KEY}, reports)"  # noqa: S608
    " SELECT k.*, 1 FROM ({keys}) k WHERE true"
    f" ON CONFLICT ({KEY}) DO UPDATE SET reports = reports + 1;"
)
_SQLITE_TAKE = (
    "UPDATE place_day_count SET reports = reports - 1 WHERE {match};"
    " DELETE FROM place_day_count WHERE reports <= 0 AND {match};"
)


def _category_keys(side: str) -> dict[str, str]:
    """A report_category trigger: its category, for the report it belongs to."""
    report = f"FROM report WHERE id = {side}.report_id)"
    return {
        "keys": f"SELECT r.location_id, {side}.category, date(r.created_at), r.queue,"  # noqa: S608
        f" r.establishment_id FROM report r WHERE r.id = {side}.report_id"
        " AND r.location_id IS NOT NULL",
        "match": f"location_id = (SELECT location_id {report}"
        f" AND category = {side}.category AND day = (SELECT date(created_at) {report}"
        f" AND queue = (SELECT queue {report}"
        f" AND establishment_id = (SELECT establishment_id {report}",
    }


def _report_keys(side: str) -> dict[str, str]:
    """A report trigger: the report as it is (NEW) or was (OLD), once per category."""
    categories = f"SELECT category FROM report_category WHERE report_id = {side}.id"  # noqa: S608
    return {
        "keys": f"SELECT {side}.location_id, c.category, date({side}.created_at), {side}.queue,"  # noqa: S608
        f" {side}.establishment_id FROM report_category c WHERE c.report_id = {side}.id"
        f" AND {side}.location_id IS NOT NULL",
        "match": f"location_id = {side}.location_id AND category IN ({categories})"
        f" AND day = date({side}.created_at) AND queue = {side}.queue"
        f" AND establishment_id = {side}.establishment_id",
    }


def _sqlite(statement: str, parts: dict[str, str]) -> str:
    return statement.replace("{keys}", parts["keys"]).replace("{match}", parts["match"])


def create_sqlite_triggers() -> None:
    op.execute(
        "CREATE TRIGGER report_category_counted AFTER INSERT ON report_category BEGIN "
        + _sqlite(_SQLITE_ADD, _category_keys("NEW"))
        + " END"
    )
    op.execute(
        "CREATE TRIGGER report_category_uncounted AFTER DELETE ON report_category BEGIN "
        + _sqlite(_SQLITE_TAKE, _category_keys("OLD"))
        + " END"
    )
    op.execute(
        "CREATE TRIGGER report_category_recounted AFTER UPDATE ON report_category BEGIN "
        + _sqlite(_SQLITE_TAKE, _category_keys("OLD"))
        + _sqlite(_SQLITE_ADD, _category_keys("NEW"))
        + " END"
    )
    op.execute(
        "CREATE TRIGGER report_place_recounted AFTER UPDATE OF"
        " establishment_id, location_id, created_at, queue ON report BEGIN "
        + _sqlite(_SQLITE_TAKE, _report_keys("OLD"))
        + _sqlite(_SQLITE_ADD, _report_keys("NEW"))
        + " END"
    )


_PG_FUNCTIONS = """
CREATE FUNCTION count_place_day(r report, cat varchar, step integer) RETURNS void AS $$
BEGIN
  IF r.location_id IS NULL THEN
    RETURN;
  END IF;
  IF step > 0 THEN
    INSERT INTO place_day_count (location_id, category, day, queue, establishment_id, reports)
    VALUES (r.location_id, cat, (r.created_at AT TIME ZONE 'UTC')::date, r.queue,
            r.establishment_id, step)
    ON CONFLICT (location_id, category, day, queue, establishment_id)
    DO UPDATE SET reports = place_day_count.reports + step;
  ELSE
    UPDATE place_day_count SET reports = reports + step
      WHERE location_id = r.location_id AND category = cat
        AND day = (r.created_at AT TIME ZONE 'UTC')::date AND queue = r.queue
        AND establishment_id = r.establishment_id;
    DELETE FROM place_day_count
      WHERE location_id = r.location_id AND category = cat
        AND day = (r.created_at AT TIME ZONE 'UTC')::date AND queue = r.queue
        AND establishment_id = r.establishment_id AND reports <= 0;
  END IF;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION report_category_counts() RETURNS trigger AS $$
DECLARE
  r report;
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    SELECT * INTO r FROM report WHERE id = OLD.report_id;
    IF FOUND THEN
      PERFORM count_place_day(r, OLD.category, -1);
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT * INTO r FROM report WHERE id = NEW.report_id;
    IF FOUND THEN
      PERFORM count_place_day(r, NEW.category, 1);
    END IF;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION report_place_counts() RETURNS trigger AS $$
DECLARE
  cat varchar;
BEGIN
  IF (OLD.establishment_id, OLD.location_id, OLD.created_at, OLD.queue)
     IS NOT DISTINCT FROM (NEW.establishment_id, NEW.location_id, NEW.created_at, NEW.queue)
  THEN
    RETURN NULL;
  END IF;
  FOR cat IN SELECT category FROM report_category WHERE report_id = NEW.id ORDER BY category
  LOOP
    PERFORM count_place_day(OLD, cat, -1);
    PERFORM count_place_day(NEW, cat, 1);
  END LOOP;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def _create_postgresql_triggers() -> None:
    op.execute(_PG_FUNCTIONS)
    op.execute(
        "CREATE TRIGGER report_category_counted AFTER INSERT OR UPDATE OR DELETE"
        " ON report_category FOR EACH ROW EXECUTE PROCEDURE report_category_counts()"
    )
    op.execute(
        "CREATE TRIGGER report_place_recounted AFTER UPDATE ON report"
        " FOR EACH ROW EXECUTE PROCEDURE report_place_counts()"
    )


def _day(dialect: str) -> str:
    if dialect == "postgresql":
        return "(r.created_at AT TIME ZONE 'UTC')::date"
    return "date(r.created_at)"


def count_existing(dialect: str) -> None:
    """Counts for the reports already there (also how a test rebuilds them to compare)."""
    op.execute(
        f"INSERT INTO place_day_count ({KEY}, reports)"  # noqa: S608 (fixed text)
        f" SELECT r.location_id, c.category, {_day(dialect)}, r.queue, r.establishment_id,"
        " count(*) FROM report r JOIN report_category c ON c.report_id = r.id"
        " WHERE r.location_id IS NOT NULL"
        f" GROUP BY r.location_id, c.category, {_day(dialect)}, r.queue, r.establishment_id"
    )


def upgrade() -> None:
    op.create_table(
        "place_day_count",
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("queue", sa.String(length=16), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "location_id", "category", "day", "queue", "establishment_id",
            name=op.f("pk_place_day_count"),
        ),
    )  # fmt: skip
    dialect = op.get_bind().dialect.name
    count_existing(dialect)
    if dialect == "postgresql":
        _create_postgresql_triggers()
    else:
        create_sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER report_place_recounted ON report")
        op.execute("DROP TRIGGER report_category_counted ON report_category")
        op.execute("DROP FUNCTION report_place_counts()")
        op.execute("DROP FUNCTION report_category_counts()")
        op.execute("DROP FUNCTION count_place_day(report, varchar, integer)")
    else:
        for name in (
            "report_category_counted",
            "report_category_uncounted",
            "report_category_recounted",
            "report_place_recounted",
        ):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("place_day_count")
