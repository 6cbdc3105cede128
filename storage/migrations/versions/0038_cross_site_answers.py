"""cross-site answers: the asked establishment's lead or governor approves or refuses a
request about a person named at both (issue 14); a sealed reason, and the reports whose
case numbers, dates, categories and status the asking lead may then see

Revision ID: 0038_cross_site_answers
Revises: 0037_place_day_counts
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038_cross_site_answers"
down_revision: str | Sequence[str] | None = "0037_place_day_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cross_site_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_reason_sealed", sa.LargeBinary(), nullable=True))
    op.create_table(
        "cross_site_shared",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["cross_site_request.id"],
            name=op.f("fk_cross_site_shared_request_id_cross_site_request"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_cross_site_shared_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cross_site_shared")),
        sa.UniqueConstraint(
            "request_id", "report_id", name=op.f("uq_cross_site_shared_request_id")
        ),
    )  # fmt: skip
    with op.batch_alter_table("cross_site_shared", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cross_site_shared_report_id"), ["report_id"])


def downgrade() -> None:
    op.drop_table("cross_site_shared")
    with op.batch_alter_table("cross_site_request", schema=None) as batch_op:
        batch_op.drop_column("answer_reason_sealed")
