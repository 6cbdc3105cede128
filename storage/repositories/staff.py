"""Staff accounts, their sessions, sign-in attempts and second-factor state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import (
    StaffAccountState,
    StaffMembership,
    StaffRecoveryCode,
    StaffSession,
    StaffSignInAttempt,
    StaffUser,
)


def find_staff_by_email(session: Session, email: str) -> StaffUser | None:
    """``email`` as stored: normalised by the caller (safeguarding.email_addresses)."""
    if "\x00" in email:
        return None  # no address holds NUL, and PostgreSQL refuses it in a query (500)
    return session.scalars(select(StaffUser).where(StaffUser.email == email)).one_or_none()


def find_staff_by_setup_hash(session: Session, setup_hash: str) -> StaffUser | None:
    return session.scalars(
        select(StaffUser).where(StaffUser.setup_token_hash == setup_hash)
    ).one_or_none()


def establishment_ids_of(session: Session, staff_id: int) -> frozenset[int]:
    rows = session.scalars(
        select(StaffMembership.establishment_id).where(StaffMembership.staff_id == staff_id)
    )
    return frozenset(rows)


def list_staff_in(session: Session, establishment_ids: frozenset[int]) -> Sequence[StaffUser]:
    """Active staff belonging to any of ``establishment_ids``, by name."""
    members = select(StaffMembership.staff_id).where(
        StaffMembership.establishment_id.in_(establishment_ids)
    )
    return session.scalars(
        select(StaffUser)
        .where(StaffUser.id.in_(members), StaffUser.active.is_(True))
        .order_by(StaffUser.display_name, StaffUser.id)
    ).all()


def account_state(session: Session, staff_id: int) -> StaffAccountState:
    """The account's second-factor state and settings, created on first use."""
    state = session.get(StaffAccountState, staff_id, with_for_update=True)
    if state is None:
        state = StaffAccountState(staff_id=staff_id, language="en")
        session.add(state)
        session.flush()
    return state


# Sessions -----------------------------------------------------------------------------


def add_staff_session(
    session: Session,
    *,
    token_hash: str,
    staff_id: int,
    stage: str,
    now: datetime,
    expires_at: datetime,
    pending_password_hash: str | None = None,
) -> StaffSession:
    row = StaffSession(
        token_hash=token_hash,
        staff_id=staff_id,
        stage=stage,
        created_at=now,
        last_seen_at=now,
        expires_at=expires_at,
        pending_password_hash=pending_password_hash,
    )
    session.add(row)
    session.flush()
    return row


def find_staff_session(session: Session, token_hash: str) -> StaffSession | None:
    return session.scalars(
        select(StaffSession).where(
            StaffSession.token_hash == token_hash, StaffSession.ended_at.is_(None)
        )
    ).one_or_none()


def end_staff_sessions(session: Session, *, staff_id: int, now: datetime) -> None:
    """Sign the person out everywhere (after a password change or deactivation)."""
    session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == staff_id, StaffSession.ended_at.is_(None))
        .values(ended_at=now)
    )


# Sign-in attempts -----------------------------------------------------------------------


def record_sign_in_attempt(
    session: Session, *, at: datetime, account_hash: str, address_hash: str, succeeded: bool
) -> None:
    session.add(
        StaffSignInAttempt(
            at=at, account_hash=account_hash, address_hash=address_hash, succeeded=succeeded
        )
    )
    session.flush()


def failed_sign_in_times(
    session: Session, *, since: datetime, account_hash: str | None = None, address_hash: str | None
) -> list[datetime]:
    """When the failed tries for this account (or from this address) since ``since`` were."""
    statement = select(StaffSignInAttempt.at).where(
        StaffSignInAttempt.at >= since, StaffSignInAttempt.succeeded.is_(False)
    )
    if account_hash is not None:
        statement = statement.where(StaffSignInAttempt.account_hash == account_hash)
    if address_hash is not None:
        statement = statement.where(StaffSignInAttempt.address_hash == address_hash)
    return list(session.scalars(statement.order_by(StaffSignInAttempt.at)))


# Recovery codes -------------------------------------------------------------------------


def replace_recovery_codes(
    session: Session, *, staff_id: int, code_hashes: list[str], now: datetime
) -> None:
    for old in session.scalars(
        select(StaffRecoveryCode).where(StaffRecoveryCode.staff_id == staff_id)
    ):
        session.delete(old)
    session.flush()
    session.add_all(
        StaffRecoveryCode(staff_id=staff_id, code_hash=h, created_at=now) for h in code_hashes
    )
    session.flush()


def use_recovery_code(session: Session, *, staff_id: int, code_hash: str, now: datetime) -> bool:
    """Spend an unused recovery code; False when there is no such unused code."""
    result = session.execute(
        update(StaffRecoveryCode)
        .where(
            StaffRecoveryCode.staff_id == staff_id,
            StaffRecoveryCode.code_hash == code_hash,
            StaffRecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def unused_recovery_codes(session: Session, staff_id: int) -> int:
    return (
        session.scalar(
            select(func.count(StaffRecoveryCode.id)).where(
                StaffRecoveryCode.staff_id == staff_id, StaffRecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )
