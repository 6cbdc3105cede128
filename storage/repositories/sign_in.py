"""Staff sign-in tries and known browsers, for safeguarding.sign_in_limits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.models import StaffKnownBrowser, StaffSignInAttempt


def lock_account(session: Session, account_hash: str) -> None:
    """Serialise tries for one account until this transaction ends (PostgreSQL). SQLite
    needs nothing: every transaction there begins IMMEDIATE, holding the write lock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    key = int(account_hash[:15], 16)  # 60 bits: fits PostgreSQL's signed bigint
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def tries(
    session: Session,
    *,
    since: datetime,
    account_hash: str | None = None,
    address_hash: str | None = None,
    browser_hash: str | None = None,
) -> list[tuple[datetime, bool]]:
    """Checked tries since ``since``, newest first. Without ``browser_hash``: tries from
    unknown browsers only; with it, that known browser's only."""
    attempt = StaffSignInAttempt
    statement = select(attempt.at, attempt.succeeded).where(attempt.at >= since)
    if account_hash is not None:
        statement = statement.where(attempt.account_hash == account_hash)
    if address_hash is not None:
        statement = statement.where(attempt.address_hash == address_hash)
    if browser_hash is None:
        statement = statement.where(attempt.browser_hash.is_(None))
    else:
        statement = statement.where(attempt.browser_hash == browser_hash)
    rows = session.execute(statement.order_by(attempt.at.desc(), attempt.id.desc()))
    return [(at, succeeded) for at, succeeded in rows]


def record_try(
    session: Session,
    *,
    at: datetime,
    account_hash: str,
    address_hash: str,
    browser_hash: str | None,
    succeeded: bool,
) -> None:
    session.add(
        StaffSignInAttempt(
            at=at,
            account_hash=account_hash,
            address_hash=address_hash,
            browser_hash=browser_hash,
            succeeded=succeeded,
        )
    )
    session.flush()


def is_known_browser(session: Session, *, browser_hash: str, account_hash: str) -> bool:
    found = session.scalar(
        select(StaffKnownBrowser.id).where(
            StaffKnownBrowser.browser_hash == browser_hash,
            StaffKnownBrowser.account_hash == account_hash,
        )
    )
    return found is not None


def remember_browser(
    session: Session, *, browser_hash: str, account_hash: str, at: datetime
) -> None:
    known = session.scalars(
        select(StaffKnownBrowser).where(
            StaffKnownBrowser.browser_hash == browser_hash,
            StaffKnownBrowser.account_hash == account_hash,
        )
    ).one_or_none()
    if known is None:
        session.add(
            StaffKnownBrowser(
                browser_hash=browser_hash,
                account_hash=account_hash,
                created_at=at,
                last_signed_in_at=at,
            )
        )
    else:
        known.last_signed_in_at = at
