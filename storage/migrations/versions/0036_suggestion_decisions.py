"""suggestion decisions: suggestion_decision (a suggested link confirmed or dismissed),
cumulative_firing (a cumulative-concern rule fired for a group) and cross_site_request (a
lead asked another establishment about the same person) (issue 14)

Revision ID: 0036_suggestion_decisions
Revises: 0035_report_people
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036_suggestion_decisions"
down_revision: str | Sequence[str] | None = "0035_report_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "suggestion_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("other_report_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=False),
        _fk("suggestion_decision", "report_id", "report"),
        _fk("suggestion_decision", "other_report_id", "report"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_decision")),
        sa.UniqueConstraint(
            "report_id", "other_report_id", name=op.f("uq_suggestion_decision_report_id")
        ),
    )
    with op.batch_alter_table("suggestion_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestion_decision_other_report_id"), ["other_report_id"]
        )
    op.create_table(
        "cumulative_firing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("group_key", sa.String(length=96), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        _fk("cumulative_firing", "establishment_id", "establishment"),
        _fk("cumulative_firing", "report_id", "report"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cumulative_firing")),
    )
    with op.batch_alter_table("cumulative_firing", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cumulative_firing_group", ["establishment_id", "rule", "group_key"]
        )
        batch_op.create_index(batch_op.f("ix_cumulative_firing_report_id"), ["report_id"])
    op.create_table(
        "cross_site_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("other_establishment_id", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=80), nullable=True),
        _fk("cross_site_request", "report_id", "report"),
        _fk("cross_site_request", "establishment_id", "establishment"),
        _fk("cross_site_request", "other_establishment_id", "establishment"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cross_site_request")),
    )
    with op.batch_alter_table("cross_site_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cross_site_request_report_id"), ["report_id"])
    # Reports about one wing within a window (suggestions, cumulative rules).
    op.create_index("ix_report_location_created", "report", ["location_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_report_location_created", table_name="report")
    op.drop_table("cross_site_request")
    op.drop_table("cumulative_firing")
    op.drop_table("suggestion_decision")
