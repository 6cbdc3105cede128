"""Reminding whoever sent a referral that its chase date has passed with no answer.

Once per referral and chase date: a new chase date ("no answer yet") earns a new reminder.
It goes to the member of staff who recorded the referral while they may still open the
case; otherwise (they left, or the case moved to the restricted queue) to the
establishment's leads on call. It names the case number, the agency and the date only.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Permission, StaffPrincipal, may, role_of
from safeguarding.actions import OPEN_STATUSES
from safeguarding.alerts import NOTIFY_EMAIL, on_call_chain
from safeguarding.clock import Clock
from storage.models import ExternalReferral, Report, StaffUser
from storage.repositories.outbox import enqueue_once
from storage.repositories.staff import establishment_ids_of


def remind_referral_chases(session: Session, *, clock: Clock) -> int:
    """Queue the reminders due now; returns how many were queued."""
    now = clock.now()
    late = session.execute(
        select(ExternalReferral, Report)
        .join(Report, Report.id == ExternalReferral.report_id)
        .where(
            Report.status.in_(OPEN_STATUSES),
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


def _who_to_remind(
    session: Session, referral: ExternalReferral, report: Report
) -> list[tuple[str, int]]:
    sender = _staff_of(session, referral.sent_by)
    if sender is not None and _may_still_refer(session, sender, report):
        return [("staff_id", sender.id)]
    chain = on_call_chain(session, report.establishment_id)
    return [("contact_id", c.id) for c in chain if c.role == "lead" and c.email]


def _staff_of(session: Session, actor: str) -> StaffUser | None:
    prefix, _sep, number = actor.partition(":")
    if prefix != "staff" or not number.isdigit():
        return None
    return session.get(StaffUser, int(number))


def _may_still_refer(session: Session, user: StaffUser, report: Report) -> bool:
    role = role_of(user.role)
    if role is None or not user.active:
        return False
    principal = StaffPrincipal(
        staff_id=user.id, role=role, establishment_ids=establishment_ids_of(session, user.id),
        display_name=user.display_name,
    )  # fmt: skip
    return may(principal, Permission.RECORD_REFERRAL, report)
