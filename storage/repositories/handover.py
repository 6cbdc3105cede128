"""What changed while a member of staff was away: counts over the reports they may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from storage.models import ExternalReferral, Report, StaffSession
from storage.repositories.people import not_naming
from storage.repositories.queue import QueueScope


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
    session: Session, *, scope: QueueScope, since: datetime, now: datetime, horizon: datetime
) -> HandoverCounts:
    """Each count a statement of its own with its condition in the WHERE, so the databases
    test it on index entries and read only the rows that pass, and none reads the years of
    reports behind them: received since (by creation time), open ones (the partial indexes
    of 0041), and chases from the referrals' side."""
    if not scope.queues or not scope.establishment_ids:
        return HandoverCounts(0, 0, 0)
    seen = (
        Report.establishment_id.in_(sorted(scope.establishment_ids)),
        Report.queue.in_(scope.queues),
        not_naming(scope.hidden_indexes),
    )
    is_open = Report.queue_rank.is_not(None)  # open (0041): the partial indexes' condition

    def counted(*conditions: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count(Report.id)).where(*seen, *conditions)) or 0

    # queue_rank's 2 is clear when the reporter added information (0041): tested in
    # ix_report_queue_due itself, so only those reports are read for the date.
    added = (Report.queue_rank.op("%")(4) < 2, Report.new_information_at > since)
    # The few referrals whose chase date has passed, each report looked up by its id.
    report_open = exists().where(Report.id == ExternalReferral.report_id, *seen, is_open)
    chased = select(func.count(func.distinct(ExternalReferral.report_id))).where(
        ExternalReferral.chase_on < now.date(), report_open
    )
    return HandoverCounts(
        new_reports=counted(Report.created_at > since),
        new_information=counted(is_open, *added),
        due_soon=counted(is_open, Report.due_at >= now, Report.due_at <= horizon),
        chases_overdue=session.scalar(chased) or 0,
    )
