"""report.due_at: the deadline running now, worked out by the database, and an index in the
queue's own order (issue 18)

The queue sorted every open report by a CASE over status and the two deadline columns to
show 50, so its page grew with the open backlog (3.7x slower at 100,000 reports on SQLite).
``due_at`` is a generated column: the database computes it from ``status``,
``acknowledge_due_at`` and ``triage_due_at`` on every insert and update, whoever writes
(the safeguarding code, the phone line, a database administrator in psql). Nobody can set
it, so it cannot disagree with the columns it comes from. It is the rule of
``safeguarding.actions.next_deadline``: the acknowledge clock while a report is new, the
triage clock while it is new or acknowledged, none after. If those statuses change, a
migration must change this expression too (tests/triage/test_queue_due_at.py compares the
two for every status).

STORED on PostgreSQL; VIRTUAL on SQLite, where ALTER TABLE cannot add a stored column and
rebuilding ``report`` would drop the triggers of 0037_place_day_counts (an index on a
virtual column stores its value, so the queue reads it from the index all the same).
Existing rows need no backfill: the database computes the column for them.

``queue_rank`` is the queue's order in one number, also generated: priority first, then new
information from the reporter, then a running clock before none (priority_rank * 4 + 0..3);
NULL for a closed report, which is in no queue. ix_report_queue_due holds open reports only
(queue_rank IS NOT NULL), per establishment, by (queue_rank, due_at, created_at, id): the
queue's ORDER BY, so a page is read from the index in order and stops after 50 rows
(status and queue are not in it: as key columns filtered with IN lists they stop
PostgreSQL before 17 from reading an index in order). ix_report_open_counts, also of open
reports only, holds what the counts above the queue and the handover box test (status,
queue, due_at, new_information_at, and queue_rank, which the condition names), so they test
index entries and read only the rows that pass (SQLite's EXPLAIN still shows the rows read
for the counts by status: it does not take the index as covering).
Plain columns, no expressions in the index: SQLite cannot reflect an expression index, so
a later batch migration would silently drop one.

Caution for later migrations: on SQLite a ``batch_alter_table`` that recreates ``report``
fails with "cannot INSERT into generated column" (Alembic copies every column), and drops
the triggers of 0037. Call ``drop_generated_columns()`` before it, then
``add_generated_columns()`` and 0037's ``create_sqlite_triggers()`` after it
(docs/architecture.md, "Caches", says which tests fail otherwise).

Revision ID: 0041_report_due_at
Revises: 0040_bsl_videos
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041_report_due_at"
down_revision: str | Sequence[str] | None = "0040_bsl_videos"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here as the migration's own text (safeguarding.actions holds the rules in Python).
OPEN = "status IN ('new', 'acknowledged', 'investigating', 'waiting')"
DUE_AT = (
    "CASE WHEN status IN ('new') AND acknowledge_due_at IS NOT NULL THEN acknowledge_due_at"
    " WHEN status IN ('new', 'acknowledged') THEN triage_due_at END"
)
# PostgreSQL's generated columns cannot read one another, so due_at is spelled out again.
QUEUE_RANK = (
    f"CASE WHEN {OPEN} THEN priority_rank * 4"
    " + CASE WHEN new_information_at IS NULL THEN 2 ELSE 0 END"
    f" + CASE WHEN ({DUE_AT}) IS NULL THEN 1 ELSE 0 END END"
)


def add_generated_columns() -> None:
    """The two columns and their index (also for a later migration; see the caution above)."""
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("report", sa.Column("due_at", sa.DateTime(timezone=True), _stored(DUE_AT)))
        op.add_column("report", sa.Column("queue_rank", sa.Integer(), _stored(QUEUE_RANK)))
    else:
        # SQLite keeps each added column's text on one line of the table's SQL, and
        # SQLAlchemy reads a generated column's expression back up to the line's last ")":
        # a line break before VIRTUAL ends each one there, so reflection reads it right.
        for name, kind, expression in (
            ("due_at", "DATETIME", DUE_AT),
            ("queue_rank", "INTEGER", QUEUE_RANK),
        ):
            op.execute(
                f"ALTER TABLE report ADD COLUMN {name} {kind}"
                f" GENERATED ALWAYS AS ({expression})\n VIRTUAL"
            )
    op.create_index(
        "ix_report_queue_due",
        "report",
        ["establishment_id", "queue_rank", "due_at", "created_at", "id"],
        postgresql_where=sa.text("queue_rank IS NOT NULL"),
        sqlite_where=sa.text("queue_rank IS NOT NULL"),
    )
    op.create_index(
        "ix_report_open_counts",
        "report",
        [
            "establishment_id",
            "status",
            "queue",
            "due_at",
            "new_information_at",
            "queue_rank",
            "id",  # so PostgreSQL can count from the index alone
        ],
        postgresql_where=sa.text("queue_rank IS NOT NULL"),
        sqlite_where=sa.text("queue_rank IS NOT NULL"),
    )


def drop_generated_columns() -> None:
    op.drop_index("ix_report_open_counts", table_name="report")
    op.drop_index("ix_report_queue_due", table_name="report")
    op.drop_column("report", "queue_rank")
    op.drop_column("report", "due_at")


def _stored(expression: str) -> sa.Computed:
    return sa.Computed(expression, persisted=True)


def upgrade() -> None:
    add_generated_columns()


def downgrade() -> None:
    drop_generated_columns()
