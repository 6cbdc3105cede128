"""The append-only audit log: one chain per establishment (and one for the installation),
each link an HMAC-SHA256 under the audit key, so that any edit or deletion shows and nobody
holding only the database can recompute a chain to hide one."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import AuditChainHead, AuditEvent, PurgedReport, Report
from storage.models.audit import INSTALLATION_CHAIN
from storage.repositories.new_rows import insert_rows

GENESIS_HASH = "0" * 64

__all__ = [
    "GENESIS_HASH",
    "INSTALLATION_CHAIN",
    "AuditKeyMissing",
    "append_audit",
    "chain_hash",
    "verify_audit_chain",
]


class AuditKeyMissing(RuntimeError):
    """The session has no audit key: Database.connect(..., audit_key=...) was not given one."""


def session_audit_key(session: Session) -> bytes:
    key = session.info.get("audit_key")
    if not isinstance(key, bytes) or len(key) < 32:
        raise AuditKeyMissing("no audit key: build the Database with Secrets.audit_key")
    return key


def chain_hash(key: bytes, event: AuditEvent) -> str:
    """The HMAC of one event: its chain, place, predecessor and every field it records."""
    canonical = json.dumps(
        [
            "audit/v2",
            event.chain,
            event.seq,
            event.prev_hash,
            event.at.isoformat(),
            event.actor,
            event.action,
            event.report_id,
            event.establishment_id,
            event.detail,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def append_audit(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    report_id: int | None = None,
    detail: dict[str, Any] | None = None,
    establishment_id: int | None = None,
) -> AuditEvent:
    """Add one event at the tip of its establishment's chain. Never put sensitive text in
    ``detail``. Without ``establishment_id`` the report's establishment is used; an event
    about no report and no establishment goes to the installation's chain."""
    key = session_audit_key(session)
    if establishment_id is None and report_id is not None:
        establishment_id = establishment_of_report(session, report_id)
    chain = establishment_id if establishment_id is not None else INSTALLATION_CHAIN
    last_hash, length = _locked_head(session, chain)
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        report_id=report_id,
        establishment_id=establishment_id,
        chain=chain,
        seq=length + 1,
        detail=json.dumps(detail or {}, sort_keys=True, separators=(",", ":")),
        prev_hash=last_hash,
    )
    event.hash = chain_hash(key, event)
    # Core statements, built once: the ORM's unit of work would cost as much as the SQL.
    insert_rows(session, [event])
    session.execute(
        _MOVE_HEAD, {"head_chain": chain, "new_hash": event.hash, "new_length": event.seq}
    )
    return event


def establishment_of_report(session: Session, report_id: int) -> int | None:
    """The establishment of a report, or of a purged report's tombstone."""
    found = session.scalar(select(Report.establishment_id).where(Report.id == report_id))
    if found is None:
        found = session.scalar(
            select(PurgedReport.establishment_id).where(PurgedReport.report_id == report_id)
        )
    return found


_HEADS = cast(Table, AuditChainHead.__table__)
# Locking this chain's head serialises its appenders on PostgreSQL (other chains go on);
# SQLite already holds its one write lock (BEGIN IMMEDIATE), so no chain can fork.
_LOCK_HEAD = (
    select(_HEADS.c.last_hash, _HEADS.c.length)
    .where(_HEADS.c.chain == bindparam("chain"))
    .with_for_update()
)
_MOVE_HEAD = (
    update(_HEADS)
    .where(_HEADS.c.chain == bindparam("head_chain"))
    .values(last_hash=bindparam("new_hash"), length=bindparam("new_length"))
)
_START_CHAIN = insert(_HEADS).values(last_hash=GENESIS_HASH, length=0)


def _locked_head(session: Session, chain: int) -> tuple[str, int]:
    """The chain's last hash and length, its head row locked until the transaction ends."""
    head = session.execute(_LOCK_HEAD, {"chain": chain}).one_or_none()
    if head is not None:
        return head.last_hash, head.length
    try:
        with session.begin_nested():  # a chain's first event: two may race to start it
            session.execute(_START_CHAIN, {"chain": chain})
    except IntegrityError:
        pass
    head = session.execute(_LOCK_HEAD, {"chain": chain}).one()
    return head.last_hash, head.length


from storage.repositories.audit_verify import verify_audit_chain  # noqa: E402  (re-export)
