"""One-time links: enrolling a kiosk device, and a member of staff setting up their account."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.codes import keyed_hash
from safeguarding.email_addresses import normal_email
from storage.models import KioskDevice, StaffMembership, StaffUser
from storage.repositories.audit import append_audit

ENROLMENT_LIFETIME = timedelta(hours=24)
STAFF_ROLES = ("lead", "deputy", "governor", "auditor", "admin", "reviewer")


def issue_kiosk_enrolment(
    session: Session, *, device: KioskDevice, pepper: bytes, clock: Clock, actor: str
) -> str:
    """A fresh one-time enrolment token for ``device`` (any earlier one stops working)."""
    token = secrets.token_urlsafe(24)
    device.enrolment_token_hash = keyed_hash(pepper, "kiosk-enrolment", token)
    device.enrolment_expires_at = clock.now() + ENROLMENT_LIFETIME
    session.flush()
    append_audit(
        session,
        at=clock.now(),
        actor=actor,
        action="kiosk.enrolment_issued",
        detail={"device_id": device.id},
        establishment_id=device.establishment_id,
    )
    return token


def invite_staff(
    session: Session,
    *,
    email: str,
    display_name: str,
    role: str,
    establishment_ids: list[int],
    pepper: bytes,
    clock: Clock,
    actor: str,
) -> tuple[StaffUser, str]:
    """Create an account that can only be used after its one-time setup link is followed."""
    if role not in STAFF_ROLES:
        raise ValueError(f"role must be one of {STAFF_ROLES}")
    user = StaffUser(
        email=normal_email(email), display_name=display_name, role=role, created_at=clock.now()
    )
    session.add(user)
    session.flush()
    token = reissue_staff_setup(session, user=user, pepper=pepper, clock=clock, actor=actor)
    session.add_all(
        StaffMembership(staff_id=user.id, establishment_id=i) for i in establishment_ids
    )
    append_audit(
        session,
        at=clock.now(),
        actor=actor,
        action="staff.invited",
        detail={"staff_id": user.id, "role": role},
    )
    return user, token


def reissue_staff_setup(
    session: Session, *, user: StaffUser, pepper: bytes, clock: Clock, actor: str
) -> str:
    """A fresh one-time setup link for ``user``; any earlier link stops working."""
    token = secrets.token_urlsafe(24)
    user.setup_token_hash = keyed_hash(pepper, "staff-setup", token)
    user.setup_expires_at = clock.now() + ENROLMENT_LIFETIME
    session.flush()
    append_audit(
        session,
        at=clock.now(),
        actor=actor,
        action="staff.setup_link_issued",
        detail={"staff_id": user.id},
    )
    return token
