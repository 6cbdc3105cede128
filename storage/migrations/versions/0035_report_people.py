"""report people: report_person, who a report says is at risk, causing harm or reporting,
with a sealed identifier and its blind index (issue 14; docs/patterns.md)

Revision ID: 0035_report_people
Revises: 0034_duty_to_notify_fact
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035_report_people"
down_revision: str | Sequence[str] | None = "0034_duty_to_notify_fact"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("establishment_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("identifier_kind", sa.String(length=16), nullable=True),
        sa.Column("identifier_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("blind_index", sa.String(length=64), nullable=True),
        sa.Column("index_key_id", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(length=80), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_person_report_id_report")
        ),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_report_person_establishment_id_establishment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_person")),
    )
    with op.batch_alter_table("report_person", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_person_blind_index", ["blind_index", "establishment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_report_person_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_table("report_person")
