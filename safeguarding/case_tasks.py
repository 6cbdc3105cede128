"""Tasks on a case (issue 15.4): a piece of work, such as a cell move or a healthcare review,
with one owner and a date it is due by. The owner must be someone who may read the case.
A task is finished as done or no longer needed; what it is about and how it ended is said
in the sealed timeline entry, never in the row, so the queue, the owner's list and the
reminder can show it without decrypting anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import Permission, StaffPrincipal, may, require
from safeguarding.actions import (
    OPEN_STATUSES,
    ActionContext,
    ActionRefused,
    may_take_work,
    record_action,
    refuse_if_closed,
)
from safeguarding.i18n import N_
from storage.models import CaseTask, Report

EVENT_TASK_ADDED = "task_added"
EVENT_TASK_FINISHED = "task_finished"
MAX_DAYS_AHEAD = 366  # a date further off is a typing mistake

TASK_LABELS = {
    # Translators: a task on a case: move the person to another cell or wing.
    "cell_move": N_("Cell or wing move"),
    # Translators: a task on a case: healthcare sees the person.
    "healthcare_review": N_("Healthcare review"),
    # Translators: a task on a case: the mental health in-reach team sees the person.
    "mental_health_review": N_("Mental health review"),
    # Translators: a task on a case: a member of staff checks on the person's welfare.
    "welfare_check": N_("Welfare check"),
    # Translators: a task on a case: speak with the person who reported, or the person at risk.
    "speak_to_person": N_("Speak to the person"),
    # Translators: a task on a case: an ACCT (self-harm and suicide risk) review.
    "acct_review": N_("ACCT review"),
    # Translators: a task on a case: extra observations on the wing.
    "observations": N_("Extra observations"),
    # Translators: a task on a case that fits none of the other kinds (the note says what).
    "other": N_("Other task"),
}
FINISH_LABELS = {
    # Translators: how a task on a case ended: it was done.
    "done": N_("Done"),
    # Translators: how a task on a case ended: it was no longer needed (a reason is given).
    "not_needed": N_("No longer needed"),
}


def add_task(
    ctx: ActionContext, report: Report, *, kind: str, owner_id: int | None, due_on: date | None,
    note: str = "",
) -> CaseTask:  # fmt: skip
    require(ctx.principal, Permission.ADD_NOTE, report)
    refuse_if_closed(report)
    if kind not in TASK_LABELS:
        raise ActionRefused("task_kind:invalid")
    if owner_id is None or not may_take_work(ctx.session, report, owner_id):
        raise ActionRefused("task_owner:invalid")
    today = ctx.clock.now().date()
    if due_on is None or not today <= due_on <= date.fromordinal(
        today.toordinal() + MAX_DAYS_AHEAD
    ):
        raise ActionRefused("task_due_on:invalid")
    if kind == "other" and not note.strip():
        raise ActionRefused("task_note:required")
    task = CaseTask(
        report_id=report.id, kind=kind, owner_id=owner_id, due_on=due_on,
        created_at=ctx.clock.now(), created_by=ctx.principal.actor,
    )  # fmt: skip
    ctx.session.add(task)
    ctx.session.flush()
    record_action(
        ctx, report, EVENT_TASK_ADDED, "report.task_added",
        summary=facts.task_added(kind=kind, owner_id=owner_id, due_on=due_on.isoformat()),
        body=note.strip() or None,
        detail={"task_id": task.id, "kind": kind, "owner_id": owner_id},
    )  # fmt: skip
    return task


def finish_task(
    ctx: ActionContext, report: Report, *, task_id: int | None, outcome: str, note: str = ""
) -> CaseTask:
    require(ctx.principal, Permission.ADD_NOTE, report)
    refuse_if_closed(report)
    task = ctx.session.get(CaseTask, task_id) if task_id is not None else None
    if task is None or task.report_id != report.id:
        raise ActionRefused("task:unknown")
    if task.outcome is not None:
        raise ActionRefused("task:finished")
    if outcome not in FINISH_LABELS:
        raise ActionRefused("task_outcome:invalid")
    if outcome == "not_needed" and not note.strip():
        raise ActionRefused("task_finish_note:required")
    task.outcome, task.finished_at = outcome, ctx.clock.now()
    record_action(
        ctx, report, EVENT_TASK_FINISHED, "report.task_finished",
        summary=facts.task_finished(kind=task.kind, outcome=outcome), body=note.strip() or None,
        detail={"task_id": task.id, "outcome": outcome},
    )  # fmt: skip
    return task


def tasks_of(session: Session, report_id: int) -> list[CaseTask]:
    return list(
        session.scalars(
            select(CaseTask)
            .where(CaseTask.report_id == report_id)
            .order_by(CaseTask.outcome.is_not(None), CaseTask.due_on, CaseTask.id)
        )
    )


@dataclass(frozen=True)
class OwnedTask:
    task_id: int
    report_id: int
    kind: str
    due_on: date


def open_tasks_owned_by(session: Session, principal: StaffPrincipal) -> list[OwnedTask]:
    """The owner's unfinished tasks on open cases they may still read, soonest due first."""
    rows = session.execute(
        select(CaseTask, Report)
        .join(Report, Report.id == CaseTask.report_id)
        .where(
            CaseTask.owner_id == principal.staff_id,
            CaseTask.outcome.is_(None),
            Report.status.in_(OPEN_STATUSES),
        )
        .order_by(CaseTask.due_on, CaseTask.id)
    )
    return [
        OwnedTask(task.id, report.id, task.kind, task.due_on)
        for task, report in rows
        if may(principal, Permission.READ_REPORT, report)
    ]
