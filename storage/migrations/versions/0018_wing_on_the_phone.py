"""the wing on the phone: a caller's name-and-cell recording, the wing in immediate alerts

Revision ID: 0018_wing_on_the_phone
Revises: 0013_acting_on_reports
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_wing_on_the_phone"
# It changes the establishment after 0013 (the high-alert wing setting) and the recording.
down_revision: str | Sequence[str] | None = "0013_acting_on_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "immediate_alert_names_wing",
                sa.Boolean(),
                nullable=False,
                server_default=sa.true(),
            )
        )
    with op.batch_alter_table("recording", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="message")
        )


def downgrade() -> None:
    with op.batch_alter_table("recording", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.drop_column("immediate_alert_names_wing")
