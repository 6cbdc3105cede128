"""How often someone may try to sign in as a member of staff, without letting an outsider
lock that member of staff out.

A lock an outsider can trigger is a way to silence the safeguarding team. So there is no
lock on the account as such. Instead:

- A browser that has signed in to the account before carries a random known-browser
  cookie (its keyed hash is stored with the account's). Such a browser is judged by its
  own tries only: nobody else's failures can hold it back.
- Every other browser is judged by the counts it shares with all unknown browsers for
  that account, by the stricter counts for that account from its network address, and by
  its address's counts across all accounts (password spraying).
- Each set of counts gives a progressive delay after failures in a row (a success in the
  same scope starts again) and hourly and daily ceilings, which stop slow guessing.

Only tries that were checked are counted; a try refused as "too soon" is not checked and
not counted, so flooding does not lengthen the wait. On PostgreSQL, tries for one account
are serialised (a transaction-scoped advisory lock) so that parallel tries are counted one
after the other; SQLite's BEGIN IMMEDIATE serialises every writer already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from safeguarding.codes import keyed_hash
from safeguarding.email_addresses import normal_email
from safeguarding.policy import Backoff, SignInLimits
from storage.repositories import sign_in as repo

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class SignInScope:
    """Who is trying, as keyed hashes; ``browser_hash`` only when the browser is known."""

    account_hash: str
    address_hash: str
    browser_hash: str | None


def account_hash(pepper: bytes, email: str) -> str:
    return keyed_hash(pepper, "staff-sign-in-account", normal_email(email))


def browser_hash(pepper: bytes, browser_token: str) -> str:
    return keyed_hash(pepper, "staff-known-browser", browser_token)


def enter(
    session: Session, *, pepper: bytes, email: str, address: str, browser_token: str | None
) -> SignInScope:
    """Take this account's turn (serialising parallel tries) and say who is trying."""
    account = account_hash(pepper, email)
    repo.lock_account(session, account)
    known = None
    if browser_token:
        candidate = browser_hash(pepper, browser_token)
        if repo.is_known_browser(session, browser_hash=candidate, account_hash=account):
            known = candidate
    return SignInScope(
        account_hash=account,
        address_hash=keyed_hash(pepper, "staff-sign-in-address", address),
        browser_hash=known,
    )


def wait_before_trying(
    session: Session, scope: SignInScope, limits: SignInLimits, now: datetime
) -> timedelta:
    """How long this try must wait (zero: it may be checked now)."""
    since = now - DAY
    if scope.browser_hash is not None:
        checks = [
            (
                repo.tries(
                    session,
                    since=since,
                    account_hash=scope.account_hash,
                    browser_hash=scope.browser_hash,
                ),
                limits.known_browser,
            )
        ]
    else:
        account, address = scope.account_hash, scope.address_hash
        checks = [
            (repo.tries(session, since=since, account_hash=account), limits.unknown_browser),
            (
                repo.tries(session, since=since, account_hash=account, address_hash=address),
                limits.unknown_browser_address,
            ),
            (repo.tries(session, since=since, address_hash=address), limits.address),
        ]
    return max(wait_for(tries, backoff, now) for tries, backoff in checks)


def wait_for(tries: list[tuple[datetime, bool]], backoff: Backoff, now: datetime) -> timedelta:
    """The wait that ``tries`` (newest first: when, and whether it succeeded) impose."""
    failures = [at for at, succeeded in tries if not succeeded]
    waits = [timedelta(0)]
    in_a_row = 0
    for _at, succeeded in tries:
        if succeeded:
            break
        in_a_row += 1
    if in_a_row:
        waits.append(failures[0] + backoff.delay_after(in_a_row) - now)
    recent = [at for at in failures if at > now - HOUR]
    if len(recent) >= backoff.failures_per_hour:
        waits.append(recent[backoff.failures_per_hour - 1] + HOUR - now)
    if len(failures) >= backoff.failures_per_day:
        waits.append(failures[backoff.failures_per_day - 1] + DAY - now)
    return max(waits)


def record_try(session: Session, scope: SignInScope, *, at: datetime, succeeded: bool) -> None:
    repo.record_try(
        session,
        at=at,
        account_hash=scope.account_hash,
        address_hash=scope.address_hash,
        browser_hash=scope.browser_hash,
        succeeded=succeeded,
    )


def remember_browser(
    session: Session, scope: SignInScope, *, pepper: bytes, browser_token: str, at: datetime
) -> None:
    """After a correct sign-in: this browser is known for this account from now on."""
    repo.remember_browser(
        session,
        browser_hash=browser_hash(pepper, browser_token),
        account_hash=scope.account_hash,
        at=at,
    )
