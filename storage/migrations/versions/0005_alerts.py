"""alerts: on-call chain, escalations, breach warnings, outbox attempts

Revision ID: 0005_alerts
Revises: 0001
Create Date: 2026-11-28 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_alerts"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "on_call_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("chain_position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_on_call_contact_establishment_id_establishment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_on_call_contact")),
    )
    with op.batch_alter_table("on_call_contact", schema=None) as batch_op:
        batch_op.create_index(
            "ix_on_call_contact_chain", ["establishment_id", "chain_position"], unique=False
        )

    op.create_table(
        "alert_escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("next_step_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_alert_escalation_establishment_id_establishment"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_alert_escalation_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_escalation")),
        sa.UniqueConstraint("report_id", name=op.f("uq_alert_escalation_report_id")),
    )
    with op.batch_alter_table("alert_escalation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_alert_escalation_due", ["acknowledged_at", "next_step_at"], unique=False
        )

    op.create_table(
        "breach_warning",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("due_kind", sa.String(length=16), nullable=False),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_breach_warning_report_id_report")
        ),
        sa.PrimaryKeyConstraint("report_id", "due_kind", name=op.f("pk_breach_warning")),
    )

    op.create_table(
        "outbox_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox_message.id"],
            name=op.f("fk_outbox_attempt_message_id_outbox_message"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_attempt")),
    )
    with op.batch_alter_table("outbox_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_attempt_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("outbox_attempt")
    op.drop_table("breach_warning")
    op.drop_table("alert_escalation")
    op.drop_table("on_call_contact")
