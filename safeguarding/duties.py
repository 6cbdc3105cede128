"""Whether a case's statutory prompts have a recorded decision (the rule closing obeys).

Kept apart from safeguarding.statutory (which records decisions through
safeguarding.actions) so that ``actions.close`` can ask it without an import cycle.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from storage.models import DutyToNotifyDecision, Report, TimelineEvent

# The ACCT decision is a referral decision for the "acct" process (safeguarding.actions).
REFERRAL_EVENT_KIND = "external_referral"


def acct_decision_missing(session: Session, report: Report) -> bool:
    """An ACCT prompt was raised and no ACCT decision (either way) is on the case."""
    if not (report.acct_prompted or report.self_harm_risk):
        return False
    decided = session.scalar(
        select(func.count()).where(
            TimelineEvent.report_id == report.id,
            TimelineEvent.kind == REFERRAL_EVENT_KIND,
            TimelineEvent.summary.startswith(facts.referral_to_start("acct")),
        )
    )
    return not decided


def duty_to_notify_decision_missing(session: Session, report: Report) -> bool:
    if not report.duty_to_notify_prompted:
        return False
    decided = session.scalar(
        select(func.count()).where(DutyToNotifyDecision.report_id == report.id)
    )
    return not decided


def closing_blockers(session: Session, report: Report) -> list[str]:
    """Why this case may not close yet (refusal codes), in the order they are shown."""
    blockers = []
    if acct_decision_missing(session, report):
        blockers.append("acct_decision_missing")
    if duty_to_notify_decision_missing(session, report):
        blockers.append("duty_to_notify_decision_missing")
    return blockers
