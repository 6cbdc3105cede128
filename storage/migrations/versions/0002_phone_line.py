"""phone line: call turns and navigation, recording status

Revision ID: 0002_phone_line
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_phone_line"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("call_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("turn", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("silences", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("navigation", sa.Text(), nullable=False, server_default="{}"))
        batch_op.add_column(
            sa.Column("mode", sa.String(length=16), nullable=False, server_default="report")
        )
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("recording", schema=None) as batch_op:
        batch_op.add_column(sa.Column("call_session_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="pending")
        )
        batch_op.add_column(
            sa.Column("replaced", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("provider_deleted_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_recording_call_session_id_call_session"),
            "call_session",
            ["call_session_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("recording", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_recording_call_session_id_call_session"), type_="foreignkey"
        )
        batch_op.drop_column("provider_deleted_at")
        batch_op.drop_column("replaced")
        batch_op.drop_column("status")
        batch_op.drop_column("call_session_id")

    with op.batch_alter_table("call_session", schema=None) as batch_op:
        batch_op.drop_column("ended_at")
        batch_op.drop_column("mode")
        batch_op.drop_column("navigation")
        batch_op.drop_column("silences")
        batch_op.drop_column("turn")
