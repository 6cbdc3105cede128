"""the reporter's answer to "Are you safe now?" on a retaliation check-in (issue 15.5):
retaliation_checkin.reporter_answer and reporter_answered_at

Revision ID: 0039_checkin_reporter_answer
Revises: 0038_cross_site_answers
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039_checkin_reporter_answer"
down_revision: str | Sequence[str] | None = "0038_cross_site_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("retaliation_checkin", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reporter_answer", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("reporter_answered_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("retaliation_checkin", schema=None) as batch_op:
        batch_op.drop_column("reporter_answered_at")
        batch_op.drop_column("reporter_answer")
