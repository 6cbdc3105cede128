"""British Sign Language videos for the kiosk, per establishment and screen (issue 17.2):
bsl_video

Revision ID: 0040_bsl_videos
Revises: 0039_checkin_reporter_answer
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040_bsl_videos"
down_revision: str | Sequence[str] | None = "0039_checkin_reporter_answer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bsl_video",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("video", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_bsl_video_establishment_id_establishment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bsl_video")),
        sa.UniqueConstraint("establishment_id", "slot", name=op.f("uq_bsl_video_establishment_id")),
    )
    op.create_index(op.f("ix_bsl_video_establishment_id"), "bsl_video", ["establishment_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_bsl_video_establishment_id"), table_name="bsl_video")
    op.drop_table("bsl_video")
