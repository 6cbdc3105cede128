"""audit chains: keyed (HMAC-SHA256) and one per establishment, plus the installation's

Revision ID: 0008_audit_chains
Revises: 0006_quality

Existing events are first checked against the old SHA-256 chain (a broken chain is never
blessed by re-keying it), then given their establishment (their report's, or the purged
report's) and re-linked in their original order under the audit key, which
``storage.migrate.upgrade`` passes in ``config.attributes["audit_key"]``.
"""

import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008_audit_chains"
down_revision: str | None = "0006_quality"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
INSTALLATION_CHAIN = 0


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("establishment_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("chain", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
    old_head = _old_head()
    op.drop_table("audit_chain_head")
    op.create_table(
        "audit_chain_head",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chain_head")),
    )
    _rekey(old_head)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("chain", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_audit_event_establishment_id"), ["establishment_id"], unique=False
        )
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_chain"), ["chain", "seq"])


def _old_head() -> tuple[str, int]:
    row = op.get_bind().execute(sa.text("SELECT last_hash, length FROM audit_chain_head")).first()
    return (row[0], row[1]) if row else (GENESIS, 0)


def _rekey(old_head: tuple[str, int]) -> None:
    bind = op.get_bind()
    events = bind.execute(
        sa.text(
            "SELECT id, at, actor, action, report_id, detail, prev_hash, hash "
            "FROM audit_event ORDER BY id"
        )
    ).all()
    if not events:
        return
    _check_old_chain(events, old_head)
    key = op.get_context().config.attributes.get("audit_key") if op.get_context().config else None
    if not isinstance(key, bytes) or len(key) < 32:
        raise RuntimeError(
            "re-keying the audit log needs the audit key: run `safereport db upgrade`"
        )
    owners = _report_establishments(bind)
    heads: dict[int, tuple[str, int]] = {}
    for event in events:
        establishment = owners.get(event.report_id) if event.report_id is not None else None
        chain = establishment if establishment is not None else INSTALLATION_CHAIN
        prev, length = heads.get(chain, (GENESIS, 0))
        fields = [chain, length + 1, prev, _at(event.at).isoformat(), event.actor, event.action,
                  event.report_id, establishment, event.detail]  # fmt: skip
        digest = _hmac(key, fields)
        bind.execute(
            sa.text(
                "UPDATE audit_event SET establishment_id = :e, chain = :c, seq = :s, "
                "prev_hash = :p, hash = :h WHERE id = :id"
            ),
            {"e": establishment, "c": chain, "s": length + 1, "p": prev, "h": digest,
             "id": event.id},
        )  # fmt: skip
        heads[chain] = (digest, length + 1)
    bind.execute(
        sa.text("INSERT INTO audit_chain_head (chain, last_hash, length) VALUES (:c, :h, :n)"),
        [{"c": c, "h": h, "n": n} for c, (h, n) in heads.items()],
    )


def _check_old_chain(events: Sequence[Any], old_head: tuple[str, int]) -> None:
    expected = GENESIS
    for event in events:
        canonical = json.dumps(
            [expected, _at(event.at).isoformat(), event.actor, event.action, event.report_id,
             event.detail],
            separators=(",", ":"), ensure_ascii=False,
        )  # fmt: skip
        if (
            event.prev_hash != expected
            or hashlib.sha256(canonical.encode()).hexdigest() != event.hash
        ):
            raise RuntimeError(
                f"the audit log is broken at event {event.id}: it is not re-keyed; "
                "keep this database as evidence and restore from a backup"
            )
        expected = event.hash
    if old_head != (expected, len(events)):
        raise RuntimeError("events are missing from the end of the audit log: not re-keyed")


def _report_establishments(bind: sa.Connection) -> dict[int, int]:
    owners = {
        r.id: r.establishment_id
        for r in bind.execute(sa.text("SELECT id, establishment_id FROM report"))
    }
    for row in bind.execute(sa.text("SELECT report_id, establishment_id FROM purged_report")):
        owners.setdefault(row.report_id, row.establishment_id)
    return owners


def _at(value: Any) -> Any:
    """SQLite returns text or a naive datetime; the chain hashed the aware UTC value."""
    from datetime import UTC, datetime

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _hmac(key: bytes, fields: list[Any]) -> str:
    # Frozen copy of storage.repositories.audit.chain_hash at this revision.
    canonical = json.dumps(["audit/v2", *fields], separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def downgrade() -> None:
    raise NotImplementedError("the keyed audit chains cannot be turned back into one SHA-256 chain")
