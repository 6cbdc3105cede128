"""Retaliation check-ins (issue 15.5): someone who reported a person, a member of staff above
all, may be punished for it weeks later, when the case is closed and nobody is looking. For
the reports the policy names (``[retaliation_checkins]``), staff check on the reporter at 30,
60 and 90 days after the report arrived and record what they found: safe, not safe, or not
seen. The check-ins run whether or not the case is closed. "Not safe" reopens a closed case
and makes it at least high priority; what the person said is sealed on the timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import Permission, require
from safeguarding.actions import ActionContext, ActionRefused, record_action, required_text
from safeguarding.catalogue import Category
from safeguarding.evidence import report_flags
from safeguarding.i18n import N_
from safeguarding.people import names_someone, names_someone_among
from safeguarding.policy import PRIORITIES, Policy
from storage.models import Report, ReportPerson, RetaliationCheckIn
from storage.repositories.new_rows import insert_rows
from storage.repositories.people import not_naming

EVENT_CHECKIN = "checkin_recorded"
NOT_SAFE = "not_safe"
REOPENED_STATUS = "investigating"

OUTCOME_LABELS = {
    # Translators: what staff found at a check-in weeks after a report: the person is safe.
    "safe": N_("Safe"),
    # Translators: what staff found at a check-in: the person is not safe (punished or
    # threatened for reporting, or at risk again).
    NOT_SAFE: N_("Not safe"),
    # Translators: what staff found at a check-in: they could not see the person (moved,
    # released, refused to talk).
    "not_seen": N_("Could not see them"),
}
# Recorded only by the reporter (safeguarding.checkin_answers): "I do not want to say" to
# "Are you safe now?". Not a choice on the staff form.
NOT_SAYING = "not_saying"
REPORTER_ONLY_OUTCOMES = {
    # Translators: case page and timeline: at a check-in, the person who reported was asked
    # "Are you safe now?" at the kiosk or on the phone and chose not to say.
    NOT_SAYING: N_("They did not want to say"),
}


def open_checkins(
    session: Session,
    report: Report,
    policy: Policy,
    *,
    new_with_people: Sequence[ReportPerson] | None = None,
) -> list[RetaliationCheckIn]:
    """Schedule the check-ins this report needs and does not have yet, each from when the
    report arrived (a later re-categorisation may add some already due).
    ``new_with_people``: the report is being taken in now and these are all its people, so
    nothing need be read back (intake's speed, issue 18)."""
    rule = policy.checkins
    if rule is None or not rule.after:
        return []
    categories = frozenset(Category(row.category) for row in report.categories)
    if new_with_people is not None:
        named = names_someone_among(new_with_people)
    else:
        named = names_someone(session, report.id) if report.id else False
    if not rule.applies(categories, report_flags(report, policy), names_someone=named):
        return []
    have: set[int] = set()
    if new_with_people is None and report.id:
        have = {c.number for c in checkins_of(session, report.id)}
    started = [
        RetaliationCheckIn(report_id=report.id, number=number, due_at=report.created_at + after)
        for number, after in enumerate(rule.after, start=1)
        if number not in have
    ]
    if new_with_people is not None:
        insert_rows(session, started)  # one INSERT; nothing reads them back by id
    else:
        session.add_all(started)
    return started


def checkins_of(session: Session, report_id: int) -> list[RetaliationCheckIn]:
    return list(
        session.scalars(
            select(RetaliationCheckIn)
            .where(RetaliationCheckIn.report_id == report_id)
            .order_by(RetaliationCheckIn.number)
        )
    )


def record_checkin(
    ctx: ActionContext, report: Report, *, checkin_id: int, outcome: str, note: str
) -> RetaliationCheckIn:
    """What staff found. "Not safe" and "could not see them" need a note (sealed)."""
    require(ctx.principal, Permission.ADD_NOTE, report)
    checkin = ctx.session.get(RetaliationCheckIn, checkin_id)
    if checkin is None or checkin.report_id != report.id:
        raise ActionRefused("checkin:unknown")
    if checkin.outcome is not None:
        raise ActionRefused("checkin:already_recorded")
    if outcome not in OUTCOME_LABELS:
        raise ActionRefused("checkin_outcome:invalid")
    body = required_text(note) if outcome != "safe" else (note.strip() or None)
    now = ctx.clock.now()
    checkin.outcome, checkin.recorded_at, checkin.recorded_by = outcome, now, ctx.principal.actor
    if outcome == NOT_SAFE:
        _act_again(report)
    record_action(
        ctx, report, EVENT_CHECKIN, "report.checkin_recorded",
        summary=facts.checkin_recorded(number=checkin.number, outcome=outcome), body=body,
        detail={"checkin_id": checkin.id, "number": checkin.number, "outcome": outcome},
    )  # fmt: skip
    return checkin


def at_least_high(report: Report) -> None:
    """Someone is not safe: the case is at least high priority (an immediate one stays)."""
    high = PRIORITIES.index("high")
    if report.priority_rank > high:
        report.priority, report.priority_rank = PRIORITIES[high], high


def _act_again(report: Report) -> None:
    """Not safe: the case is worked again, at least as high priority."""
    at_least_high(report)
    if report.status == "closed":
        report.status, report.closed_at = REOPENED_STATUS, None


@dataclass(frozen=True)
class CheckInDue:
    report_id: int
    number: int
    due_at: datetime


def checkins_due(
    session: Session, establishment_ids: frozenset[int], queues: tuple[str, ...], *,
    until: datetime, hidden_indexes: frozenset[str] = frozenset(),
) -> list[CheckInDue]:  # fmt: skip
    """Check-ins not yet recorded whose time has come by ``until``, closed cases included,
    on the reports in these queues."""
    # From the few check-ins due, each report looked up by its id: as a join, SQLite
    # without statistics started from every report of the establishment (18 ms at 100,000).
    report_seen = exists().where(
        Report.id == RetaliationCheckIn.report_id,
        Report.establishment_id.in_(sorted(establishment_ids)),
        Report.queue.in_(queues),
        not_naming(hidden_indexes),
    )
    rows = session.execute(
        select(RetaliationCheckIn.report_id, RetaliationCheckIn.number, RetaliationCheckIn.due_at)
        .where(
            RetaliationCheckIn.outcome.is_(None),
            RetaliationCheckIn.due_at <= until,
            report_seen,
        )
        .order_by(RetaliationCheckIn.due_at, RetaliationCheckIn.id)
    )
    return [CheckInDue(report_id, number, due_at) for report_id, number, due_at in rows]
