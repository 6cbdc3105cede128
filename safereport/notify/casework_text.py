"""The words of a reminder about an overdue task or plan review
(safeguarding/casework_reminders.py): case number, kind of task and date, never what the
task, the plan or the report says."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from safeguarding.case_tasks import TASK_LABELS
from storage.models import CaseTask, ProtectionPlan, RetaliationCheckIn


def casework_reminder(
    session: Session, gettext: Any, values: dict[str, str], payload: dict[str, Any]
) -> tuple[str, str]:
    """The subject and the text of the reminder."""
    if payload["template"] == "task_overdue":
        task = session.get(CaseTask, payload["task_id"])
        if task is None or task.outcome is not None:
            raise LookupError(f"task {payload['task_id']} is not open")
        filled = {
            **values,
            "task": gettext(TASK_LABELS.get(task.kind, task.kind)),
            "date": task.due_on.strftime("%d %b %Y"),
        }
        # Translators: email subject to staff: a task on a case they own is overdue.
        subject = gettext("A task on case %(case)s at %(establishment)s is overdue") % filled
        # Translators: email to staff: %(task)s is the kind of task (for example "Healthcare
        # review"), %(date)s the date it was due. Never add report content.
        text = gettext(
            "SafeReport: the task \u201c%(task)s\u201d on case %(case)s was due by %(date)s "
            "and is not marked done. Do it, or record why it is no longer needed: %(link)s"
        )
        return subject, text % filled
    if payload["template"] == "checkin_due":
        return _checkin_reminder(session, gettext, values, payload)
    plan = session.get(ProtectionPlan, payload["report_id"])
    if plan is None:
        raise LookupError(f"case {payload['report_id']} has no protection plan")
    filled = {**values, "date": plan.review_on.strftime("%d %b %Y")}
    # Translators: email subject to staff: the protection plan they own is due for review.
    subject = gettext("Review the protection plan on case %(case)s at %(establishment)s") % filled
    # Translators: email to staff: %(date)s is the date the review was due. Never add report
    # content.
    text = gettext(
        "SafeReport: the protection plan on case %(case)s was due for review by %(date)s. "
        "Review it and record the next review date: %(link)s"
    )
    return subject, text % filled


def _checkin_reminder(
    session: Session, gettext: Any, values: dict[str, str], payload: dict[str, Any]
) -> tuple[str, str]:
    checkin = session.get(RetaliationCheckIn, payload["checkin_id"])
    if checkin is None or checkin.outcome is not None:
        raise LookupError(f"check-in {payload['checkin_id']} is not due")
    filled = {**values, "number": checkin.number}
    # Translators: email subject to staff: time to check on someone who reported, in case
    # they are punished for it.
    subject = gettext("Check on the person who made report %(case)s at %(establishment)s") % filled
    # Translators: email to staff: %(number)d is which check-in (1, 2 or 3). Never add report
    # content.
    text = gettext(
        "SafeReport: check-in %(number)d on the person who made report %(case)s is due, even "
        "if the case is closed. See them, and record what you found: %(link)s"
    )
    return subject, text % filled
