"""Who is doing it, answered on the phone with one key after the code (issue 14).

Only the kind of person: a name cannot be typed on a keypad, so there is no identifier, no
blind index and nobody to route away from (safeguarding.conflicts needs a name); naming the
kind still starts the retaliation check-ins. Saved in
the transaction of the key that gave it, so a caller who hangs up straight after keeps it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.people import CAUSING_HARM, KINDS_BY_ROLE, PersonGiven
from safeguarding.people_changes import add_people_from_reporter
from safeguarding.policy import Policy
from storage.crypto import Secrets
from storage.models import CallSession, Report

ACTOR = "reporter:phone"


def save_call_person(
    session: Session,
    *,
    call: CallSession,
    kind: str,
    secrets: Secrets,
    clock: Clock,
    policy: Policy,
) -> bool:
    """Add the person causing the harm, by kind, to the call's report. False when the call
    made no report or the kind is not one the phone offers (nothing is kept)."""
    if call.report_id is None or call.mode != "report" or kind not in KINDS_BY_ROLE[CAUSING_HARM]:
        return False
    report = session.get(Report, call.report_id)
    if report is None:
        return False
    person = PersonGiven(CAUSING_HARM, kind)
    add_people_from_reporter(
        session, secrets, report, [person], policy=policy, actor=ACTOR, clock=clock
    )
    return True
