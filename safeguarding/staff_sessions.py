"""Staff sessions on the server: the cookie carries only a random token.

The token has 256 random bits; its SHA-256 is stored with an idle expiry (SESSION_IDLE
since the last request) and an absolute one (SESSION_ABSOLUTE since sign-in), both
enforced here on every request, so a stolen or forgotten browser tab stops working.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from safeguarding.access import StaffPrincipal, role_of
from safeguarding.clock import Clock
from safeguarding.conflicts import name_indexes
from storage.models import StaffUser
from storage.repositories import staff as repo
from storage.repositories.audit import append_audit

SESSION_IDLE = timedelta(minutes=30)
SESSION_ABSOLUTE = timedelta(hours=12)
STAFF_LANGUAGES = ("en", "cy")  # HMPPS Welsh Language Scheme: English and Welsh alike


@dataclass(frozen=True)
class SignedInStaff:
    principal: StaffPrincipal
    language: str
    email: str
    signed_in_at: datetime  # when this sign-in began ("since you were last here" is before it)


def token_hash(token: str) -> str:
    # Tokens carry 256 random bits, so a plain hash cannot be reversed by guessing.
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: StaffUser, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    repo.add_staff_session(
        session,
        token_hash=token_hash(token),
        staff_id=user.id,
        stage="active",
        now=now,
        expires_at=now + SESSION_ABSOLUTE,
    )
    return token


def resolve_session(session: Session, *, token: str, clock: Clock) -> SignedInStaff | None:
    """The signed-in member of staff for this token, or None (and the session ends) when it
    is unknown, idle for SESSION_IDLE, past SESSION_ABSOLUTE or the account is disabled."""
    row = repo.find_staff_session(session, token_hash(token))
    if row is None or row.stage != "active":
        return None
    now = clock.now()
    user = session.get(StaffUser, row.staff_id)
    role = role_of(user.role) if user is not None else None
    expired = now >= row.expires_at or now - row.last_seen_at >= SESSION_IDLE
    if expired or user is None or role is None or not user.active or user.password_hash is None:
        row.ended_at = now
        return None
    row.last_seen_at = now
    principal = StaffPrincipal(
        staff_id=user.id,
        role=role,
        establishment_ids=repo.establishment_ids_of(session, user.id),
        display_name=user.display_name,
        name_indexes=name_indexes(session, user.display_name),
    )
    language = repo.account_state(session, user.id).language
    return SignedInStaff(
        principal=principal, language=language, email=user.email, signed_in_at=row.created_at
    )


def end_session(session: Session, *, token: str, clock: Clock, audit: bool = True) -> None:
    row = repo.find_staff_session(session, token_hash(token))
    if row is None:
        return
    row.ended_at = clock.now()
    if audit:
        append_audit(
            session, at=clock.now(), actor=f"staff:{row.staff_id}", action="staff.signed_out"
        )


def choose_language(session: Session, *, staff_id: int, language: str) -> bool:
    if language not in STAFF_LANGUAGES:
        return False
    repo.account_state(session, staff_id).language = language
    return True
