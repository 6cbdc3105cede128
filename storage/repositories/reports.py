from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from storage.models import Establishment, Report, ReportAnswer, ReportCategory, TimelineEvent
from storage.repositories.insert_once import InsertOnce
from storage.repositories.new_rows import insert_rows


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


def add_new_report_rows(
    session: Session,
    report: Report,
    *,
    answers: Sequence[ReportAnswer],
    categories: Sequence[ReportCategory],
    events: Sequence[TimelineEvent],
) -> None:
    """A new report's first rows of each collection, one INSERT per table
    (storage.repositories.new_rows), kept as the collections' loaded values so that reading
    them costs nothing. They stay out of the session: what is appended later is added as
    usual."""
    for collection, rows in (("answers", answers), ("categories", categories), ("events", events)):
        insert_rows(session, rows)
        set_committed_value(report, collection, list(rows))


def write_new_report_seals(session: Session, report: Report, sealed: dict[str, bytes]) -> None:
    """Store a new report's sealed columns (``{attribute: sealed value}``) in one UPDATE
    outside the unit of work, and keep them as the report's loaded values."""
    if not sealed:
        return
    session.execute(_update_report(frozenset(sealed)), {"report_id": report.id, **sealed})
    for attribute, value in sealed.items():
        set_committed_value(report, attribute, value)


@cache
def _update_report(attributes: frozenset[str]) -> Update:
    table = cast(Table, Report.__table__)
    return (
        update(table)
        .where(table.c.id == bindparam("report_id"))
        .values({name: bindparam(name) for name in sorted(attributes)})
    )


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
