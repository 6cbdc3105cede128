"""The append-only audit log, chained by SHA-256 so that any edit or deletion shows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _event_hash(
    prev_hash: str, at: datetime, actor: str, action: str, report_id: int | None, detail: str
) -> str:
    canonical = json.dumps(
        [prev_hash, at.isoformat(), actor, action, report_id, detail],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def append_audit(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    report_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event at the tip of the chain. Never put sensitive text in ``detail``."""
    # Locking the head row serialises appenders on PostgreSQL; SQLite already holds its
    # write lock (BEGIN IMMEDIATE), so the chain cannot fork on either.
    head = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
    ).scalar_one()
    detail_json = json.dumps(detail or {}, sort_keys=True, separators=(",", ":"))
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        report_id=report_id,
        detail=detail_json,
        prev_hash=head.last_hash,
        hash=_event_hash(head.last_hash, at, actor, action, report_id, detail_json),
    )
    session.add(event)
    head.last_hash = event.hash
    head.length += 1
    return event


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    events_checked: int
    first_bad_event_id: int | None = None
    reason: str = ""


def verify_audit_chain(session: Session, *, batch: int = 5000) -> ChainVerdict:
    """Walk the chain from the start; report the first event that does not fit."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            break
        for event in rows:
            recomputed = _event_hash(
                event.prev_hash, event.at, event.actor, event.action, event.report_id, event.detail
            )
            if event.prev_hash != expected_prev:
                return ChainVerdict(False, checked, event.id, "link to previous event broken")
            if recomputed != event.hash:
                return ChainVerdict(False, checked, event.id, "event altered")
            expected_prev = event.hash
            checked += 1
            last_id = event.id
    head = session.get(AuditChainHead, 1)
    if head is None or head.last_hash != expected_prev or head.length != checked:
        return ChainVerdict(False, checked, None, "events missing from the end of the chain")
    return ChainVerdict(True, checked)
