"""Warnings before a due time passes, and the lead's daily digest of the queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from safeguarding.alerts import NOTIFY_EMAIL, on_call_chain
from safeguarding.clock import Clock
from safeguarding.policy import Policy
from storage.models import BreachWarning, OnCallContact, Report
from storage.repositories.audit_verify import chain_head
from storage.repositories.outbox import enqueue_once

# Triage is done once a report has moved past these statuses.
UNTRIAGED_STATUSES = ("new", "acknowledged")


def warn_before_breach(session: Session, *, policy: Policy, clock: Clock) -> int:
    """Email the lead once per report and due time that is about to pass (or has passed)."""
    now = clock.now()
    horizon = now + policy.alerts.breach_warning_before
    warned = 0
    for report, due_kind in _reports_near_breach(session, horizon):
        session.add(BreachWarning(report_id=report.id, due_kind=due_kind, warned_at=now))
        for lead in _leads(session, report.establishment_id):
            enqueue_once(
                session,
                kind=NOTIFY_EMAIL,
                dedupe_key=f"breach:{report.id}:{due_kind}:{lead.id}",
                payload={
                    "template": "breach_warning",
                    "report_id": report.id,
                    "contact_id": lead.id,
                    "due_kind": due_kind,
                },
                at=now,
            )
        warned += 1
    return warned


def _reports_near_breach(session: Session, horizon: datetime) -> list[tuple[Report, str]]:
    # An immediate report's acknowledgement is paged for (safeguarding/alerts.py); its
    # triage, once acknowledged, is warned about like any other report's.
    acknowledge_near = and_(
        Report.priority != "immediate",
        Report.acknowledged_at.is_(None),
        Report.acknowledge_due_at <= horizon,
    )
    triage_near = and_(Report.status.in_(UNTRIAGED_STATUSES), Report.triage_due_at <= horizon)
    candidates = session.scalars(
        select(Report).where(Report.status != "closed", or_(acknowledge_near, triage_near))
    ).all()
    found: list[tuple[Report, str]] = []
    for report in candidates:
        due = report.acknowledge_due_at
        paged = report.priority == "immediate"
        if not paged and report.acknowledged_at is None and due is not None and due <= horizon:
            found.append((report, "acknowledge"))
        if report.status in UNTRIAGED_STATUSES and report.triage_due_at <= horizon:
            found.append((report, "triage"))
    warned = select(BreachWarning.report_id, BreachWarning.due_kind).where(
        BreachWarning.report_id.in_([r.id for r, _ in found])
    )
    already = {(report_id, kind) for report_id, kind in session.execute(warned)}
    return [(r, kind) for r, kind in found if (r.id, kind) not in already]


def queue_daily_digests(session: Session, *, clock: Clock, digest_hour_utc: int) -> int:
    """Once a day, after ``digest_hour_utc``, queue the digest email for every lead."""
    now = clock.now()
    if now.hour < digest_hour_utc:
        return 0
    day = now.date().isoformat()
    leads = session.scalars(
        select(OnCallContact).where(
            OnCallContact.role == "lead", OnCallContact.active, OnCallContact.email.is_not(None)
        )
    ).all()
    queued = 0
    for lead in leads:
        queued += enqueue_once(
            session,
            kind=NOTIFY_EMAIL,
            dedupe_key=f"digest:{day}:{lead.id}",
            payload={
                "template": "daily_digest",
                "establishment_id": lead.establishment_id,
                "contact_id": lead.id,
                "day": day,
                "at": now.isoformat(),  # the summary lists deadlines from this moment
                # The lead keeps this email: a chain later cut short or rebuilt no longer
                # passes through the head it carries (safereport audit verify --published).
                "audit_head": _audit_head(session, lead.establishment_id),
            },
            at=now,
        )
    return queued


def _audit_head(session: Session, establishment_id: int) -> dict[str, object]:
    head = chain_head(session, establishment_id)
    return {"chain": head.chain, "length": head.length, "hash": head.last_hash}


def _leads(session: Session, establishment_id: int) -> list[OnCallContact]:
    chain = on_call_chain(session, establishment_id)
    return [contact for contact in chain if contact.role == "lead" and contact.email]
