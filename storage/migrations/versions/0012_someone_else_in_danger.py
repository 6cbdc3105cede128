"""someone else in danger now: a report's flag for a third party in danger

Revision ID: 0012_someone_else_in_danger
Revises: 0007_phone_settings
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_someone_else_in_danger"
down_revision: str | None = "0007_phone_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing reports were asked only about the reporter: none said someone else.
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "someone_else_in_danger_now",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("someone_else_in_danger_now")
