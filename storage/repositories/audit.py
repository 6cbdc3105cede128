"""The append-only audit log: one chain per establishment (and one for the installation),
each link an HMAC-SHA256 under the audit key, so that any edit or deletion shows and nobody
holding only the database can recompute a chain to hide one."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import AuditChainHead, AuditEvent, PurgedReport, Report
from storage.models.audit import INSTALLATION_CHAIN

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
    head = _locked_head(session, chain)
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        report_id=report_id,
        establishment_id=establishment_id,
        chain=chain,
        seq=head.length + 1,
        detail=json.dumps(detail or {}, sort_keys=True, separators=(",", ":")),
        prev_hash=head.last_hash,
    )
    event.hash = chain_hash(key, event)
    session.add(event)
    head.last_hash = event.hash
    head.length = event.seq
    return event


def establishment_of_report(session: Session, report_id: int) -> int | None:
    """The establishment of a report, or of a purged report's tombstone."""
    found = session.scalar(select(Report.establishment_id).where(Report.id == report_id))
    if found is None:
        found = session.scalar(
            select(PurgedReport.establishment_id).where(PurgedReport.report_id == report_id)
        )
    return found


def _locked_head(session: Session, chain: int) -> AuditChainHead:
    # Locking this chain's head serialises its appenders on PostgreSQL (other chains go on);
    # SQLite already holds its one write lock (BEGIN IMMEDIATE), so no chain can fork.
    statement = (
        select(AuditChainHead)
        .where(AuditChainHead.chain == chain)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    head = session.scalars(statement).one_or_none()
    if head is not None:
        return head
    try:
        with session.begin_nested():  # a chain's first event: two may race to start it
            session.add(AuditChainHead(chain=chain, last_hash=GENESIS_HASH, length=0))
    except IntegrityError:
        pass
    return session.scalars(statement).one()


from storage.repositories.audit_verify import verify_audit_chain  # noqa: E402  (re-export)
