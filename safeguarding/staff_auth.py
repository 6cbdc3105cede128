"""Staff sign-in: argon2 passwords, mandatory TOTP, recovery codes, throttling, sessions.

Every account needs a password and a code from an authenticator app (or a one-time
recovery code). Failures and throttling look the same whether or not the account exists.
Sessions are in safeguarding.staff_sessions.

Functions that can fail return an outcome instead of raising, so that the caller's
transaction commits the record of a failed try (which throttling counts).
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from secrets import choice as secure_choice
from secrets import token_hex, token_urlsafe

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from safeguarding import sign_in_limits as limits_
from safeguarding.clock import Clock
from safeguarding.codes import keyed_hash
from safeguarding.email_addresses import normal_email
from safeguarding.policy import SignInLimits, load_policy
from safeguarding.staff_sessions import end_session, open_session, token_hash
from storage.crypto import Secrets, Vault
from storage.models import StaffSession, StaffUser
from storage.repositories import staff as repo
from storage.repositories.audit import append_audit
from storage.sealed_fields import STAFF_TOTP_SECRET

ENROLMENT_WINDOW = timedelta(minutes=15)
# The shipped policy's limits; the app passes the configured ones to sign_in.
DEFAULT_SIGN_IN_LIMITS = load_policy().sign_in
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 256
RECOVERY_CODE_COUNT = 10
TOTP_ISSUER = "SafeReport"

_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
# RFC 9106's second recommended option (argon2id, 3 passes over 64 MiB, 4 lanes), spelt
# out so that a change of the library's defaults does not change ours unseen.
PRODUCTION_HASHER = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)
password_hasher = PRODUCTION_HASHER  # the test suite lowers the cost in its own process


@cache
def _dummy_hash() -> str:
    """A hash to verify against when there is no account, so both cases take as long."""
    return password_hasher.hash(token_hex(16))


@dataclass(frozen=True)
class SignInOutcome:
    ok: bool
    refusal: str | None = None  # "invalid" | "throttled"
    session_token: str | None = None
    retry_after: timedelta | None = None  # when throttled: how long to wait
    browser_token: str | None = None  # the known-browser cookie to keep, after success


@dataclass(frozen=True)
class SetupStarted:
    ok: bool
    problems: tuple[str, ...] = ()  # link_invalid | password_* codes
    session_token: str | None = None


@dataclass(frozen=True)
class Enrolment:
    email: str
    secret: str
    provisioning_uri: str


@dataclass(frozen=True)
class SetupFinished:
    ok: bool
    refusal: str | None = None  # "code" | "throttled" | "expired"
    session_token: str | None = None
    recovery_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecoveryCodesReplaced:
    ok: bool
    refusal: str | None = None  # "code" | "throttled" | "inactive"
    recovery_codes: tuple[str, ...] = ()


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def password_problems(password: str, confirmation: str, *, email: str) -> tuple[str, ...]:
    problems = []
    if len(password) < MIN_PASSWORD_CHARS:
        problems.append("password_too_short")
    elif len(password) > MAX_PASSWORD_CHARS:
        problems.append("password_too_long")
    elif normal_email(password) == normal_email(email):
        problems.append("password_is_email")
    if password != confirmation:
        problems.append("password_mismatch")
    return tuple(problems)


def _verify_password(stored: str | None, password: str) -> bool:
    try:
        return password_hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


# Setting up an account from the one-time link -------------------------------------------


def start_setup(
    session: Session,
    *,
    setup_token: str,
    password: str,
    confirmation: str,
    secrets: Secrets,
    clock: Clock,
) -> SetupStarted:
    """Check the link and the chosen password, and begin TOTP enrolment."""
    user = setup_user(session, setup_token=setup_token, pepper=secrets.code_pepper, clock=clock)
    if user is None:
        return SetupStarted(False, ("link_invalid",))
    problems = password_problems(password, confirmation, email=user.email)
    if problems:
        return SetupStarted(False, problems)
    now = clock.now()
    # The link is spent now, on first use: whoever opened it too cannot start again, and
    # this enrolment's TOTP secret is its own (a new link makes a new one).
    user.setup_token_hash = None
    user.setup_expires_at = None
    user.totp_secret_sealed = secrets.vault.seal_text(
        pyotp.random_base32(), purpose=STAFF_TOTP_SECRET.binding(user.id)
    )
    token = token_urlsafe(32)
    repo.add_staff_session(
        session,
        token_hash=token_hash(token),
        staff_id=user.id,
        stage="enrolling",
        now=now,
        expires_at=now + ENROLMENT_WINDOW,
        pending_password_hash=hash_password(password),
    )
    append_audit(session, at=now, actor=_actor(user), action="staff.setup_started")
    return SetupStarted(True, session_token=token)


def setup_user(
    session: Session, *, setup_token: str, pepper: bytes, clock: Clock
) -> StaffUser | None:
    user = repo.find_staff_by_setup_hash(session, keyed_hash(pepper, "staff-setup", setup_token))
    if user is None or not user.active or user.setup_expires_at is None:
        return None
    return user if clock.now() < user.setup_expires_at else None


def enrolment(
    session: Session, *, session_token: str, vault: Vault, clock: Clock
) -> Enrolment | None:
    """The secret to show as a QR code while enrolment is under way."""
    row = _enrolling_session(session, session_token, clock)
    if row is None:
        return None
    user = session.get(StaffUser, row.staff_id)
    if user is None or user.totp_secret_sealed is None:
        return None
    secret = vault.open_text(user.totp_secret_sealed, purpose=STAFF_TOTP_SECRET.binding(user.id))
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)
    return Enrolment(email=user.email, secret=secret, provisioning_uri=uri)


def finish_setup(
    session: Session,
    *,
    session_token: str,
    code: str,
    address: str,
    secrets: Secrets,
    clock: Clock,
) -> SetupFinished:
    """Confirm the first code from the app; the account becomes usable and signed in."""
    row = _enrolling_session(session, session_token, clock)
    user = session.get(StaffUser, row.staff_id) if row is not None else None
    if row is None or user is None or user.totp_secret_sealed is None:
        return SetupFinished(False, "expired")
    now = clock.now()
    refusal = _check_app_code(session, user, code, address, secrets, now)
    if refusal is not None:
        return SetupFinished(False, refusal)
    user.password_hash = row.pending_password_hash
    user.setup_token_hash = None
    user.setup_expires_at = None
    repo.account_state(session, user.id).totp_confirmed_at = now
    # Every other session of this account ends: nobody who held it before keeps it.
    repo.end_staff_sessions(session, staff_id=user.id, now=now)
    row.ended_at = now
    codes = _issue_recovery_codes(session, user, secrets.code_pepper, now)
    token = open_session(session, user, now)
    append_audit(session, at=now, actor=_actor(user), action="staff.setup_completed")
    return SetupFinished(True, session_token=token, recovery_codes=codes)


def _enrolling_session(session: Session, token: str, clock: Clock) -> StaffSession | None:
    row = repo.find_staff_session(session, token_hash(token))
    if row is None or row.stage != "enrolling" or clock.now() >= row.expires_at:
        return None
    return row


# Signing in ---------------------------------------------------------------------------


def sign_in(
    session: Session,
    *,
    email: str,
    password: str,
    code: str,
    address: str,
    secrets: Secrets,
    clock: Clock,
    previous_token: str | None = None,
    browser_token: str | None = None,
    limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
) -> SignInOutcome:
    """Password and second factor together, so neither can be tested on its own.

    ``browser_token`` is the known-browser cookie, if any (see safeguarding.sign_in_limits).
    A correct sign-in returns the token the browser should keep (a new one if it had none).
    """
    now = clock.now()
    pepper = secrets.code_pepper
    scope = limits_.enter(
        session, pepper=pepper, email=email, address=address, browser_token=browser_token
    )
    wait = limits_.wait_before_trying(session, scope, limits, now)
    if wait > timedelta(0):
        append_audit(session, at=now, actor="anonymous", action="staff.sign_in_throttled")
        return SignInOutcome(False, "throttled", retry_after=wait)
    user = repo.find_staff_by_email(session, normal_email(email))
    usable = user is not None and user.active and user.totp_secret_sealed is not None
    password_ok = _verify_password(user.password_hash if usable and user else None, password)
    ok = password_ok and user is not None and _second_factor(session, user, code, secrets, now)
    limits_.record_try(session, scope, at=now, succeeded=ok)
    if not ok or user is None:
        if user is not None:
            append_audit(session, at=now, actor=_actor(user), action="staff.sign_in_failed")
        return SignInOutcome(False, "invalid")
    if password_hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    if previous_token:
        end_session(session, token=previous_token, clock=clock, audit=False)
    token = open_session(session, user, now)
    kept = browser_token or token_urlsafe(32)
    limits_.remember_browser(session, scope, pepper=pepper, browser_token=kept, at=now)
    append_audit(session, at=now, actor=_actor(user), action="staff.signed_in")
    return SignInOutcome(True, session_token=token, browser_token=kept)


def _second_factor(
    session: Session, user: StaffUser, code: str, secrets: Secrets, now: datetime
) -> bool:
    entered = _digits(code)
    if re.fullmatch(r"\d{6}", entered):
        assert user.totp_secret_sealed is not None
        secret = secrets.vault.open_text(
            user.totp_secret_sealed, purpose=STAFF_TOTP_SECRET.binding(user.id)
        )
        state = repo.account_state(session, user.id)
        step = matching_totp_step(secret, entered, now=now, last_step=state.last_totp_step)
        if step is None:
            return False
        state.last_totp_step = step
        return True
    recovery = normalise_recovery_code(code)
    if not recovery:
        return False
    used = repo.use_recovery_code(
        session,
        staff_id=user.id,
        code_hash=keyed_hash(secrets.code_pepper, "staff-recovery", recovery),
        now=now,
    )
    if used:
        append_audit(session, at=now, actor=_actor(user), action="staff.recovery_code_used")
    return used


def matching_totp_step(
    secret: str, code: str, *, now: datetime, last_step: int | None
) -> int | None:
    """The time step ``code`` belongs to (allowing one step of clock drift either way), or
    None. A step at or before the last one accepted is refused: each code works once."""
    # ASCII only: \d also matches "١٢٣٤٥٦", which compare_digest cannot compare (TypeError).
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _digits(code: str) -> str:
    return re.sub(r"[\s-]", "", code)


def normalise_recovery_code(code: str) -> str:
    cleaned = re.sub(r"[\s-]", "", code).lower()
    if len(cleaned) != 10 or any(c not in _RECOVERY_ALPHABET for c in cleaned):
        return ""
    return cleaned


def _issue_recovery_codes(
    session: Session, user: StaffUser, pepper: bytes, now: datetime
) -> tuple[str, ...]:
    codes = [
        "".join(secure_choice(_RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    repo.replace_recovery_codes(
        session,
        staff_id=user.id,
        code_hashes=[keyed_hash(pepper, "staff-recovery", c) for c in codes],
        now=now,
    )
    return tuple(f"{c[:5]}-{c[5:]}" for c in codes)


def replace_recovery_codes(
    session: Session, *, staff_id: int, code: str, address: str, secrets: Secrets, clock: Clock
) -> RecoveryCodesReplaced:
    """New recovery codes for a signed-in person who proves it with a code from their app
    now (a stolen session alone must not be enough). The old codes stop working."""
    now = clock.now()
    user = session.get(StaffUser, staff_id)
    if user is None or not user.active or user.totp_secret_sealed is None:
        return RecoveryCodesReplaced(False, "inactive")
    refusal = _check_app_code(session, user, code, address, secrets, now)
    if refusal is not None:
        return RecoveryCodesReplaced(False, refusal)
    codes = _issue_recovery_codes(session, user, secrets.code_pepper, now)
    append_audit(session, at=now, actor=_actor(user), action="staff.recovery_codes_replaced")
    return RecoveryCodesReplaced(True, recovery_codes=codes)


def _check_app_code(
    session: Session, user: StaffUser, code: str, address: str, secrets: Secrets, now: datetime
) -> str | None:
    """Accept a fresh code from the person's app (counted by the throttle), or say why not:
    "throttled" or "code"."""
    assert user.totp_secret_sealed is not None
    # Judged as an unknown browser: setup has no known browser yet, and a signed-in
    # person replacing recovery codes must prove the app code again.
    scope = limits_.enter(
        session, pepper=secrets.code_pepper, email=user.email, address=address, browser_token=None
    )
    if limits_.wait_before_trying(session, scope, DEFAULT_SIGN_IN_LIMITS, now) > timedelta(0):
        return "throttled"
    secret = secrets.vault.open_text(
        user.totp_secret_sealed, purpose=STAFF_TOTP_SECRET.binding(user.id)
    )
    state = repo.account_state(session, user.id)
    step = matching_totp_step(secret, _digits(code), now=now, last_step=state.last_totp_step)
    limits_.record_try(session, scope, at=now, succeeded=step is not None)
    if step is None:
        return "code"
    state.last_totp_step = step
    return None


def _actor(user: StaffUser) -> str:
    return f"staff:{user.id}"
