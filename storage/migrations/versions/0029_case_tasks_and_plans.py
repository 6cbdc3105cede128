"""tasks and protection plans: case_task (work with an owner and a due date) and
protection_plan (one per case: its owner and next review date)

What a task or a plan says is on the sealed timeline; these tables hold kinds, people and
dates only (safeguarding/case_tasks.py, safeguarding/protection_plans.py).

Revision ID: 0029_case_tasks_and_plans
Revises: 0028_evidence_clocks
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029_case_tasks_and_plans"
down_revision: str | Sequence[str] | None = "0028_evidence_clocks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["staff_user.id"], name=op.f("fk_case_task_owner_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_case_task_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_task")),
    )
    with op.batch_alter_table("case_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_task_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_task_report_id"), ["report_id"], unique=False)
    op.create_table(
        "protection_plan",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["staff_user.id"], name=op.f("fk_protection_plan_owner_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_protection_plan_report_id_report")
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_protection_plan")),
    )
    with op.batch_alter_table("protection_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protection_plan_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    op.drop_table("protection_plan")
    op.drop_table("case_task")
