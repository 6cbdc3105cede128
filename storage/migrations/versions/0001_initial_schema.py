"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 00:27:30.291326
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "code_lookup_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_lookup_attempt")),
    )
    with op.batch_alter_table("code_lookup_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_code_lookup_attempt_at"), ["at"], unique=False)
        batch_op.create_index("ix_code_lookup_attempt_scope_at", ["scope_hash", "at"], unique=False)

    op.create_table(
        "establishment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("languages", sa.String(length=300), nullable=False),
        sa.Column("kiosk_idle_seconds", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_establishment")),
        sa.UniqueConstraint("code", name=op.f("uq_establishment_code")),
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("dedupe_key", sa.String(length=128), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_message_dedupe_key")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_message_pending", ["delivered_at", "available_at"], unique=False
        )

    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("totp_secret_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("setup_token_hash", sa.String(length=64), nullable=True),
        sa.Column("setup_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_user")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_user_email")),
        sa.UniqueConstraint("setup_token_hash", name=op.f("uq_staff_user_setup_token_hash")),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_location_establishment_id_establishment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_location_establishment_id"), ["establishment_id"], unique=False
        )

    op.create_table(
        "phone_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_phone_line_establishment_id_establishment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_line")),
        sa.UniqueConstraint("number", name=op.f("uq_phone_line_number")),
    )
    with op.batch_alter_table("phone_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_phone_line_establishment_id"), ["establishment_id"], unique=False
        )

    op.create_table(
        "staff_membership",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_staff_membership_establishment_id_establishment"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_user.id"], name=op.f("fk_staff_membership_staff_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("staff_id", "establishment_id", name=op.f("pk_staff_membership")),
    )
    op.create_table(
        "kiosk_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("device_token_hash", sa.String(length=64), nullable=True),
        sa.Column("enrolment_token_hash", sa.String(length=64), nullable=True),
        sa.Column("enrolment_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_kiosk_device_establishment_id_establishment"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_kiosk_device_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_device")),
        sa.UniqueConstraint("device_token_hash", name=op.f("uq_kiosk_device_device_token_hash")),
        sa.UniqueConstraint(
            "enrolment_token_hash", name=op.f("uq_kiosk_device_enrolment_token_hash")
        ),
    )
    with op.batch_alter_table("kiosk_device", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kiosk_device_establishment_id"), ["establishment_id"], unique=False
        )

    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("kiosk_device_id", sa.Integer(), nullable=True),
        sa.Column("phone_line_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("priority_rank", sa.Integer(), nullable=False),
        sa.Column("queue", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("in_danger_now", sa.Boolean(), nullable=False),
        sa.Column("self_harm_risk", sa.Boolean(), nullable=False),
        sa.Column("staff_involved", sa.String(length=12), nullable=False),
        sa.Column("about_someone_else", sa.Boolean(), nullable=False),
        sa.Column("injured", sa.Boolean(), nullable=False),
        sa.Column("when_happened", sa.String(length=24), nullable=True),
        sa.Column("wants_contact", sa.Boolean(), nullable=False),
        sa.Column("acct_prompted", sa.Boolean(), nullable=False),
        sa.Column("duty_to_notify_prompted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledge_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("triage_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("code_attempt", sa.Integer(), nullable=False),
        sa.Column("submission_key_hash", sa.String(length=64), nullable=False),
        sa.Column("details_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("reporter_identity_sealed", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_report_establishment_id_establishment"),
        ),
        sa.ForeignKeyConstraint(
            ["kiosk_device_id"],
            ["kiosk_device.id"],
            name=op.f("fk_report_kiosk_device_id_kiosk_device"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_report_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["phone_line_id"], ["phone_line.id"], name=op.f("fk_report_phone_line_id_phone_line")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_report_code_hash")),
        sa.UniqueConstraint("submission_key_hash", name=op.f("uq_report_submission_key_hash")),
    )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_report_establishment_id"), ["establishment_id"], unique=False
        )
        batch_op.create_index(
            "ix_report_queue_order", ["establishment_id", "status", "priority_rank"], unique=False
        )

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_audit_event_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_event_hash")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_report_id"), ["report_id"], unique=False)

    op.create_table(
        "call_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sa.String(length=64), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("phone_line_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("submission_nonce", sa.String(length=64), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_call_session_establishment_id_establishment"),
        ),
        sa.ForeignKeyConstraint(
            ["phone_line_id"],
            ["phone_line.id"],
            name=op.f("fk_call_session_phone_line_id_phone_line"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_call_session_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_session")),
        sa.UniqueConstraint("call_sid", name=op.f("uq_call_session_call_sid")),
    )
    op.create_table(
        "recording",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("audio_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("source_url_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_recording_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recording")),
        sa.UniqueConstraint("provider_sid", name=op.f("uq_recording_provider_sid")),
    )
    with op.batch_alter_table("recording", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recording_report_id"), ["report_id"], unique=False)

    op.create_table(
        "report_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=32), nullable=False),
        sa.Column("answer", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_answer_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_answer")),
    )
    with op.batch_alter_table("report_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_answer_report_id"), ["report_id"], unique=False)

    op.create_table(
        "report_category",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_category_report_id_report")
        ),
        sa.PrimaryKeyConstraint("report_id", "category", name=op.f("pk_report_category")),
    )
    with op.batch_alter_table("report_category", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_category_category"), ["category"], unique=False)

    op.create_table(
        "timeline_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("body_sealed", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_timeline_event_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_event")),
    )
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_timeline_event_report_id"), ["report_id"], unique=False
        )
    # The audit chain starts from one head row, so appenders only ever lock and update it.
    head = sa.table(
        "audit_chain_head",
        sa.column("id", sa.Integer),
        sa.column("last_hash", sa.String),
        sa.column("length", sa.Integer),
    )
    op.bulk_insert(head, [{"id": 1, "last_hash": "0" * 64, "length": 0}])


def downgrade() -> None:

    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timeline_event_report_id"))

    op.drop_table("timeline_event")
    with op.batch_alter_table("report_category", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_category_category"))

    op.drop_table("report_category")
    with op.batch_alter_table("report_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_answer_report_id"))

    op.drop_table("report_answer")
    with op.batch_alter_table("recording", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recording_report_id"))

    op.drop_table("recording")
    op.drop_table("call_session")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_report_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_index("ix_report_queue_order")
        batch_op.drop_index(batch_op.f("ix_report_establishment_id"))
        batch_op.drop_index(batch_op.f("ix_report_created_at"))

    op.drop_table("report")
    with op.batch_alter_table("kiosk_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kiosk_device_establishment_id"))

    op.drop_table("kiosk_device")
    op.drop_table("staff_membership")
    with op.batch_alter_table("phone_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_line_establishment_id"))

    op.drop_table("phone_line")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_establishment_id"))

    op.drop_table("location")
    op.drop_table("staff_user")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_pending")

    op.drop_table("outbox_message")
    op.drop_table("establishment")
    with op.batch_alter_table("code_lookup_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_code_lookup_attempt_scope_at")
        batch_op.drop_index(batch_op.f("ix_code_lookup_attempt_at"))

    op.drop_table("code_lookup_attempt")
    op.drop_table("audit_chain_head")
