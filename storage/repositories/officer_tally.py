"""The reports that name members of staff, by blind index only (nothing is opened here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Report, ReportCategory, ReportPerson
from storage.repositories.people import not_naming

STAFF_KIND = "staff"  # safeguarding.people.STAFF, repeated: storage imports nothing of ours


@dataclass(frozen=True)
class StaffMention:
    """One report naming one member of staff (by blind index), whatever role it gives them."""

    blind_index: str
    report_id: int
    created_at: datetime
    person_id: int  # one row carrying the index: what the page opens to show who it is


def fetch_staff_mentions(
    session: Session,
    *,
    establishment_ids: frozenset[int],
    queues: Sequence[str],
    since: datetime,
    hidden_indexes: frozenset[str],
) -> list[StaffMention]:
    """Each (index, report) pair once, for reports in ``queues`` at ``establishment_ids``
    made since ``since``, leaving out reports that carry any of ``hidden_indexes``."""
    statement = (
        select(
            ReportPerson.blind_index,
            Report.id,
            Report.created_at,
            func.min(ReportPerson.id),
        )
        .join(Report, Report.id == ReportPerson.report_id)
        .where(
            ReportPerson.kind == STAFF_KIND,
            ReportPerson.removed_at.is_(None),
            ReportPerson.blind_index.is_not(None),
            Report.establishment_id.in_(sorted(establishment_ids)),
            Report.queue.in_(list(queues)),
            Report.created_at >= since,
            not_naming(hidden_indexes),
        )
        .group_by(ReportPerson.blind_index, Report.id, Report.created_at)
        .order_by(ReportPerson.blind_index, Report.id)
    )
    return [
        StaffMention(index, report_id, created_at, person_id)
        for index, report_id, created_at, person_id in session.execute(statement)
        if index
    ]


def fetch_categories(session: Session, report_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not report_ids:
        return found
    rows = session.execute(
        select(ReportCategory.report_id, ReportCategory.category)
        .where(ReportCategory.report_id.in_(sorted(set(report_ids))))
        .order_by(ReportCategory.report_id, ReportCategory.category)
    )
    for report_id, category in rows:
        found.setdefault(report_id, []).append(category)
    return found
