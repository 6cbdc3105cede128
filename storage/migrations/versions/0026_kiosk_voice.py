"""kiosk voice: a voice message recorded at the kiosk, sealed in the kiosk draft

A person at the kiosk may say what happened instead of typing it (issue 17.1). The audio
is uploaded into their draft, sealed (purpose ``kiosk_draft.voice``, bound to the row), and
becomes the report's recording when they send it (safeguarding/kiosk_voice.py).

Revision ID: 0026_kiosk_voice
Revises: 0025_tracked_referrals
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_kiosk_voice"
down_revision: str | Sequence[str] | None = "0025_tracked_referrals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kiosk_draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voice_sealed", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kiosk_draft", schema=None) as batch_op:
        batch_op.drop_column("voice_sealed")
