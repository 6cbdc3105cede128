"""What a caller wants, answered on the phone one key at a time (issue 15.1).

Each answer is saved in the transaction of the key that gave it, so a caller who hangs up
after the first question keeps it. The phone never keeps an answer in the call's own
state (which is not sealed): the second answer of a pair is saved together with the first
as it was sealed on the report's timeline, so the newest event holds both.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.policy import Policy
from safeguarding.wishes import latest_feelings, latest_wishes, record_feelings, record_wishes
from storage.crypto import Secrets
from storage.models import CallSession, Report

CHANNEL = "phone"
WANTS = "wants"  # what the caller wants to happen: one choice, kept as a one-item list
SHARING = "sharing"  # may we tell other people if we need to?
DID_WE = "did_we"  # a caller with a code: did we do what you wanted?
SAFER = "safer"  # then: do you feel safer?
QUESTIONS = (WANTS, SHARING, DID_WE, SAFER)


def save_call_wish(
    session: Session,
    *,
    call: CallSession,
    question: str,
    answer: str,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> bool:
    """Keep one answer on the call's report. False when the call has no report (nothing
    is kept: these questions come only after a report exists)."""
    if call.report_id is None or question not in QUESTIONS:
        return False
    report = session.get(Report, call.report_id)
    if report is None:
        return False
    vault = secrets.vault
    if question in (WANTS, SHARING):
        earlier = latest_wishes(report, vault) if question == SHARING else None
        record_wishes(
            session,
            report=report,
            wants=[answer] if question == WANTS else list(earlier.wants if earlier else ()),
            sharing=answer if question == SHARING else None,
            channel=CHANNEL,
            vault=vault,
            clock=clock,
        )
        return True
    felt = latest_feelings(report, vault) if question == SAFER else None
    record_feelings(
        session,
        report=report,
        did_we=answer if question == DID_WE else (felt.did_we if felt else None),
        safer=answer if question == SAFER else None,
        channel=CHANNEL,
        vault=vault,
        policy=policy,
        clock=clock,
    )
    return True
