"""call secrets: a keyed hash of the CallSid instead of the CallSid, the nonce sealed

Revision ID: 0008_call_secrets
Revises: 0008_row_bound_seals

The CallSid names the call at Twilio (its recordings, its number) and the submission nonce
is what the call's follow-up code derives from; both were stored in clear. Each CallSid is
replaced by HMAC-SHA256(code pepper, "call_sid|" + CallSid), which is all a lookup needs,
and each nonce is sealed bound to its row. ``storage.migrate.upgrade`` passes the pepper
and the vault in ``config.attributes``.
"""

import hashlib
import hmac
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_call_secrets"
down_revision: str | None = "0008_row_bound_seals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("call_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("call_sid_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("submission_nonce_sealed", sa.LargeBinary(), nullable=True))
    _convert()
    with op.batch_alter_table("call_session", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_call_session_call_sid"), type_="unique")
        batch_op.drop_column("call_sid")
        batch_op.drop_column("submission_nonce")
        batch_op.alter_column("call_sid_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column(
            "submission_nonce_sealed", existing_type=sa.LargeBinary(), nullable=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_call_session_call_sid_hash"), ["call_sid_hash"]
        )


def _convert() -> None:
    bind = op.get_bind()
    calls = bind.execute(sa.text("SELECT id, call_sid, submission_nonce FROM call_session")).all()
    if not calls:
        return
    attributes = op.get_context().config.attributes if op.get_context().config else {}
    pepper, vault = attributes.get("code_pepper"), attributes.get("vault")
    if not isinstance(pepper, bytes) or not pepper or vault is None:
        raise RuntimeError("hashing CallSids needs the keys: run `safereport db upgrade`")
    for call_id, call_sid, nonce in calls:
        digest = hmac.new(pepper, f"call_sid|{call_sid}".encode(), hashlib.sha256).hexdigest()
        sealed = vault.seal(
            nonce.encode(), purpose=f"call_session.submission_nonce_sealed#{call_id}"
        )
        bind.execute(
            sa.text(
                "UPDATE call_session SET call_sid_hash = :h, submission_nonce_sealed = :n WHERE id = :id"
            ),
            {"h": digest, "n": sealed, "id": call_id},
        )


def downgrade() -> None:
    raise NotImplementedError("a CallSid cannot be recovered from its keyed hash")
