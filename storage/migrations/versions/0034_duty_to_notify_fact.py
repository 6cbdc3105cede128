"""the duty to notify decision on the timeline as a fact: its summary was the string
"nrm:given" (route:consent); it becomes the JSON fact of safeguarding.timeline_facts, so
the case page can say it in the reader's language

Timeline rows are not in the audit chain, so rewriting them leaves ``safereport audit
verify`` passing.

Revision ID: 0034_duty_to_notify_fact
Revises: 0033_referral_consent
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_duty_to_notify_fact"
down_revision: str | Sequence[str] | None = "0033_referral_consent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENTS = sa.table(
    "timeline_event",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("summary", sa.String),
)


def _to_fact(summary: str) -> str | None:
    route, sep, consent = summary.partition(":")
    if not sep or summary.startswith("{"):
        return None
    # The encoding of safeguarding.timeline_facts, written out: a migration stays as it was.
    fact = {"fact": "duty_to_notify", "route": route, "consent": consent}
    return json.dumps(fact, ensure_ascii=False, separators=(",", ":"))


def _to_old(summary: str) -> str | None:
    if not summary.startswith("{"):
        return None
    values = json.loads(summary)
    return f"{values.get('route', '')}:{values.get('consent', '')}"


def _rewrite(convert: Callable[[str], str | None]) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_EVENTS.c.id, _EVENTS.c.summary).where(_EVENTS.c.kind == "duty_to_notify")
    ).all()
    for event_id, summary in rows:
        new = convert(summary or "")
        if new is not None:
            connection.execute(_EVENTS.update().where(_EVENTS.c.id == event_id).values(summary=new))


def upgrade() -> None:
    _rewrite(_to_fact)


def downgrade() -> None:
    _rewrite(_to_old)
