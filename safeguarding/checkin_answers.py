"""The reporter's side of a retaliation check-in (issue 15.5): "Are you safe now?", asked
when the person comes back with their code (kiosk code pad, phone "I have a code") while a
check-in on their report is due or overdue and they have not answered it yet.

Every door asks through here, so the rule is written once:
- "Yes" records the check-in as safe, by the reporter; staff are not reminded of it again.
- "No" is danger: the check-in is recorded as not safe and the report is made immediate
  and the on-call chain paged, by the same rule as "Are you in danger now?" when adding to a
  report (safeguarding.new_information.reporter_in_danger), closed case or not.
- "I do not want to say" is kept, so the person is not asked that check-in again, but the
  outcome is left to staff: someone still goes to see them.
Skipping records nothing; the question comes back at the next visit.
A "No" given after their own "Yes" or "I do not want to say" (they changed their mind before
the screen moved on) replaces it and is danger as above; a second "No" changes nothing.

The answer is a fixed choice, never the person's words, and is kept plain on the check-in
like the outcome staff record there (the queue and the reminders read it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.checkins import EVENT_CHECKIN, NOT_SAFE, NOT_SAYING
from safeguarding.clock import Clock
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.i18n import N_
from safeguarding.new_information import reporter_in_danger
from safeguarding.policy import Policy
from storage.models import Report, RetaliationCheckIn
from storage.repositories.audit import append_audit
from storage.repositories.reports import add_timeline_event

NOT_SAFE_NOW = "no"
# Easy Read, said by the prisoner. The same order and keys on every door.
SAFE_NOW = {
    # Translators: an answer to "Are you safe now?", said by the prisoner.
    "yes": N_("Yes"),
    # Translators: an answer to "Are you safe now?", said by the prisoner.
    NOT_SAFE_NOW: N_("No"),
    # Translators: an answer to "Are you safe now?", said by the prisoner who does not want
    # to answer it.
    NOT_SAYING: N_("I do not want to say"),
}
# The outcome the reporter's own answer gives the check-in; none for NOT_SAYING.
OUTCOME_OF_ANSWER = {"yes": "safe", NOT_SAFE_NOW: NOT_SAFE}


def _waiting(session: Session, report_id: int, now: datetime) -> list[RetaliationCheckIn]:
    return list(
        session.scalars(
            select(RetaliationCheckIn)
            .where(
                RetaliationCheckIn.report_id == report_id,
                RetaliationCheckIn.due_at <= now,
                RetaliationCheckIn.outcome.is_(None),
                RetaliationCheckIn.reporter_answer.is_(None),
            )
            .order_by(RetaliationCheckIn.number)
        )
    )


def _answered_not_no(session: Session, report_id: int, now: datetime) -> list[RetaliationCheckIn]:
    """The check-ins the reporter answered last, unless that answer was already "No": what
    a "No" given after it replaces."""
    answered = list(
        session.scalars(
            select(RetaliationCheckIn)
            .where(
                RetaliationCheckIn.report_id == report_id,
                RetaliationCheckIn.due_at <= now,
                RetaliationCheckIn.reporter_answered_at.is_not(None),
            )
            .order_by(RetaliationCheckIn.reporter_answered_at.desc(), RetaliationCheckIn.number)
        )
    )
    last = [c for c in answered if c.reporter_answered_at == answered[0].reporter_answered_at]
    if any(c.reporter_answer == NOT_SAFE_NOW for c in last):
        return []
    return last


def _staff_recorded(checkin: RetaliationCheckIn) -> bool:
    return checkin.recorded_by is not None and not checkin.recorded_by.startswith("reporter:")


def ask_if_safe_now(session: Session, report_id: int, now: datetime) -> bool:
    """Whether the person who just opened this report with its code is asked "Are you safe
    now?": a check-in on it is due (or overdue), and neither staff nor they have answered
    it. Call only once the code (and its secret) opened the report: a wrong code must never
    learn that a check-in is due."""
    return bool(_waiting(session, report_id, now))


def answer_safe_now(
    session: Session, *, report: Report, answer: str, channel: str, policy: Policy, clock: Clock
) -> bool:
    """Keep the reporter's answer on every check-in now waiting for it (a person coming back
    at day 65 answers the 30 and the 60 day check-ins at once; the time shows it was late).
    A "No" also replaces the reporter's own last answer if that was not "No" (see above).
    False when nothing was waiting (answered already, e.g. a double tap): nothing changes."""
    if answer not in SAFE_NOW:
        raise InvalidSubmission([FieldProblem("safe_now", "invalid")])
    now = clock.now()
    waiting = _waiting(session, report.id, now)
    if not waiting and answer == NOT_SAFE_NOW:
        waiting = _answered_not_no(session, report.id, now)
    if not waiting:
        return False
    actor = f"reporter:{channel}"
    outcome = OUTCOME_OF_ANSWER.get(answer)
    for checkin in waiting:
        checkin.reporter_answer, checkin.reporter_answered_at = answer, now
        if outcome is not None and not _staff_recorded(checkin):  # staff's own stays theirs
            checkin.outcome, checkin.recorded_at, checkin.recorded_by = outcome, now, actor
        add_timeline_event(
            session, report, kind=EVENT_CHECKIN, actor=actor, at=now,
            summary=facts.checkin_recorded(number=checkin.number, outcome=outcome or answer),
        )  # fmt: skip
    session.flush()
    append_audit(
        session, at=now, actor=actor, action="report.checkin_answered", report_id=report.id,
        establishment_id=report.establishment_id,
    )  # fmt: skip
    if answer == NOT_SAFE_NOW:
        # The one rule for a reporter in danger: immediate, clocks again, the chain paged.
        reporter_in_danger(session, report=report, channel=channel, policy=policy, clock=clock)
    return True


def answer_safe_now_by_id(
    session: Session, *, report_id: int, answer: str, channel: str, policy: Policy, clock: Clock
) -> bool:
    """The same, for a door that keeps only the report's id (the kiosk's sealed draft, the
    call), so it never reads a report row itself. False when the report is gone too."""
    report = session.get(Report, report_id)
    if report is None:
        return False
    return answer_safe_now(
        session, report=report, answer=answer, channel=channel, policy=policy, clock=clock
    )
