"""retaliation check-ins: retaliation_checkin, a check on someone who reported a person at
30, 60 and 90 days (issue 15.5); what the person said is on the sealed timeline

Revision ID: 0032_retaliation_checkins
Revises: 0031_handover_notes
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_retaliation_checkins"
down_revision: str | Sequence[str] | None = "0031_handover_notes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retaliation_checkin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_retaliation_checkin_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retaliation_checkin")),
        sa.UniqueConstraint("report_id", "number", name=op.f("uq_retaliation_checkin_report_id")),
    )
    with op.batch_alter_table("retaliation_checkin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retaliation_checkin_due_at"), ["due_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_retaliation_checkin_report_id"), ["report_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("retaliation_checkin")
