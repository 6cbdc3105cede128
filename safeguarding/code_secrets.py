"""A follow-up code kept safe with four pictures or a 4-digit PIN (issue 17.3).

A code slip found by someone else tells them its owner made a report. A person may choose
a second thing that only they know: four pictures from a grid of 16, or four numbers. A
code with one then opens nothing by itself: the door shows only "this code needs its
pictures" (or "its numbers") and asks for them.

Only an argon2 hash is kept (the hasher of staff passwords, safeguarding.staff_auth),
made over the report's id as well as the secret, so a hash copied onto another report's
row opens nothing. The secret is never stored, logged or put in a URL.

Guessing is limited exactly like guessing codes (safeguarding.lookup): each try at a
protected code counts, in every one of the seeker's scopes and in one more, the report's
own, which has the per-session limit. A cellmate with the slip therefore gets five tries
in fifteen minutes however many kiosks or calls they use: a 4-digit PIN (10,000) or a
picture code (16^4 = 65,536) would take them weeks, and the establishment's limits and
the lead's alert come long before that.
"""

from __future__ import annotations

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from safeguarding import staff_auth
from safeguarding.clock import Clock
from safeguarding.errors import CodeSecretMalformed
from safeguarding.lookup import Seeker, refuse_when_limited, report_scope, scope_hashes
from safeguarding.policy import LookupLimits
from storage.models import Report
from storage.repositories.audit import append_audit
from storage.repositories.lookups import record_lookup

PICTURES = "pictures"
PIN = "pin"
KINDS = (PICTURES, PIN)
SECRET_LENGTH = 4

# The grid, in order: simple things drawn the same way everywhere. Their place in this
# list (1 to 16) is what the phone reads out; never reorder, only ever append.
PICTURE_NAMES = (
    "sun", "moon", "star", "tree",
    "flower", "apple", "fish", "bird",
    "house", "boat", "car", "key",
    "cup", "ball", "hat", "heart",
)  # fmt: skip


def normalise_secret(kind: str, chosen: list[str]) -> str:
    """The secret as it is hashed: four picture names or four digits, joined by commas.

    Raises CodeSecretMalformed for anything else."""
    allowed = PICTURE_NAMES if kind == PICTURES else tuple("0123456789")
    if kind not in KINDS or len(chosen) != SECRET_LENGTH or not set(chosen) <= set(allowed):
        raise CodeSecretMalformed()
    return ",".join(chosen)


def needs_secret(report: Report) -> bool:
    return report.code_secret_hash is not None


def _material(report_id: int, kind: str, secret: str) -> str:
    return f"code-secret|{report_id}|{kind}|{secret}"


def set_code_secret(
    session: Session, *, report: Report, kind: str, chosen: list[str], clock: Clock
) -> None:
    """Keep ``report``'s code safe with ``chosen`` (replacing any secret it had)."""
    secret = normalise_secret(kind, chosen)
    report.code_secret_kind = kind
    report.code_secret_hash = staff_auth.password_hasher.hash(_material(report.id, kind, secret))
    append_audit(
        session, at=clock.now(), actor="reporter", action="report.code_secret_set",
        report_id=report.id, detail={"kind": kind},
    )  # fmt: skip


def _matches(report: Report, chosen: list[str]) -> bool:
    kind = report.code_secret_kind or ""
    try:
        secret = normalise_secret(kind, chosen)
        material = _material(report.id, kind, secret)
        return staff_auth.password_hasher.verify(report.code_secret_hash or "", material)
    except (CodeSecretMalformed, VerificationError, InvalidHashError):
        return False


def open_report_with_secret(
    session: Session,
    *,
    report_id: int,
    chosen: list[str],
    seeker: Seeker,
    pepper: bytes,
    limits: LookupLimits,
    clock: Clock,
) -> bool:
    """Whether ``chosen`` is report ``report_id``'s secret (False if it has none or is
    gone). A wrong one counts as a wrong code in every scope. Raises CodeLookupRefused
    while any scope is at its limit, before looking, exactly as for a code: a locked-out
    seeker learns nothing."""
    report = session.get(Report, report_id)
    if report is None or not needs_secret(report):
        return False
    now = clock.now()
    scopes = [*scope_hashes(seeker, limits, pepper), report_scope(report, limits, pepper)]
    refuse_when_limited(session, scopes, now)
    if not _matches(report, chosen):
        for scope_hash, _limit in scopes:
            record_lookup(session, scope_hash=scope_hash, at=now, succeeded=False)
        return False
    record_lookup(session, scope_hash=scopes[0][0], at=now, succeeded=True)
    append_audit(
        session, at=now, actor="reporter", action="report.opened_by_code", report_id=report.id
    )
    return True


def secret_kind(session: Session, report_id: int | None) -> str | None:
    """The kind of secret report ``report_id``'s code needs, or None (no report or none)."""
    report = session.get(Report, report_id) if report_id is not None else None
    return report.code_secret_kind if report is not None else None


def keep_code_safe(
    session: Session, *, report_id: int, kind: str, chosen: list[str], clock: Clock
) -> bool:
    """The kiosk's Sent screen: keep the just-sent report's code safe. False if it is gone."""
    report = session.get(Report, report_id)
    if report is None:
        return False
    set_code_secret(session, report=report, kind=kind, chosen=chosen, clock=clock)
    return True
