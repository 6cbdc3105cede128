"""row-bound seals: AES-GCM associated data names the table, the column and the row's id

Revision ID: 0008_row_bound_seals
Revises: 0008_audit_chains, 0003_kiosk, 0005_alerts, 0007_phone_settings

Before, a sealed value was bound to its column only, so a value copied to another row
opened as that row's. Every sealed value is opened with its old binding and sealed again
bound to ``table.column#id``, under the vault ``storage.migrate.upgrade`` passes in
``config.attributes["vault"]``. No schema change.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_row_bound_seals"
# After every migration that adds a sealed column (kiosk drafts in 0003, the caller's number
# in 0007), so it runs last whatever order the heads are upgraded in.
down_revision: str | tuple[str, ...] | None = (
    "0008_audit_chains",
    "0003_kiosk",
    "0005_alerts",
    "0007_phone_settings",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, primary key, column, the column-only purpose used before). Frozen at this revision.
SEALED = (
    ("report", "id", "details_sealed", "report.details"),
    ("report", "id", "reporter_identity_sealed", "report.reporter_identity"),
    ("report", "id", "caller_number_sealed", "report.caller_number"),
    ("recording", "id", "audio_sealed", "recording.audio"),
    ("recording", "id", "source_url_sealed", "recording.source_url"),
    ("timeline_event", "id", "body_sealed", "timeline.body"),
    ("staff_user", "id", "totp_secret_sealed", "staff.totp_secret"),
    ("kiosk_draft", "id", "state_sealed", "kiosk_draft.state"),
)


def upgrade() -> None:
    bind = op.get_bind()
    vault = op.get_context().config.attributes.get("vault") if op.get_context().config else None
    for table, key, column, old_purpose in SEALED:
        rows = bind.execute(
            sa.text(f"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL")  # noqa: S608
        ).all()
        rows = [row for row in rows if row[1]]
        if rows and vault is None:
            raise RuntimeError("re-sealing needs the data keys: run `safereport db upgrade`")
        for row_id, sealed in rows:
            plain = vault.open(bytes(sealed), purpose=old_purpose)
            resealed = vault.seal(plain, purpose=f"{table}.{column}#{row_id}")
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :v WHERE {key} = :id"),  # noqa: S608
                {"v": resealed, "id": row_id},
            )


def downgrade() -> None:
    raise NotImplementedError("values bound to their rows are not unbound again")
