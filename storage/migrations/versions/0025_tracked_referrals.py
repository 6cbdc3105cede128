"""tracked referrals: external_referral, one row per referral made to another agency

Until now a referral was a timeline entry ("threshold met: referral made"); nothing said
when it was sent, the agency's reference, when to chase them, or what they decided. Each
referral made from now on is a row here (safeguarding/referrals.py); decisions recorded
before this migration stay on the timeline as they were.

Revision ID: 0025_tracked_referrals
Revises: 0021_place_versions
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_tracked_referrals"
down_revision: str | Sequence[str] | None = "0021_place_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "external_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("sent_by", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("first_responder", sa.String(length=40), nullable=True),
        sa.Column("chase_on", sa.Date(), nullable=True),
        sa.Column("response", sa.String(length=40), nullable=True),
        sa.Column("response_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_external_referral_report_id_report")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_referral")),
    )
    with op.batch_alter_table("external_referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_external_referral_report_id"), ["report_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("external_referral")
