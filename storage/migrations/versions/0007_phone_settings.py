"""phone settings: <Say> voices and keeping the caller's number, per establishment

Revision ID: 0007_phone_settings
Revises: 0002_phone_line
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_phone_settings"
down_revision: str | None = "0002_phone_line"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("say_voices", sa.Text(), nullable=False, server_default="{}"))
        batch_op.add_column(
            sa.Column("keep_caller_number", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("caller_number_sealed", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("caller_number_sealed")
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.drop_column("keep_caller_number")
        batch_op.drop_column("say_voices")
