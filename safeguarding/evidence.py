"""Clocks that protect evidence (issue 15.5): for sexual, physical and staff-involved reports,
each kind of evidence the policy names (photographs of injuries, a forensic examination,
CCTV and body-worn video) is tracked from the report's arrival until staff record it as
secured or not possible, with its own countdown. Evidence is lost by waiting, not by
deciding, so every clock runs from the report's arrival: one that a later re-categorisation
adds (a report found to be about a sexual assault) may already be due, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import Permission, require
from safeguarding.actions import (
    OPEN_STATUSES,
    ActionContext,
    ActionRefused,
    record_action,
    refuse_if_closed,
    required_text,
)
from safeguarding.catalogue import Category
from safeguarding.evidence_policy import EVIDENCE_KINDS
from safeguarding.i18n import N_
from safeguarding.policy import Policy
from storage.models import EvidenceTask, Report
from storage.repositories.new_rows import insert_rows

EVENT_EVIDENCE = "evidence_recorded"

EVIDENCE_LABELS = {
    # Translators: evidence to secure on a case: healthcare photographs the injuries.
    "injury_photographs": N_("Photographs of injuries"),
    # Translators: evidence to secure on a case: a forensic medical examination (at a Sexual
    # Assault Referral Centre).
    "forensic_examination": N_("Forensic examination"),
    # Translators: evidence to secure on a case: recordings kept before they are overwritten.
    "cctv": N_("CCTV and body-worn video"),
}
OUTCOME_LABELS = {
    # Translators: what became of an item of evidence to secure: it was secured.
    "secured": N_("Secured"),
    # Translators: what became of an item of evidence to secure: it could not be (a reason
    # is recorded).
    "not_possible": N_("Not possible"),
}


def report_flags(report: Report, policy: Policy) -> frozenset[str]:
    """The policy's flag names that this report raises (as safeguarding.policy.decide)."""
    raised = {
        "in_danger_now": report.in_danger_now,
        "someone_else_in_danger_now": report.someone_else_in_danger_now,
        "self_harm_risk": report.self_harm_risk,
        "staff_involved": report.staff_involved in policy.staff_involved_answers,
        "injured": report.injured,
        "about_someone_else": report.about_someone_else,
    }
    return frozenset(name for name, value in raised.items() if value)


def open_evidence_tasks(
    session: Session, report: Report, policy: Policy, *, new: bool = False
) -> list[EvidenceTask]:
    """Start a clock for each kind of evidence this report needs and does not have yet.
    Due from when the report arrived, whenever this is called. ``new``: the report is being
    taken in now, so it has none yet and nothing is read back."""
    categories = frozenset(Category(row.category) for row in report.categories)
    flags = report_flags(report, policy)
    have: set[str] = set()
    if not new and report.id:
        have = {task.kind for task in tasks_of(session, report.id)}
    started = [
        EvidenceTask(report_id=report.id, kind=clock.kind, due_at=report.created_at + clock.within)
        for clock in policy.evidence
        if clock.kind not in have and clock.applies(categories, flags)
    ]
    if new:
        insert_rows(session, started)  # one INSERT; nothing reads them back by id
    else:
        session.add_all(started)
    return started


def tasks_of(session: Session, report_id: int) -> list[EvidenceTask]:
    rank = {kind: index for index, kind in enumerate(EVIDENCE_KINDS)}
    found = session.scalars(select(EvidenceTask).where(EvidenceTask.report_id == report_id))
    return sorted(found, key=lambda task: (task.due_at, rank.get(task.kind, 99)))


def record_evidence(
    ctx: ActionContext, report: Report, *, task_id: int, outcome: str, note: str
) -> EvidenceTask:
    """Secured, or not possible (and why: kept sealed on the timeline)."""
    require(ctx.principal, Permission.ADD_NOTE, report)
    refuse_if_closed(report)
    task = ctx.session.get(EvidenceTask, task_id)
    if task is None or task.report_id != report.id:
        raise ActionRefused("evidence:unknown")
    if task.outcome is not None:
        raise ActionRefused("evidence:already_recorded")
    if outcome not in OUTCOME_LABELS:
        raise ActionRefused("evidence_outcome:invalid")
    body = required_text(note) if outcome == "not_possible" else (note.strip() or None)
    task.outcome, task.resolved_at, task.resolved_by = outcome, ctx.clock.now(), ctx.principal.actor
    record_action(
        ctx, report, EVENT_EVIDENCE, "report.evidence_recorded",
        summary=facts.evidence_recorded(kind=task.kind, outcome=outcome), body=body,
        detail={"evidence_task_id": task.id, "kind": task.kind, "outcome": outcome},
    )  # fmt: skip
    return task


@dataclass(frozen=True)
class EvidenceDue:
    report_id: int
    kind: str
    due_at: datetime


def evidence_due(session: Session, establishment_id: int, *, until: datetime) -> list[EvidenceDue]:
    """Open cases' evidence not yet secured whose time is up or ends by ``until``."""
    rows = session.execute(
        select(EvidenceTask.report_id, EvidenceTask.kind, EvidenceTask.due_at)
        .join(Report, Report.id == EvidenceTask.report_id)
        .where(
            Report.establishment_id == establishment_id,
            Report.status.in_(OPEN_STATUSES),
            EvidenceTask.outcome.is_(None),
            EvidenceTask.due_at <= until,
        )
        .order_by(EvidenceTask.due_at, EvidenceTask.id)
    )
    return [EvidenceDue(report_id, kind, due_at) for report_id, kind, due_at in rows]
