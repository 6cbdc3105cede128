"""someone else in danger now (a report's flag) and where a kiosk report was sent from

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
        # Where the kiosk stood: staff go there when someone is in danger. Older kiosk
        # reports get their device's place below (the best that is known now). No foreign
        # key: on SQLite that would rebuild the report table, which the foreign keys that
        # point at it forbid once it has rows; removing a place checks this column instead.
        batch_op.add_column(sa.Column("sent_from_location_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE report SET sent_from_location_id = (SELECT kiosk_device.location_id "
        "FROM kiosk_device WHERE kiosk_device.id = report.kiosk_device_id) "
        "WHERE report.kiosk_device_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("sent_from_location_id")
        batch_op.drop_column("someone_else_in_danger_now")
