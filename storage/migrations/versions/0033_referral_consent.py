"""consent per disclosure: external_referral.consent and sharing_basis (issue 15.2)

Each referral records the person's consent to the disclosure, and the lawful reason when it
was shared against their refusal. Referrals made before this have neither (not recorded).

Revision ID: 0033_referral_consent
Revises: 0032_retaliation_checkins
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033_referral_consent"
down_revision: str | Sequence[str] | None = "0032_retaliation_checkins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("external_referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("sharing_basis", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("external_referral", schema=None) as batch_op:
        batch_op.drop_column("sharing_basis")
        batch_op.drop_column("consent")
