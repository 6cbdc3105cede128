"""The changes to a staff account themselves, once it is settled that they may happen
(directly, or after a lead's approval): used by safeguarding.staff_admin and
safeguarding.access_requests, never by a door."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.admin_rules import APPROVER_ROLES, Manager, audit
from safeguarding.clock import Clock
from safeguarding.enrolment import invite_staff, reissue_staff_setup
from storage.models import StaffMembership, StaffUser
from storage.repositories.outbox import enqueue_message
from storage.repositories.staff import end_staff_sessions

# Outbox kinds the worker delivers (safereport/notify/staff_mail.py).
SETUP_EMAIL = "staff.setup_email"  # the link is made at delivery: no token is ever stored
ACCESS_NOTICE = "staff.access_notice"  # to the leads and governors: who can read changed


def create_account(
    session: Session,
    *,
    by: Manager,
    email: str,
    display_name: str,
    role: str,
    establishment_ids: list[int],
    pepper: bytes,
    clock: Clock,
) -> tuple[StaffUser, str]:
    return invite_staff(
        session, email=email, display_name=display_name, role=role,
        establishment_ids=establishment_ids, pepper=pepper, clock=clock, actor=by.actor,
    )  # fmt: skip


def reset_account(
    session: Session, *, by: Manager, user: StaffUser, pepper: bytes, clock: Clock
) -> str:
    """Remove the password and authenticator, end every session, issue a new setup link.
    The same whether or not the account was set up (a lost phone, or a lost first link)."""
    now = clock.now()
    had_credentials = user.password_hash is not None or user.totp_secret_sealed is not None
    user.password_hash = None
    user.totp_secret_sealed = None
    end_staff_sessions(session, staff_id=user.id, now=now)
    if had_credentials:
        audit(session, by=by, clock=clock, action="staff.reset", staff_id=user.id)
    return reissue_staff_setup(session, user=user, pepper=pepper, clock=clock, actor=by.actor)


def set_active(
    session: Session, *, by: Manager, user: StaffUser, active: bool, clock: Clock
) -> None:
    user.active = active
    if not active:
        end_staff_sessions(session, staff_id=user.id, now=clock.now())
    action = "staff.reactivated" if active else "staff.deactivated"
    audit(session, by=by, clock=clock, action=action, staff_id=user.id)


def set_role(session: Session, *, by: Manager, user: StaffUser, role: str, clock: Clock) -> None:
    """A new role takes effect at the next sign-in: every session ends now."""
    before = user.role
    user.role = role
    end_staff_sessions(session, staff_id=user.id, now=clock.now())
    audit(
        session, by=by, clock=clock, action="staff.role_changed", staff_id=user.id,
        before=before, after=role,
    )  # fmt: skip


def email_setup_link(session: Session, *, staff_id: int, clock: Clock) -> None:
    """The person gets their setup link by email; nobody else sees it."""
    enqueue_message(
        session, kind=SETUP_EMAIL, dedupe_key=f"setup:{staff_id}:{secrets.token_hex(8)}",
        payload={"staff_id": staff_id}, at=clock.now(),
    )  # fmt: skip


def approvers(session: Session, establishment_ids: frozenset[int]) -> list[StaffUser]:
    """The active leads, governors and independent reviewers of these establishments."""
    members = select(StaffMembership.staff_id).where(
        StaffMembership.establishment_id.in_(sorted(establishment_ids))
    )
    return list(
        session.scalars(
            select(StaffUser)
            .where(StaffUser.id.in_(members))
            .where(StaffUser.role.in_(sorted(r.value for r in APPROVER_ROLES)))
            .where(StaffUser.active.is_(True))
            .order_by(StaffUser.id)
        )
    )


def notify_readers_changed(
    session: Session,
    *,
    establishment_ids: frozenset[int],
    event: str,
    staff_id: int | None,
    role: str,
    clock: Clock,
    request_id: int | None = None,
) -> None:
    """Tell every approver of these establishments that who can read reports
    changed (or is asked to change). Ids and the role only: the worker writes the words."""
    for person in approvers(session, establishment_ids):
        if person.id == staff_id:
            continue  # the person concerned is not who checks on it
        enqueue_message(
            session,
            kind=ACCESS_NOTICE,
            dedupe_key=f"access:{person.id}:{secrets.token_hex(8)}",
            payload={
                "to_staff_id": person.id, "event": event, "staff_id": staff_id,
                "role": role, "request_id": request_id,
            },
            at=clock.now(),
        )  # fmt: skip
