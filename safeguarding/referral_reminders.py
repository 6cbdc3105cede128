"""Reminding whoever sent a referral that its chase date has passed with no answer.

Once per referral and chase date: a new chase date ("no answer yet") earns a new reminder.
It goes to the member of staff who recorded the referral while they may still open the
case; otherwise (they left, or the case moved to the restricted queue) to the
establishment's leads on call. It names the case number, the agency and the date only.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Permission
from safeguarding.alerts import NOTIFY_EMAIL
from safeguarding.clock import Clock
from safeguarding.reminders import Recipient, recipients, staff_of_actor
from storage.models import ExternalReferral, Report
from storage.repositories.outbox import enqueue_once


def remind_referral_chases(session: Session, *, clock: Clock) -> int:
    """Queue the reminders due now; returns how many were queued."""
    now = clock.now()
    late = session.execute(
        select(ExternalReferral, Report)
        .join(Report, Report.id == ExternalReferral.report_id)
        .where(
            # Closed cases too: an agency's answer (an NRM decision) often comes months after
            # the case closed, and a referral nobody chases is one nobody answers.
            ExternalReferral.chase_on.is_not(None),
            ExternalReferral.chase_on < now.date(),
        )
    ).all()
    queued = 0
    for referral, report in late:
        assert referral.chase_on is not None
        stamp = f"chase:{referral.id}:{referral.chase_on.isoformat()}"
        payload = {"template": "referral_chase", "report_id": report.id, "referral_id": referral.id}
        for recipient in _who_to_remind(session, referral, report):
            queued += enqueue_once(
                session, kind=NOTIFY_EMAIL, dedupe_key=f"{stamp}:{recipient[0]}:{recipient[1]}",
                payload={**payload, recipient[0]: recipient[1]}, at=now,
            )  # fmt: skip
    return queued


def _who_to_remind(session: Session, referral: ExternalReferral, report: Report) -> list[Recipient]:
    sender = staff_of_actor(session, referral.sent_by)
    return recipients(session, sender, report, Permission.RECORD_REFERRAL)
