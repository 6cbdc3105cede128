"""Reads on record: who looked at a report, played a recording, was refused a report, or
read the queue, the audit log or the quality figures. Each read is appended to the audit
chain, like every change, so the staff pages only read from storage and never write."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.repositories.audit import append_audit


def record_read(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    report_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """One read, at the service clock's ``at``. ``detail`` holds ids and filters only."""
    append_audit(session, at=at, actor=actor, action=action, report_id=report_id, detail=detail)
