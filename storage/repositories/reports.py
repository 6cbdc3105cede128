from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from storage.models import Establishment, Report, TimelineEvent
from storage.repositories.insert_once import InsertOnce


def find_report_by_submission_key(session: Session, submission_key_hash: str) -> Report | None:
    return session.scalars(
        select(Report).where(Report.submission_key_hash == submission_key_hash)
    ).one_or_none()


def find_report_by_code_hash(session: Session, code_hash: str) -> Report | None:
    return session.scalars(select(Report).where(Report.code_hash == code_hash)).one_or_none()


_INSERT_REPORT_ONCE = InsertOnce(Report)  # conflicts: the submission key or the code hash
# A new report has none of these yet: known empty, so adding to them reads nothing back.
_NEW_REPORT_COLLECTIONS = ("answers", "categories", "events", "recordings")


def insert_report_once(session: Session, values: dict[str, Any]) -> Report | None:
    """Insert a report row unless one with the same submission key or code hash exists
    (storage.repositories.insert_once). The row comes back as a persistent Report with
    empty collections; None when nothing was inserted."""
    report = _INSERT_REPORT_ONCE(session, values)
    if report is None:
        return None
    for collection in _NEW_REPORT_COLLECTIONS:
        set_committed_value(report, collection, [])
    return report


def add_timeline_event(
    session: Session,
    report: Report,
    *,
    kind: str,
    actor: str,
    at: datetime,
    summary: str = "",
    body_sealed: bytes | None = None,
) -> TimelineEvent:
    event = TimelineEvent(kind=kind, actor=actor, at=at, summary=summary, body_sealed=body_sealed)
    report.events.append(event)
    return event


@dataclass(frozen=True)
class ReportMetadata:
    """What may be listed outside the case page: never content, never who reported."""

    id: int
    establishment: str
    channel: str
    language: str
    priority: str
    queue: str
    status: str
    created_at: datetime
    acknowledge_due_at: datetime | None
    triage_due_at: datetime


def list_report_metadata(session: Session, *, limit: int = 1000) -> Sequence[ReportMetadata]:
    statement = (
        select(Report, Establishment.code)
        .join(Establishment, Report.establishment_id == Establishment.id)
        .order_by(Report.id)
        .limit(limit)
    )
    return [
        ReportMetadata(
            id=report.id,
            establishment=code,
            channel=report.channel,
            language=report.language,
            priority=report.priority,
            queue=report.queue,
            status=report.status,
            created_at=report.created_at,
            acknowledge_due_at=report.acknowledge_due_at,
            triage_due_at=report.triage_due_at,
        )
        for report, code in session.execute(statement)
    ]
