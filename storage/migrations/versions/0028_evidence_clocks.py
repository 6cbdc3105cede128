"""evidence clocks: evidence_task, one row per kind of evidence to secure for a report

For sexual, physical and staff-involved reports (as the policy's [evidence] tables say),
evidence is lost if nobody acts in time: photographs of injuries, a forensic examination,
CCTV and body-worn video before they are overwritten. Each is tracked here from the
report's arrival until staff record it as secured or not possible
(safeguarding/evidence.py). Reports received before this migration get none.

Revision ID: 0028_evidence_clocks
Revises: 0027_code_secrets
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_evidence_clocks"
down_revision: str | Sequence[str] | None = "0027_code_secrets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_evidence_task_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_task")),
        sa.UniqueConstraint("report_id", "kind", name=op.f("uq_evidence_task_report_id")),
    )
    with op.batch_alter_table("evidence_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_task_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_table("evidence_task")
