"""access requests: giving someone the power to read reports needs a lead's approval

Revision ID: 0009_access_requests
Revises: 0006_quality
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_access_requests"
down_revision: str | None = "0006_quality"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_access_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("display_name", sa.String(length=120), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("establishment_ids", sa.String(length=400), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_at", UTC, nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["staff_user.id"],
            name=op.f("fk_staff_access_request_decided_by_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["staff_user.id"],
            name=op.f("fk_staff_access_request_requested_by_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_user.id"],
            name=op.f("fk_staff_access_request_staff_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_access_request")),
    )
    op.create_index(op.f("ix_staff_access_request_staff_id"), "staff_access_request", ["staff_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_access_request_staff_id"), table_name="staff_access_request")
    op.drop_table("staff_access_request")
