"""Evidence to secure, on the case page: the rows shown with their countdowns, and the form
that records an item as secured or not possible. The rules are in safeguarding.evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.evidence import OUTCOME_LABELS, record_evidence, tasks_of
from storage.ids import parse_row_id
from storage.models import Report
from translations.i18n import _
from triage.labels import label

Form = MultiDict[str, str]


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    kind: str  # in the reader's language
    due_at: datetime
    time_left: str  # "3 days left", "Overdue", or "" once recorded
    late: bool
    outcome: str  # in the reader's language, or "" while open
    resolved_at: datetime | None


def evidence_rows(session: Session, report_id: int, now: datetime) -> list[EvidenceRow]:
    return [
        EvidenceRow(
            id=task.id,
            kind=label("evidence", task.kind),
            due_at=task.due_at,
            time_left="" if task.outcome else _time_left(task.due_at, now),
            late=task.outcome is None and task.due_at < now,
            outcome=label("evidence_outcome", task.outcome) if task.outcome else "",
            resolved_at=task.resolved_at,
        )
        for task in tasks_of(session, report_id)
    ]


def _time_left(due_at: datetime, now: datetime) -> str:
    seconds = (due_at - now).total_seconds()
    if seconds < 0:
        # Translators: evidence to secure: its time has passed and nobody recorded it.
        return _("Overdue")
    hours = int(seconds // 3600)
    if hours < 48:
        # Translators: evidence to secure: whole hours left before it may be lost.
        return _("Hours left: %(hours)d", hours=hours)
    # Translators: evidence to secure: whole days left before it may be lost.
    return _("Days left: %(days)d", days=hours // 24)


def evidence(ctx: ActionContext, report: Report, form: Form) -> None:
    task_id = parse_row_id(form.get("evidence_task", ""))
    if task_id is None:
        raise ActionRefused("evidence:unknown")
    record_evidence(
        ctx,
        report,
        task_id=task_id,
        outcome=form.get("evidence_outcome", ""),
        note=form.get("evidence_note", ""),
    )


def outcome_options() -> list[tuple[str, str]]:
    return [(key, label("evidence_outcome", key)) for key in OUTCOME_LABELS]


def refusal_messages() -> dict[str, tuple[str, str]]:
    """Where each refusal of the evidence form points, and what it says."""
    return {
        # Translators: error on the evidence form: the item is not on this case.
        "evidence:unknown": ("actions", _("Choose the evidence from the list.")),
        "evidence:already_recorded": (
            "evidence",
            # Translators: error on the evidence form: someone already recorded this item.
            _("That evidence is already recorded. The case timeline says by whom."),
        ),
        # Translators: error on the evidence form.
        "evidence_outcome:invalid": ("evidence_outcome", _("Choose secured or not possible.")),
    }
