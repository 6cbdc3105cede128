"""Outbox handlers that page people and send warnings, and the sweeps the worker runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from safeguarding.alerts import (
    NOTIFY_EMAIL,
    NOTIFY_SMS,
    NOTIFY_VOICE,
    escalate_due,
    notify_governors_of_escalation,
    start_paging,
)
from safeguarding.breaches import queue_daily_digests, warn_before_breach
from safeguarding.casework_reminders import remind_overdue_casework
from safeguarding.notices import escalate_missed_deadlines, notify_high_report
from safeguarding.referral_reminders import remind_referral_chases
from safeguarding.services import Services
from safereport.notify.messages import AlertText, Recipient, compose
from safereport.notify.transport import Sender, alert_call_twiml
from safereport.worker import Handler, Periodic
from storage.models import Report

NEW_REPORT = "alert.new_report"
ESCALATION = "alert.escalation"  # written by safeguarding.actions.escalate
# A call raised a report's priority after it was made (e.g. the caller then pressed "danger").
PRIORITY_RAISED = "alert.priority_raised"


def make_alert_handlers(*, sender: Sender, base_url: str) -> dict[str, Handler]:
    def new_report(services: Services, payload: dict[str, Any]) -> None:
        """Immediate: page down the chain. High: tell the lead and deputy at once."""
        with services.db.transaction() as session:
            start_paging(
                session,
                report_id=payload["report_id"],
                policy=services.policy,
                clock=services.clock,
            )
            notify_high_report(session, report_id=payload["report_id"], clock=services.clock)

    def notify(channel: str) -> Handler:
        def handler(services: Services, payload: dict[str, Any]) -> None:
            with services.db.transaction() as session:
                if _already_acknowledged(session, payload):
                    return  # someone answered while this page waited: do not wake anyone
                contact, text = compose(session, payload, base_url=base_url)
            _send(sender, channel, contact, text, payload, base_url)

        return handler

    def escalation(services: Services, payload: dict[str, Any]) -> None:
        with services.db.transaction() as session:
            notify_governors_of_escalation(
                session,
                report_id=payload["report_id"],
                event_id=payload["event_id"],
                clock=services.clock,
            )

    return {
        NEW_REPORT: new_report,
        PRIORITY_RAISED: new_report,  # start_paging pages only immediate, unacknowledged reports
        ESCALATION: escalation,
        NOTIFY_SMS: notify(NOTIFY_SMS),
        NOTIFY_VOICE: notify(NOTIFY_VOICE),
        NOTIFY_EMAIL: notify(NOTIFY_EMAIL),
    }


def _already_acknowledged(session: Session, payload: dict[str, Any]) -> bool:
    if payload.get("template") != "immediate_report":
        return False
    report = session.get(Report, payload["report_id"])
    return report is not None and report.acknowledged_at is not None


def _send(
    sender: Sender,
    channel: str,
    contact: Recipient,
    text: AlertText,
    payload: dict[str, Any],
    base_url: str,
) -> None:
    if channel == NOTIFY_EMAIL:
        if not contact.email:
            raise LookupError(f"{contact.label} has no email address")
        sender.email(to=contact.email, subject=text.subject, body=text.body)
        return
    if not contact.phone:
        raise LookupError(f"{contact.label} has no phone number")
    if channel == NOTIFY_SMS:
        sender.sms(to=contact.phone, body=text.sms)
        return
    acknowledge_url = (
        f"{base_url}/ivr/oncall/ack?escalation={payload['escalation_id']}&step={payload['step']}"
    )
    sender.call(
        to=contact.phone, twiml=alert_call_twiml(text.voice, acknowledge_url=acknowledge_url)
    )


def alert_sweeps(*, digest_hour_utc: int) -> list[tuple[timedelta, Periodic]]:
    """Escalate unanswered pages, warn before breaches, tell the governor of missed
    deadlines, queue the daily digest, remind whoever sent a referral to chase it and the
    owners of overdue tasks and plan reviews."""

    def escalate(services: Services) -> None:
        with services.db.transaction() as session:
            escalate_due(session, policy=services.policy, clock=services.clock)

    def breaches(services: Services) -> None:
        with services.db.transaction() as session:
            warn_before_breach(session, policy=services.policy, clock=services.clock)

    def missed(services: Services) -> None:
        with services.db.transaction() as session:
            escalate_missed_deadlines(session, clock=services.clock)

    def chases(services: Services) -> None:
        with services.db.transaction() as session:
            remind_referral_chases(session, clock=services.clock)
            remind_overdue_casework(session, clock=services.clock)

    def digest(services: Services) -> None:
        with services.db.transaction() as session:
            queue_daily_digests(session, clock=services.clock, digest_hour_utc=digest_hour_utc)

    # Paging is time-critical; the others only need to happen within a minute or so.
    return [
        (timedelta(seconds=5), escalate),
        (timedelta(minutes=1), breaches),
        (timedelta(minutes=1), missed),
        (timedelta(minutes=5), digest),
        (timedelta(minutes=5), chases),
    ]
