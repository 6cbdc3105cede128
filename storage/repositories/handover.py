"""What changed while a member of staff was away: counts over the reports they may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from storage.models import Report, StaffSession
from storage.repositories.people import not_naming
from storage.repositories.queue import (
    DeadlineRules,
    QueueScope,
    overdue_chase_expression,
)


@dataclass(frozen=True)
class HandoverCounts:
    new_reports: int  # received since
    new_information: int  # a reporter added to an open case since
    due_soon: int  # open, with a deadline from now to the horizon
    chases_overdue: int = 0  # open, with a referral past its chase date


def last_seen_before(session: Session, *, staff_id: int, signed_in_at: datetime) -> datetime | None:
    """When this person was last active before the sign-in now in use (None: never)."""
    statement = select(func.max(StaffSession.last_seen_at)).where(
        StaffSession.staff_id == staff_id,
        StaffSession.stage == "active",
        StaffSession.created_at < signed_in_at,
    )
    found: datetime | None = session.scalar(statement)
    return found


def handover_counts(
    session: Session,
    *,
    scope: QueueScope,
    rules: DeadlineRules,
    since: datetime,
    now: datetime,
    horizon: datetime,
) -> HandoverCounts:
    """Two statements, each through an index: the reports received since (by creation
    time), and the open ones (ix_report_queue_due). One statement over "received since, or
    open" read every report of the years behind them."""
    if not scope.queues or not scope.establishment_ids:
        return HandoverCounts(0, 0, 0)
    seen = (
        Report.establishment_id.in_(sorted(scope.establishment_ids)),
        Report.queue.in_(scope.queues),
        not_naming(scope.hidden_indexes),
    )
    received = select(func.count(Report.id)).where(*seen, Report.created_at > since)
    due = Report.due_at
    open_counts = select(
        func.sum(case((Report.new_information_at > since, 1), else_=0)),
        func.sum(case((and_(due >= now, due <= horizon), 1), else_=0)),
        func.sum(case((overdue_chase_expression(now.date()), 1), else_=0)),
    ).where(
        *seen,
        Report.queue_rank.is_not(None),  # open: the partial index's own condition
        Report.status.in_(rules.open_statuses),
    )
    new_information, due_soon, chases = session.execute(open_counts).one()
    return HandoverCounts(
        int(session.scalar(received) or 0),
        int(new_information or 0),
        int(due_soon or 0),
        int(chases or 0),
    )
