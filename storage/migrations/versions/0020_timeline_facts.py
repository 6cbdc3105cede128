"""staff actions on the timeline as facts: status changes, referrals, assignments, links
and new categories were strings ("new>investigating", "police:met", "staff:4",
"report:9", "a,b"); they become the JSON facts of safeguarding.timeline_facts

The summary column grows to 400 characters: every category as a fact is 272.
Timeline rows are not in the audit chain (an audit event holds its own detail), so
rewriting them leaves ``safereport audit verify`` passing.

Revision ID: 0020_timeline_facts
Revises: 0018_wing_on_the_phone
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0020_timeline_facts"
down_revision: str | Sequence[str] | None = "0018_wing_on_the_phone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENTS = sa.table(
    "timeline_event",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("summary", sa.String),
)


def _fact(name: str, **values: Any) -> str:
    # The encoding of safeguarding.timeline_facts, written out: a migration stays as it was.
    return json.dumps({"fact": name, **values}, ensure_ascii=False, separators=(",", ":"))


def _old_to_fact(kind: str, summary: str) -> str | None:
    if kind == "status_changed" and ">" in summary:
        before, after = summary.split(">", 1)
        return _fact("status_changed", before=before, after=after)
    if kind == "external_referral" and ":" in summary:
        agency, decision = summary.split(":", 1)
        return _fact("referral", agency=agency, decision=decision)
    prefix, _sep, number = summary.partition(":")
    if kind == "assigned" and prefix == "staff" and number.isdigit():
        return _fact("assigned", staff_id=int(number))
    if kind == "linked" and prefix == "report" and number.isdigit():
        return _fact("linked", report_id=int(number))
    if kind == "recategorised" and not summary.startswith("{"):
        return _fact("recategorised", categories=sorted(c for c in summary.split(",") if c))
    return None


def _fact_to_old(kind: str, summary: str) -> str | None:
    try:
        fact = json.loads(summary) if summary.startswith("{") else None
    except ValueError:
        return None
    if not isinstance(fact, dict):
        return None
    name = fact.get("fact")
    if kind == "status_changed" and name == "status_changed":
        return f"{fact['before']}>{fact['after']}"
    if kind == "external_referral" and name == "referral":
        return f"{fact['agency']}:{fact['decision']}"
    if kind == "assigned" and name == "assigned":
        return f"staff:{fact['staff_id']}"
    if kind == "linked" and name == "linked":
        return f"report:{fact['report_id']}"
    if kind == "recategorised" and name == "recategorised":
        return ",".join(fact["categories"])
    return None


def _rewrite(convert: Callable[[str, str], str | None]) -> None:
    connection = op.get_bind()
    kinds = ("status_changed", "external_referral", "assigned", "linked", "recategorised")
    rows = connection.execute(
        sa.select(_EVENTS.c.id, _EVENTS.c.kind, _EVENTS.c.summary).where(_EVENTS.c.kind.in_(kinds))
    ).all()
    for event_id, kind, summary in rows:
        new = convert(kind, summary or "")
        if new is not None:
            connection.execute(_EVENTS.update().where(_EVENTS.c.id == event_id).values(summary=new))


def upgrade() -> None:
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.alter_column(
            "summary",
            existing_type=sa.String(length=200),
            type_=sa.String(length=400),
            existing_nullable=False,
        )
    _rewrite(_old_to_fact)


def downgrade() -> None:
    _rewrite(_fact_to_old)
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.alter_column(
            "summary",
            existing_type=sa.String(length=400),
            type_=sa.String(length=200),
            existing_nullable=False,
        )
