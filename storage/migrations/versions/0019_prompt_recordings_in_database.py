"""prompt recordings in the database, per establishment with an installation default

Revision ID: 0019_prompt_recordings
Revises: 0001

Recordings uploaded before this lived in ``<instance>/prompts/<language>/<key>.wav`` on one
server. They are brought in with ``safereport audio import-instance`` (docs/deployment.md),
not here: a migration may run on a host that is not the one holding those files.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_prompt_recordings"  # at most 32 characters (alembic_version)
# Only the establishment table (0001) is needed: a branch of its own, merged by the heads.
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prompt_audio",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("audio", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_prompt_audio")),
    )
    op.create_table(
        "prompt_recording",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("text_key", sa.String(length=32), nullable=False),
        sa.Column("prompt_id", sa.String(length=80), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_prompt_recording_establishment_id_establishment"),
        ),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["prompt_audio.sha256"],
            name=op.f("fk_prompt_recording_sha256_prompt_audio"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_recording")),
        sa.UniqueConstraint(
            "scope",
            "language",
            "text_key",
            name=op.f("uq_prompt_recording_scope"),
        ),
    )
    op.create_index(
        op.f("ix_prompt_recording_establishment_id"), "prompt_recording", ["establishment_id"]
    )
    op.create_index(op.f("ix_prompt_recording_sha256"), "prompt_recording", ["sha256"])


def downgrade() -> None:
    op.drop_index(op.f("ix_prompt_recording_sha256"), table_name="prompt_recording")
    op.drop_index(op.f("ix_prompt_recording_establishment_id"), table_name="prompt_recording")
    op.drop_table("prompt_recording")
    op.drop_table("prompt_audio")
