"""code secrets: a picture code or a 4-digit PIN that a follow-up code can be kept safe with

A person may choose, at the kiosk's Sent screen, four pictures or four numbers to go with
their 12-digit code (issue 17.3). Only an argon2 hash of the secret is kept, keyed to the
report (safeguarding/code_secrets.py); the kind says which pad to show when the code is
typed. Both go with the report when it is purged.

Revision ID: 0027_code_secrets
Revises: 0026_kiosk_voice
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_code_secrets"
down_revision: str | Sequence[str] | None = "0026_kiosk_voice"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("code_secret_kind", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("code_secret_hash", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("code_secret_hash")
        batch.drop_column("code_secret_kind")
