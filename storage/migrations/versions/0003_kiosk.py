"""kiosk: server-side drafts with sealed answers and an expiry

Revision ID: 0003_kiosk
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_kiosk"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kiosk_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("state_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["kiosk_device.id"],
            name=op.f("fk_kiosk_draft_device_id_kiosk_device"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_draft")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kiosk_draft_token_hash")),
    )
    with op.batch_alter_table("kiosk_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kiosk_draft_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kiosk_draft_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kiosk_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kiosk_draft_expires_at"))
        batch_op.drop_index(batch_op.f("ix_kiosk_draft_device_id"))
    op.drop_table("kiosk_draft")
