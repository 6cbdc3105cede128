"""Alerts that are not paging: a high report told to the lead and deputy at once, and a
missed deadline (any priority) escalated to the governor.

Paging (safeguarding/alerts.py) wakes one person at a time until someone acknowledges an
immediate report. A high report (sexual abuse, staff involved, modern slavery) is urgent too
but not an emergency: the lead and deputy each get a text message and an email straight
away (not the deputy when the report is in the restricted queue they may not read, as with
paging). And whenever a due time passes with the work undone, whatever the priority, the duty
governor is told, so a case cannot sit overdue while the software says nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import on_call_may_open
from safeguarding.alerts import NOTIFY_VOICE, channels_for, on_call_chain
from safeguarding.clock import Clock
from safeguarding.conflicts import without_the_named
from storage.models import MissedDeadline, OnCallContact, Report
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_once
from storage.repositories.reports import add_timeline_event

HIGH_REPORT_ROLES = ("lead", "deputy")
# The clocks: acknowledge while new; triage while new or acknowledged (safeguarding.actions).
AWAITING_ACKNOWLEDGEMENT = ("new",)
AWAITING_TRIAGE = ("new", "acknowledged")


def notify_high_report(session: Session, *, report_id: int, clock: Clock) -> int:
    """Text and email the lead and deputy on call about a high report (idempotent).

    Returns how many people were told. Not a paging call: nobody is phoned at night for a
    high report, but nobody waits for a warning an hour before its deadline either."""
    report = session.get(Report, report_id)
    if report is None or report.priority != "high" or report.status == "closed":
        return 0
    now = clock.now()
    chain = without_the_named(session, report, on_call_chain(session, report.establishment_id))
    named = [contact for contact in chain if contact.role in HIGH_REPORT_ROLES]
    # As with paging: those who could open it, or, if none could, all rather than nobody.
    people = [contact for contact in named if on_call_may_open(contact.role, report)] or named
    told = 0
    for contact in people:
        channels = _written_channels(contact)
        added = [
            kind
            for kind in channels
            if enqueue_once(
                session,
                kind=kind,
                dedupe_key=f"{kind}:high:{report.id}:{contact.id}",
                payload={
                    "template": "high_report",
                    "report_id": report.id,
                    "contact_id": contact.id,
                },
                at=now,
            )
        ]
        if not added:
            continue  # told already (a redelivered message): nothing new on the timeline
        told += 1
        _timeline(session, report, now, "alert_sent", facts.notified(
            role=contact.role, name=contact.display_name,
            channels=[kind.removeprefix("notify.") for kind in added],
        ))  # fmt: skip
    if not people and not _said_nobody(report, facts.NOBODY_TO_NOTIFY):
        _timeline(session, report, now, "alert_failed", facts.nobody_to_notify())
    if told:
        append_audit(
            session, at=now, actor="system", action="alert.high_report_notified",
            report_id=report.id, detail={"people": told},
        )  # fmt: skip
    return told


def escalate_missed_deadlines(session: Session, *, clock: Clock, limit: int = 200) -> int:
    """Tell the duty governor of every due time that has passed with the work undone, once
    per due time, for every priority. Returns how many missed deadlines were found."""
    now = clock.now()
    missed = _missed(session, now, limit)
    for report, due_kind, due_at in missed:
        session.add(
            MissedDeadline(report_id=report.id, due_kind=due_kind, due_at=due_at, escalated_at=now)
        )
        governors = [
            c for c in on_call_chain(session, report.establishment_id) if c.role == "duty_governor"
        ]
        stamp = due_at.strftime("%Y%m%dT%H%M%S")
        for contact in governors:
            for kind in _written_channels(contact):
                enqueue_once(
                    session,
                    kind=kind,
                    dedupe_key=f"{kind}:missed:{report.id}:{due_kind}:{stamp}:{contact.id}",
                    payload={
                        "template": "deadline_missed",
                        "report_id": report.id,
                        "contact_id": contact.id,
                        "due_kind": due_kind,
                        "due_at": due_at.isoformat(),
                    },
                    at=now,
                )
        _timeline(session, report, now, "deadline_missed", facts.deadline_missed(
            due_kind=due_kind, governors=len(governors),
        ))  # fmt: skip
        append_audit(
            session, at=now, actor="system", action="alert.deadline_missed",
            report_id=report.id, detail={"due_kind": due_kind, "governors": len(governors)},
        )  # fmt: skip
    return len(missed)


def _missed(session: Session, now: datetime, limit: int) -> list[tuple[Report, str, datetime]]:
    acknowledge_missed = and_(
        Report.status.in_(AWAITING_ACKNOWLEDGEMENT),
        Report.acknowledged_at.is_(None),
        Report.acknowledge_due_at <= now,
    )
    triage_missed = and_(Report.status.in_(AWAITING_TRIAGE), Report.triage_due_at <= now)
    candidates = session.scalars(
        select(Report)
        .where(or_(acknowledge_missed, triage_missed))
        .order_by(Report.priority_rank, Report.id)
        .limit(limit)
    ).all()
    found: list[tuple[Report, str, datetime]] = []
    for report in candidates:
        due = report.acknowledge_due_at
        unacknowledged = report.status in AWAITING_ACKNOWLEDGEMENT and not report.acknowledged_at
        if unacknowledged and due is not None and due <= now:
            found.append((report, "acknowledge", due))
        if report.status in AWAITING_TRIAGE and report.triage_due_at <= now:
            found.append((report, "triage", report.triage_due_at))
    if not found:
        return []
    done = session.execute(
        select(MissedDeadline.report_id, MissedDeadline.due_kind, MissedDeadline.due_at).where(
            MissedDeadline.report_id.in_({report.id for report, _, _ in found})
        )
    )
    already = {(report_id, kind, at) for report_id, kind, at in done}
    return [(r, kind, at) for r, kind, at in found if (r.id, kind, at) not in already]


def _written_channels(contact: OnCallContact) -> list[str]:
    return [kind for kind in channels_for(contact) if kind != NOTIFY_VOICE]


def _said_nobody(report: Report, fact_name: str) -> bool:
    return any(
        (fact := facts.read_fact(event.summary)) is not None and fact.name == fact_name
        for event in report.events
    )


def _timeline(session: Session, report: Report, now: datetime, kind: str, summary: str) -> None:
    add_timeline_event(session, report, kind=kind, actor="system", at=now, summary=summary)
