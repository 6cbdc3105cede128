"""What follows when a report's people change after it arrived (a kiosk or phone answer
given after Sent, or a correction on the case page): the same rules intake applies."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.checkins import open_checkins
from safeguarding.clock import Clock
from safeguarding.conflicts import route_if_oversight_named
from safeguarding.cumulative import apply_cumulative_rules
from safeguarding.people import FROM_REPORTER, PersonGiven, add_person
from safeguarding.policy import Policy
from storage.crypto import Secrets
from storage.models import Report
from storage.repositories.audit import append_audit
from storage.repositories.reports import add_timeline_event


def after_people_changed(
    session: Session, report: Report, *, policy: Policy, actor: str, clock: Clock
) -> None:
    """A report that now names the lead or a governor goes to the independent queue, one
    that now says who caused the harm gets its retaliation check-ins, and the cumulative
    rules count the person it now names."""
    route_if_oversight_named(session, report, actor=actor, at=clock.now())
    open_checkins(session, report, policy)
    apply_cumulative_rules(session, report, policy, clock)


def add_people_from_reporter(
    session: Session,
    secrets: Secrets,
    report: Report,
    people: Sequence[PersonGiven],
    *,
    policy: Policy,
    actor: str,
    clock: Clock,
) -> None:
    """People the reporter named after Sent (kiosk or phone): each on the timeline as a fact
    (never the name), audited by count, then the rules that follow from who is named."""
    at = clock.now()
    for person in people:
        add_person(
            session, secrets, report_id=report.id, establishment_id=report.establishment_id,
            person=person, source=FROM_REPORTER, actor=actor, at=at,
        )  # fmt: skip
        add_timeline_event(
            session, report, kind=facts.PERSON_ADDED, actor=actor, at=at,
            summary=facts.person_added(role=person.role, kind=person.kind),
        )  # fmt: skip
    append_audit(
        session,
        at=at,
        actor=actor,
        action="report.people_added",
        report_id=report.id,
        establishment_id=report.establishment_id,
        detail={"count": len(people)},
    )
    after_people_changed(session, report, policy=policy, actor=actor, clock=clock)
