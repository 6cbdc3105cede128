"""acting on reports: high-report alerts, missed deadlines, new information, paging rounds

Revision ID: 0013_acting_on_reports
Revises: 0005_alerts, 0007_phone_settings

Also the duty-to-notify decisions (NRM consent and referral, MS1 date) and the record of
which translations a fluent person has reviewed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_acting_on_reports"
# It changes the alert tables (0005) and the establishment and report (last in 0007).
down_revision: str | Sequence[str] | None = ("0005_alerts", "0007_phone_settings")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "high_alert_names_wing", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("new_information_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("alert_escalation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("round", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    op.create_table(
        "missed_deadline",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("due_kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_missed_deadline_report_id_report")
        ),
        sa.PrimaryKeyConstraint("report_id", "due_kind", "due_at", name=op.f("pk_missed_deadline")),
    )

    op.create_table(
        "duty_to_notify_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("route", sa.String(length=16), nullable=False),
        sa.Column("consent", sa.String(length=16), nullable=False),
        sa.Column("referred_by", sa.String(length=120), nullable=True),
        sa.Column("first_responder", sa.String(length=40), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("ms1_notified_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_duty_to_notify_decision_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_to_notify_decision")),
    )
    with op.batch_alter_table("duty_to_notify_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_duty_to_notify_decision_report_id"), ["report_id"], unique=False
        )

    op.create_table(
        "language_review",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("reviewed_by", sa.String(length=120), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_language_review")),
    )


def downgrade() -> None:
    op.drop_table("language_review")
    op.drop_table("duty_to_notify_decision")
    op.drop_table("missed_deadline")
    with op.batch_alter_table("alert_escalation", schema=None) as batch_op:
        batch_op.drop_column("round")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("new_information_at")
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.drop_column("high_alert_names_wing")
