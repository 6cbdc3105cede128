"""limits: known staff browsers, sign-in tries by browser, a kiosk report limit per establishment

Revision ID: 0010_limits
Revises: 0006_quality
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_limits"
down_revision: str | None = "0006_quality"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_known_browser",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("browser_hash", sa.String(length=64), nullable=False),
        sa.Column("account_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_known_browser")),
        sa.UniqueConstraint(
            "browser_hash",
            "account_hash",
            name=op.f("uq_staff_known_browser_browser_hash"),
        ),
    )
    op.create_index(
        op.f("ix_staff_known_browser_account_hash"),
        "staff_known_browser",
        ["account_hash"],
        unique=False,
    )
    with op.batch_alter_table("staff_sign_in_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("browser_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kiosk_reports_limit", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("establishment", schema=None) as batch_op:
        batch_op.drop_column("kiosk_reports_limit")
    with op.batch_alter_table("staff_sign_in_attempt", schema=None) as batch_op:
        batch_op.drop_column("browser_hash")
    op.drop_index(op.f("ix_staff_known_browser_account_hash"), table_name="staff_known_browser")
    op.drop_table("staff_known_browser")
