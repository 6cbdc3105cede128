"""Who a kiosk report is about (issue 14), asked after Sent like the wishes (issue 15.1).

The kiosk asks two questions a prisoner can answer by touching a picture, then perhaps a
name or prison number. Its answers are the kiosk's own words ("someone else"), mapped here
onto the kinds safeguarding.people keeps, so the mapping is a rule, not a view's choice.
Saved once, by the report's id as the kiosk's sealed draft keeps it (kiosk/ never reads a
report row itself, docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.identifiers import NAME, PRISON_NUMBER
from safeguarding.people import (
    AT_RISK,
    CAUSING_HARM,
    NOT_KNOWN,
    NOT_SAYING,
    OUTSIDE,
    PRISONER,
    SELF,
    STAFF,
    PersonGiven,
    check_person,
)
from safeguarding.people_changes import add_people_from_reporter
from safeguarding.policy import Policy
from storage.crypto import Secrets
from storage.models import Report

ACTOR = "reporter:kiosk"
# "Who is being hurt?" at a prison kiosk: "someone else" is kept as another prisoner, the
# person the reporter shares a wing with; staff correct it on the case page if it is not.
AT_RISK_ANSWERS = {
    "me": SELF,
    "someone_else": PRISONER,
    "not_known": NOT_KNOWN,
    "not_saying": NOT_SAYING,
}
# "Who is doing it?"
CAUSING_HARM_ANSWERS = {
    "prisoner": PRISONER,
    "staff": STAFF,
    "outside": OUTSIDE,
    "not_known": NOT_KNOWN,
    "not_saying": NOT_SAYING,
}
ANSWERS = {AT_RISK: AT_RISK_ANSWERS, CAUSING_HARM: CAUSING_HARM_ANSWERS}
ROLES = (AT_RISK, CAUSING_HARM)


def identifier_kinds(role: str, answer: str) -> tuple[str, ...]:
    """What the kiosk may ask for the person: nothing for "me" or "I don't know"; a name, or
    a prison number for a prisoner (staff numbers are not known to prisoners)."""
    kind = ANSWERS.get(role, {}).get(answer)
    if kind == PRISONER:
        return (NAME, PRISON_NUMBER)
    if kind in (STAFF, OUTSIDE):
        return (NAME,)
    return ()


def kiosk_person(
    role: str, answer: str, identifier_kind: str | None = None, identifier: str | None = None
) -> PersonGiven:
    """The person as safeguarding.people keeps them, or InvalidSubmission (an unknown
    answer, a prison number that is not one, a name too long)."""
    kind = ANSWERS.get(role, {}).get(answer, answer)
    allowed = identifier_kinds(role, answer)
    if identifier_kind is not None and identifier_kind not in allowed:
        identifier_kind = "not allowed here"  # refused by check_person as an invalid kind
    return check_person(PersonGiven(role, kind, identifier_kind, identifier))


def people_from(answers: Mapping[str, str]) -> list[PersonGiven]:
    """The people in the kiosk's saved answers: ``role``, ``role.kind``, ``role.id``."""
    people = []
    for role in ROLES:
        answer = answers.get(role)
        if answer:
            people.append(
                kiosk_person(role, answer, answers.get(f"{role}.kind"), answers.get(f"{role}.id"))
            )
    return people


def save_kiosk_people(
    session: Session,
    *,
    report_id: int,
    people: Sequence[PersonGiven],
    secrets: Secrets,
    clock: Clock,
    policy: Policy,
) -> bool:
    """Add the people to the report sent in this turn, with what follows (the independent
    queue if one is the lead or a governor, check-ins). False when the report is gone."""
    report = session.get(Report, report_id)
    if report is None:
        return False
    if not people:
        return True  # both skipped: nothing was said, so nothing is kept
    add_people_from_reporter(
        session, secrets, report, people, policy=policy, actor=ACTOR, clock=clock
    )
    return True
