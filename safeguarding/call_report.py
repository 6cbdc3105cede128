"""The report a call keeps: its answers and categories, and the alert when its priority rises."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.catalogue import categories_for
from storage.models import Report, ReportAnswer, ReportCategory
from storage.repositories.calls import outbox_message_exists
from storage.repositories.outbox import enqueue_message
from storage.repositories.reports import add_timeline_event

if TYPE_CHECKING:
    from safeguarding.calls import CallAnswers

CHANNEL = "phone"
PRIORITY_RAISED_KIND = "alert.priority_raised"


def sync_answers(report: Report, answers: CallAnswers) -> None:
    """Add what is new; staff may have re-categorised, so categories are only ever added."""
    have = {(a.question, a.answer) for a in report.answers}
    wanted = [("concern", c) for c in answers.concerns]
    if answers.about_someone_else is not None:
        wanted.append(("about", "someone_else" if answers.about_someone_else else "me"))
    if answers.staff_involved is not None:
        wanted.append(("staff_involved", answers.staff_involved))
    for question, answer in wanted:
        if (question, answer) not in have:
            report.answers.append(ReportAnswer(question=question, answer=answer))
    categories = {c.category for c in report.categories}
    for category in categories_for(answers.concerns):
        if category.value not in categories:
            report.categories.append(ReportCategory(category=category.value))


def alert_priority_raised(session: Session, report: Report, now: datetime) -> None:
    dedupe = f"{PRIORITY_RAISED_KIND}:{report.id}:{report.priority}"
    if outbox_message_exists(session, dedupe):
        return
    add_timeline_event(
        session,
        report,
        kind="priority_raised",
        actor=f"reporter:{CHANNEL}",
        at=now,
        summary=facts.priority_raised(priority=report.priority),
    )
    enqueue_message(
        session,
        kind=PRIORITY_RAISED_KIND,
        dedupe_key=dedupe,
        payload={
            "report_id": report.id,
            "establishment_id": report.establishment_id,
            "priority": report.priority,
        },
        at=now,
    )
