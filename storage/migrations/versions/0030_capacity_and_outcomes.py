"""capacity and outcomes: capacity_record (Mental Capacity Act decisions on a case, as codes)
and the report's personal and risk outcomes at closing, in the NHS Safeguarding Adults
Collection's terms (safeguarding/capacity.py, safeguarding/personal_outcomes.py); four more
practice audit questions (wishes, capacity, consent, statutory duties).

Reports closed before this migration have no outcomes recorded ("not recorded" in the
board's figures).

Revision ID: 0030_capacity_and_outcomes
Revises: 0029_case_tasks_and_plans
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_capacity_and_outcomes"
down_revision: str | Sequence[str] | None = "0029_case_tasks_and_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0006_quality"  # practice_audit_case

# New practice audit questions: wishes, capacity, consent and statutory duties.
PRACTICE_AUDIT_QUESTIONS = (
    "wishes_sought",
    "capacity_considered",
    "consent_respected",
    "statutory_duties_met",
)


def upgrade() -> None:
    op.create_table(
        "capacity_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("in_doubt", sa.Boolean(), nullable=False),
        sa.Column("lacks_capacity", sa.String(length=20), nullable=False),
        sa.Column("support", sa.String(length=24), nullable=False),
        sa.Column("best_interests", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_capacity_record_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_record")),
    )
    with op.batch_alter_table("capacity_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_capacity_record_report_id"), ["report_id"], unique=False
        )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcomes_asked", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("outcomes_achieved", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("risk_outcome", sa.String(length=24), nullable=True))
    with op.batch_alter_table("practice_audit_case", schema=None) as batch_op:
        for question in PRACTICE_AUDIT_QUESTIONS:
            batch_op.add_column(sa.Column(question, sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("practice_audit_case", schema=None) as batch_op:
        for question in reversed(PRACTICE_AUDIT_QUESTIONS):
            batch_op.drop_column(question)
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("risk_outcome")
        batch_op.drop_column("outcomes_achieved")
        batch_op.drop_column("outcomes_asked")
    op.drop_table("capacity_record")
