"""Tasks and the protection plan on the case page: the rows shown, and the forms that add and
finish a task, and set and review the plan. The rules are in safeguarding.case_tasks and
safeguarding.protection_plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from safeguarding.actions import ActionContext
from safeguarding.case_tasks import FINISH_LABELS, TASK_LABELS, add_task, finish_task, tasks_of
from safeguarding.protection_plans import plan_of, review_overdue, review_plan, set_plan
from storage.ids import parse_row_id
from storage.models import Report, StaffUser
from translations.i18n import _
from triage.case_referrals import form_date
from triage.labels import label

Form = MultiDict[str, str]


@dataclass(frozen=True)
class TaskRow:
    id: int
    kind: str  # in the reader's language
    owner: str
    due_on: date
    late: bool
    outcome: str  # in the reader's language, or "" while open


@dataclass(frozen=True)
class PlanBox:
    owner: str
    review_on: date
    review_late: bool
    set_at: datetime
    reviewed_at: datetime | None


def task_rows(session: Session, report_id: int, today: date) -> list[TaskRow]:
    tasks = tasks_of(session, report_id)
    names = _names(session, {task.owner_id for task in tasks})
    return [
        TaskRow(
            id=task.id,
            kind=label("task", task.kind),
            owner=names.get(task.owner_id, ""),
            due_on=task.due_on,
            late=task.outcome is None and task.due_on < today,
            outcome=label("task_outcome", task.outcome) if task.outcome else "",
        )
        for task in tasks
    ]


def plan_box(session: Session, report_id: int, today: date) -> PlanBox | None:
    plan = plan_of(session, report_id)
    if plan is None:
        return None
    owner = _names(session, {plan.owner_id}).get(plan.owner_id, "")
    return PlanBox(
        owner, plan.review_on, review_overdue(plan, today), plan.set_at, plan.reviewed_at
    )


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(ids))
    )
    return {staff_id: name for staff_id, name in rows}


def add(ctx: ActionContext, report: Report, form: Form) -> None:
    add_task(
        ctx,
        report,
        kind=form.get("task_kind", ""),
        owner_id=parse_row_id(form.get("task_owner", "")),
        due_on=form_date(form, "task_due_on"),
        note=form.get("task_note", ""),
    )


def finish(ctx: ActionContext, report: Report, form: Form) -> None:
    finish_task(
        ctx,
        report,
        task_id=parse_row_id(form.get("task_id", "")),
        outcome=form.get("task_outcome", ""),
        note=form.get("task_finish_note", ""),
    )


def plan(ctx: ActionContext, report: Report, form: Form) -> None:
    set_plan(
        ctx,
        report,
        owner_id=parse_row_id(form.get("plan_owner", "")),
        review_on=form_date(form, "plan_review_on"),
        plan=form.get("plan_text", ""),
    )


def review(ctx: ActionContext, report: Report, form: Form) -> None:
    review_plan(
        ctx,
        report,
        next_review_on=form_date(form, "plan_next_review_on"),
        note=form.get("plan_review_note", ""),
    )


def options() -> dict[str, list[tuple[str, str]]]:
    return {
        "task_kinds": [(key, label("task", key)) for key in TASK_LABELS],
        "task_outcomes": [(key, label("task_outcome", key)) for key in FINISH_LABELS],
    }


def refusal_messages() -> dict[str, tuple[str, str]]:
    """Where each refusal of the task and plan forms points, and what it says."""
    return {
        # Translators: error on the form that adds a task to a case.
        "task_kind:invalid": ("task_kind", _("Choose what the task is.")),
        # Translators: error on the task form: the owner must be able to read the case.
        "task_owner:invalid": ("task_owner", _("Choose someone who may see this report.")),
        "task_due_on:invalid": (
            "task_due_on",
            # Translators: error on the task form.
            _("Enter the date it is due, like 2026-12-01: today or later, within a year."),
        ),
        # Translators: error on the task form: "Other task" needs words saying what it is.
        "task_note:required": ("task_note", _("Say what the task is.")),
        # Translators: error on the form that finishes a task.
        "task:unknown": ("actions", _("That task is not on this case.")),
        # Translators: error: someone already finished the task.
        "task:finished": ("tasks", _("That task is already finished. The timeline says by whom.")),
        # Translators: error on the form that finishes a task.
        "task_outcome:invalid": ("task_outcome", _("Choose done or no longer needed.")),
        # Translators: error: a task that is no longer needed needs the reason.
        "task_finish_note:required": ("task_finish_note", _("Say why it is no longer needed.")),
        # Translators: error on the protection plan form.
        "plan_owner:invalid": ("plan_owner", _("Choose someone who may see this report.")),
        "plan_review_on:invalid": (
            "plan_review_on",
            # Translators: error on the protection plan form.
            _("Enter a review date after today and within 3 months, like 2026-12-15."),
        ),
        "plan_next_review_on:invalid": (
            "plan_next_review_on",
            # Translators: error on the plan review form.
            _("Enter a review date after today and within 3 months, like 2026-12-15."),
        ),
        # Translators: error: a review was recorded on a case with no protection plan.
        "plan:none": ("actions", _("This case has no protection plan to review yet.")),
    }
