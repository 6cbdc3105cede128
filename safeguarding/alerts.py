"""Urgent reports reach a human who answers: paging down the on-call chain until acknowledged.

An immediate report pages the first person on call (SMS, voice call, email). If nobody
acknowledges within the policy's step, the next person is paged, and so on round the chain
(lead, deputy, duty governor, then the lead again) until someone does. Acknowledging in the
triage queue counts: the sweep sees ``Report.acknowledged_at`` and stops paging.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import on_call_may_open
from safeguarding.clock import Clock
from safeguarding.conflicts import without_the_named
from safeguarding.policy import Policy
from storage.ids import parse_row_id
from storage.models import AlertEscalation, OnCallContact, Report
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_message, enqueue_once
from storage.repositories.reports import add_timeline_event

NOTIFY_SMS = "notify.sms"
NOTIFY_VOICE = "notify.voice"
NOTIFY_EMAIL = "notify.email"
ON_CALL_ROLES = ("lead", "deputy", "duty_governor", "independent_reviewer")


def duty_governor_on_call(session: Session, establishment_id: int) -> bool:
    """Whether an escalation to the governor reaches anyone now: the case page warns when
    no duty governor is on the establishment's chain."""
    return any(c.role == "duty_governor" for c in on_call_chain(session, establishment_id))


def on_call_chain(session: Session, establishment_id: int) -> list[OnCallContact]:
    statement = (
        select(OnCallContact)
        .where(OnCallContact.establishment_id == establishment_id, OnCallContact.active)
        .order_by(OnCallContact.chain_position, OnCallContact.id)
    )
    return list(session.scalars(statement))


def paging_chain(session: Session, report: Report) -> list[OnCallContact]:
    """Who is paged about ``report``, in order: those on call who could open it.

    A report in the restricted queue (a member of staff may be involved, or the reporter was
    not sure) skips the deputies, who may not read it: the person woken must be able to
    act. If nobody on call may open it, everyone is paged rather than nobody (someone awake
    can fetch the lead); `safereport check` warns of such a chain beforehand. Nobody the
    report names is ever in it (safeguarding.conflicts).
    """
    chain = without_the_named(session, report, on_call_chain(session, report.establishment_id))
    readers = [contact for contact in chain if on_call_may_open(contact.role, report)]
    return readers or chain


def paged_at_step(session: Session, report: Report, step: int) -> OnCallContact | None:
    """The contact paged at ``step`` of this report's paging (past the end, round again)."""
    chain = paging_chain(session, report)
    return chain[step % len(chain)] if chain else None


def start_paging(
    session: Session, *, report_id: int, policy: Policy, clock: Clock
) -> AlertEscalation | None:
    """Page the first person on call for an immediate, unacknowledged report (idempotent)."""
    report = session.get(Report, report_id)
    if report is None or report.priority != "immediate" or report.acknowledged_at is not None:
        return None
    existing = session.scalars(
        select(AlertEscalation).where(AlertEscalation.report_id == report_id)
    ).one_or_none()
    now = clock.now()
    if existing is not None:
        if existing.acknowledged_at is not None:
            # Acknowledged before, and an emergency again (the reporter said they are in
            # danger now): page from the top of the chain once more.
            existing.round += 1
            existing.step = 0
            existing.acknowledged_at = None
            existing.acknowledged_by = None
            existing.next_step_at = now + policy.alerts.acknowledge_step
            _page(session, existing, report, clock)
        return existing
    escalation = AlertEscalation(
        report_id=report.id,
        establishment_id=report.establishment_id,
        step=0,
        next_step_at=now + policy.alerts.acknowledge_step,
        created_at=now,
    )
    session.add(escalation)
    session.flush()
    _page(session, escalation, report, clock)
    return escalation


def escalate_due(session: Session, *, policy: Policy, clock: Clock, limit: int = 100) -> int:
    """Move every unacknowledged escalation whose step has timed out to the next person."""
    now = clock.now()
    due = session.scalars(
        select(AlertEscalation)
        .where(AlertEscalation.acknowledged_at.is_(None), AlertEscalation.next_step_at <= now)
        .order_by(AlertEscalation.next_step_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for escalation in due:
        report = session.get(Report, escalation.report_id)
        assert report is not None
        if report.acknowledged_at is not None:
            escalation.acknowledged_at = report.acknowledged_at
            escalation.acknowledged_by = "triage queue"
            continue
        escalation.step += 1
        escalation.next_step_at = now + policy.alerts.acknowledge_step
        _page(session, escalation, report, clock)
    return len(due)


def escalation_of_alert_call(text: str) -> int | None:
    """The escalation an alert call's Gather address names (the worker wrote it; Twilio
    signs the request), or None when it cannot be one."""
    return parse_row_id(text)


def acknowledge_by_alert_call(
    session: Session, *, escalation_id: int, step: int, via: str, clock: Clock
) -> bool:
    """The person called at ``step`` pressed 1: they are named as who acknowledged."""
    escalation = session.get(AlertEscalation, escalation_id)
    report = session.get(Report, escalation.report_id) if escalation is not None else None
    if report is None:
        return False
    who = paged_at_step(session, report, step)
    by = f"{who.display_name} ({who.role})" if who else "on call"
    return acknowledge_alert(session, report_id=report.id, by=by, via=via, clock=clock)


def acknowledge_alert(session: Session, *, report_id: int, by: str, via: str, clock: Clock) -> bool:
    """The person paged acknowledges (for example by pressing 1 on the alert call).

    Returns False when the report was already acknowledged (nothing changes)."""
    report = session.get(Report, report_id)
    if report is None:
        return False
    escalation = session.scalars(
        select(AlertEscalation).where(AlertEscalation.report_id == report_id)
    ).one_or_none()
    now = clock.now()
    if escalation is not None and escalation.acknowledged_at is None:
        escalation.acknowledged_at = now
        escalation.acknowledged_by = by
    if report.acknowledged_at is not None:
        return False
    report.acknowledged_at = now
    if report.status == "new":
        report.status = "acknowledged"
    add_timeline_event(
        session, report, kind="acknowledged", actor=by, at=now,
        summary=facts.alert_acknowledged(via=via),
    )  # fmt: skip
    append_audit(
        session, at=now, actor=by, action="report.acknowledged", report_id=report.id,
        detail={"via": via},
    )  # fmt: skip
    return True


def _page(session: Session, escalation: AlertEscalation, report: Report, clock: Clock) -> None:
    now = clock.now()
    contact = paged_at_step(session, report, escalation.step)
    step_number = escalation.step + 1
    if contact is None:
        # Nobody to page is itself an emergency: it shows on the timeline and in the log,
        # and the sweep keeps trying every step in case someone is added to the rota.
        add_timeline_event(
            session, report, kind="alert_failed", actor="system", at=now,
            summary=facts.nobody_on_call(step=step_number),
        )  # fmt: skip
        append_audit(
            session, at=now, actor="system", action="alert.nobody_on_call", report_id=report.id
        )
        return
    channels = channels_for(contact)
    for kind in channels:
        enqueue_message(
            session,
            kind=kind,
            dedupe_key=_page_key(kind, escalation),
            payload={
                "template": "immediate_report",
                "report_id": report.id,
                "contact_id": contact.id,
                "escalation_id": escalation.id,
                "step": escalation.step,
            },
            at=now,
        )
    add_timeline_event(
        session, report, kind="alert_sent", actor="system", at=now,
        summary=facts.paged(
            step=step_number, role=contact.role, name=contact.display_name,
            channels=[kind.removeprefix("notify.") for kind in channels],
        ),
    )  # fmt: skip
    append_audit(
        session, at=now, actor="system", action="alert.paged", report_id=report.id,
        detail={"contact_id": contact.id, "step": escalation.step},
    )  # fmt: skip


def _page_key(kind: str, escalation: AlertEscalation) -> str:
    if escalation.round == 0:  # the keys pages had before rounds existed
        return f"{kind}:{escalation.id}:{escalation.step}"
    return f"{kind}:{escalation.id}:r{escalation.round}:{escalation.step}"


def channels_for(contact: OnCallContact) -> list[str]:
    channels = []
    if contact.phone:
        channels += [NOTIFY_SMS, NOTIFY_VOICE]
    if contact.email:
        channels.append(NOTIFY_EMAIL)
    return channels


def notify_governors_of_escalation(
    session: Session, *, report_id: int, event_id: int, clock: Clock
) -> int:
    """A member of staff escalated a report to the governor: tell every duty governor on the
    establishment's chain by SMS and email (not a paging call: it is not an emergency page)."""
    report = session.get(Report, report_id)
    if report is None:
        return 0
    governors = [
        c for c in on_call_chain(session, report.establishment_id) if c.role == "duty_governor"
    ]
    now = clock.now()
    for contact in governors:
        channels = [k for k in channels_for(contact) if k != NOTIFY_VOICE]
        for kind in channels:
            enqueue_once(
                session,
                kind=kind,
                dedupe_key=f"{kind}:escalated:{event_id}:{contact.id}",
                payload={"template": "escalated", "report_id": report.id, "contact_id": contact.id},
                at=now,
            )
    if not governors:
        add_timeline_event(
            session, report, kind="alert_failed", actor="system", at=now,
            summary=facts.no_duty_governor(),
        )  # fmt: skip
    return len(governors)
