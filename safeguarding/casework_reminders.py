"""Reminding the owner of a task past its due date, or of a protection plan past its review
date (issue 15.4): once per item and date (a new due or review date earns a new reminder),
to the owner while they may still work the case, else to the leads on call
(safeguarding.reminders). The email names the case number, the kind of task and the date.
A retaliation check-in that falls due is reminded once, to whoever the case is assigned to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Permission
from safeguarding.actions import OPEN_STATUSES
from safeguarding.alerts import NOTIFY_EMAIL
from safeguarding.clock import Clock
from safeguarding.reminders import recipients
from storage.models import (
    CaseTask,
    ProtectionPlan,
    Report,
    ReportAssignment,
    RetaliationCheckIn,
    StaffUser,
)
from storage.repositories.outbox import enqueue_once


def remind_overdue_casework(session: Session, *, clock: Clock) -> int:
    """Queue the reminders due now; returns how many were queued."""
    now = clock.now()
    today = now.date()
    queued = 0
    late_tasks = session.execute(
        select(CaseTask, Report)
        .join(Report, Report.id == CaseTask.report_id)
        .where(
            Report.status.in_(OPEN_STATUSES), CaseTask.outcome.is_(None), CaseTask.due_on < today
        )
    ).all()
    for task, report in late_tasks:
        stamp = f"task:{task.id}:{task.due_on.isoformat()}"
        payload = {"template": "task_overdue", "report_id": report.id, "task_id": task.id}
        queued += _queue(session, stamp, payload, task.owner_id, report, now)
    late_plans = session.execute(
        select(ProtectionPlan, Report)
        .join(Report, Report.id == ProtectionPlan.report_id)
        .where(Report.status.in_(OPEN_STATUSES), ProtectionPlan.review_on < today)
    ).all()
    for plan, report in late_plans:
        stamp = f"plan:{report.id}:{plan.review_on.isoformat()}"
        payload = {"template": "plan_review_overdue", "report_id": report.id}
        queued += _queue(session, stamp, payload, plan.owner_id, report, now)
    return queued + _remind_checkins(session, now)


def _remind_checkins(session: Session, now: datetime) -> int:
    """Check-ins due, closed cases included: to whoever the case is assigned to, else the
    leads on call. Once per check-in."""
    queued = 0
    due = session.execute(
        select(RetaliationCheckIn, Report, ReportAssignment.staff_id)
        .join(Report, Report.id == RetaliationCheckIn.report_id)
        .outerjoin(ReportAssignment, ReportAssignment.report_id == Report.id)
        .where(RetaliationCheckIn.outcome.is_(None), RetaliationCheckIn.due_at <= now)
    ).all()
    for checkin, report, assignee_id in due:
        payload = {"template": "checkin_due", "report_id": report.id, "checkin_id": checkin.id}
        queued += _queue(session, f"checkin:{checkin.id}", payload, assignee_id, report, now)
    return queued


def _queue(
    session: Session, stamp: str, payload: dict[str, object], owner_id: int | None,
    report: Report,
    now: datetime,
) -> int:  # fmt: skip
    queued = 0
    owner = session.get(StaffUser, owner_id) if owner_id is not None else None
    for key, value in recipients(session, owner, report, Permission.ADD_NOTE):
        queued += enqueue_once(
            session, kind=NOTIFY_EMAIL, dedupe_key=f"{stamp}:{key}:{value}",
            payload={**payload, key: value}, at=now,
        )  # fmt: skip
    return queued
