"""handover notes: handover_note, a sealed note from one shift to the next at one
establishment, with the queue its readers must be able to see (issue 15.6)

Revision ID: 0031_handover_notes
Revises: 0030_capacity_and_outcomes
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_handover_notes"
down_revision: str | Sequence[str] | None = "0030_capacity_and_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handover_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("body_sealed", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["staff_user.id"], name=op.f("fk_handover_note_author_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_handover_note_establishment_id_establishment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_note")),
    )
    with op.batch_alter_table("handover_note", schema=None) as batch_op:
        batch_op.create_index(
            "ix_handover_note_place_time", ["establishment_id", "written_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("handover_note")
