"""Cumulative concerns (issue 14): reports that are each low-level can add up to action.

Each policy rule (safeguarding.cumulative_policy) groups reports at one establishment, by
the same person named as causing harm (blind index; people removed from a report do not
count) or by the same wing and category, and counts those received within its window.
At its count it raises the newest report's priority (never lowers it), puts a fact on
that report's timeline, audits, and emails the establishment's leads on call the case
number and the rule's reason, never what was said. A rule fires once per group within
its window (cumulative_firing), so evaluating again changes nothing.

Evaluated when a report is submitted (safeguarding.intake) and whenever staff add a person
(``apply_cumulative_rules`` is the one entry point).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import on_call_may_open
from safeguarding.alerts import NOTIFY_EMAIL, on_call_chain
from safeguarding.clock import Clock
from safeguarding.conflicts import without_the_named
from safeguarding.cumulative_policy import SAME_PERSON_CAUSING_HARM, CumulativeRule
from safeguarding.people import CAUSING_HARM, current_people
from safeguarding.policy import PRIORITIES, Policy
from storage.models import CumulativeFiring, Report, ReportPerson
from storage.repositories import suggestions as repo
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_once
from storage.repositories.reports import add_timeline_event

ACTOR = "system:cumulative"
TIMELINE_KIND = "cumulative_concern"
EMAIL_TEMPLATE = "cumulative_concern"
PRIORITY_RAISED_KIND = "alert.priority_raised"  # as safeguarding.call_report raises it


@dataclass(frozen=True)
class Firing:
    rule: str
    report_id: int  # the newest report of the group: the one raised and named
    reports: int


def apply_cumulative_rules(
    session: Session,
    report: Report,
    policy: Policy,
    clock: Clock,
    *,
    new_with_people: Sequence[ReportPerson] | None = None,
) -> list[Firing]:
    """Fire every rule whose group, with ``report`` in it, has reached its count.
    ``new_with_people``: the report is being taken in now and these are all its people."""
    now = clock.now()
    fired: list[Firing] = []
    people = new_with_people
    for rule in policy.cumulative:
        if rule.match == SAME_PERSON_CAUSING_HARM and people is None:
            people = current_people(session, report.id)
        for group_key, members in _groups(session, report, rule, now, people or []):
            if len(members) < rule.count or _fired_lately(session, report, rule, group_key, now):
                continue
            newest = session.get(Report, max(members, key=lambda m: (members[m], m)))
            assert newest is not None
            fired.append(_fire(session, policy, newest, rule, group_key, len(members), now))
    return fired


def _groups(
    session: Session,
    report: Report,
    rule: CumulativeRule,
    now: datetime,
    people: Sequence[ReportPerson],
) -> Iterator[tuple[str, dict[int, datetime]]]:
    """Each group ``report`` belongs to under ``rule``: its key and members (id: received).
    ``people``: the report's current people (read only for a same-person rule)."""
    since = now - rule.within
    if rule.match == SAME_PERSON_CAUSING_HARM:
        indexes = {
            p.blind_index
            for p in people
            if p.removed_at is None and p.role == CAUSING_HARM and p.blind_index
        }
        found = repo.people_matches(
            session,
            indexes=indexes,
            establishment_id=report.establishment_id,
            roles=[CAUSING_HARM],
            since=since,
        )
    elif report.location_id is not None:
        found = repo.place_matches(
            session,
            location_id=report.location_id,
            categories={c.category for c in report.categories},
            since=since,
            until=now,
        )
    else:
        return
    for key in sorted({m.key for m in found}):
        members = {m.report_id: m.created_at for m in found if m.key == key}
        if report.id in members:
            group = key if rule.match == SAME_PERSON_CAUSING_HARM else f"{report.location_id}:{key}"
            yield group, members


def _fired_lately(
    session: Session, report: Report, rule: CumulativeRule, group_key: str, now: datetime
) -> bool:
    return (
        session.scalar(
            select(CumulativeFiring.id)
            .where(
                CumulativeFiring.establishment_id == report.establishment_id,
                CumulativeFiring.rule == rule.name,
                CumulativeFiring.group_key == group_key,
                CumulativeFiring.fired_at > now - rule.within,
            )
            .limit(1)
        )
        is not None
    )


def _fire(
    session: Session,
    policy: Policy,
    report: Report,
    rule: CumulativeRule,
    group_key: str,
    reports: int,
    now: datetime,
) -> Firing:
    firing = CumulativeFiring(
        establishment_id=report.establishment_id, rule=rule.name, group_key=group_key,
        report_id=report.id, reports=reports, fired_at=now,
    )  # fmt: skip
    session.add(firing)
    session.flush()
    raised = _raise(session, policy, report, rule, now)
    summary = facts.cumulative_concern(
        match=rule.match, reports=reports, days=rule.within.days, priority=report.priority
    )
    add_timeline_event(session, report, kind=TIMELINE_KIND, actor=ACTOR, at=now, summary=summary)
    append_audit(
        session,
        at=now,
        actor=ACTOR,
        action="report.cumulative_concern",
        report_id=report.id,
        detail={"rule": rule.name, "reports": reports, "raised": raised},
    )
    if rule.alert_lead:
        _email_leads(session, report, rule, firing, now)
    return Firing(rule.name, report.id, reports)


def _raise(
    session: Session, policy: Policy, report: Report, rule: CumulativeRule, now: datetime
) -> bool:
    if rule.raise_to is None or PRIORITIES.index(rule.raise_to) >= report.priority_rank:
        return False  # never lowered, and an equal priority is not a change
    report.priority, report.priority_rank = rule.raise_to, PRIORITIES.index(rule.raise_to)
    # The clocks of the new priority run from now: the concern added up now.
    clock = policy.clocks[rule.raise_to]
    if report.status == "new" and clock.acknowledge_within is not None:
        due = now + clock.acknowledge_within
        report.acknowledge_due_at = min(filter(None, (report.acknowledge_due_at, due)))
    if report.status in ("new", "acknowledged"):
        report.triage_due_at = min(report.triage_due_at, now + clock.triage_within)
    if report.created_at < now:
        # An older report raised: the usual raised-priority alert (paging if immediate).
        # A report being submitted is announced with its new priority by intake itself.
        enqueue_once(
            session,
            kind=PRIORITY_RAISED_KIND,
            dedupe_key=f"{PRIORITY_RAISED_KIND}:{report.id}:{report.priority}",
            payload={
                "report_id": report.id,
                "establishment_id": report.establishment_id,
                "priority": report.priority,
            },
            at=now,
        )
    return True


def _email_leads(
    session: Session, report: Report, rule: CumulativeRule, firing: CumulativeFiring, now: datetime
) -> None:
    """The leads on call who could open the report and are not named in it."""
    contacts = without_the_named(session, report, on_call_chain(session, report.establishment_id))
    for contact in contacts:
        if contact.role != "lead" or not contact.email:
            continue
        if not on_call_may_open(contact.role, report):
            continue
        enqueue_once(
            session,
            kind=NOTIFY_EMAIL,
            dedupe_key=f"cumulative:{firing.id}:{contact.id}",
            payload={
                "template": EMAIL_TEMPLATE,
                "contact_id": contact.id,
                "report_id": report.id,
                "match": rule.match,
                "reports": firing.reports,
                "days": rule.within.days,
            },
            at=now,
        )
