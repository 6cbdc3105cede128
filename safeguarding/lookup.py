"""Finding a report again by its follow-up code, with limits that make guessing hopeless.

Wrong codes are counted in several scopes at once: the kiosk session or call, the kiosk
device, the caller's number (when known), the phone line, and the whole establishment.
Each scope has its own limit in the policy, and the counts live in the database, so a new
session or a new call starts with the device's, line's and establishment's counts as they
are. The ceiling is per establishment: a flood of guesses at one prison never stops a
genuine lookup at another. A burst of wrong codes emails the establishment's lead.

A typing mistake (the check digit does not fit) raises CodeMalformed and is not counted:
a genuine person who mistypes their code is never locked out by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from safeguarding.alerts import NOTIFY_EMAIL, on_call_chain
from safeguarding.clock import Clock
from safeguarding.codes import code_hash, keyed_hash, normalise
from safeguarding.errors import CodeLookupRefused
from safeguarding.phone_numbers import is_phone_number
from safeguarding.policy import Limit, LookupLimits
from storage.models import Report
from storage.repositories.audit import append_audit
from storage.repositories.lookups import (
    count_failed_lookups,
    forget_lookups_before,
    record_lookup,
)
from storage.repositories.outbox import enqueue_once
from storage.repositories.reports import find_report_by_code_hash

LOOKUP_BURST_TEMPLATE = "lookup_burst"


@dataclass(frozen=True)
class Seeker:
    """Who is trying a code, as the door knows it. Each part is a scope counted apart."""

    establishment_id: int
    session: str  # the kiosk session or the call, unique across doors ("call:<sid>")
    kiosk_device_id: int | None = None
    phone_line_id: int | None = None
    caller_number: str | None = None  # as the phone network sent it; withheld is ignored


def find_report_by_code(
    session: Session,
    *,
    entered: str,
    seeker: Seeker,
    pepper: bytes,
    limits: LookupLimits,
    clock: Clock,
) -> Report | None:
    """The report for ``entered``, or None when no report has that code. A report whose
    code is kept safe (``report.code_secret_hash``) is returned unopened: the door must
    then ask for its secret (safeguarding.code_secrets.open_report_with_secret).

    Raises CodeMalformed for a typing mistake (not counted as a guess) and
    CodeLookupRefused while any of the seeker's scopes has reached its limit.
    """
    code = normalise(entered)
    now = clock.now()
    scopes = scope_hashes(seeker, limits, pepper)
    refuse_when_limited(session, scopes, now)
    forget_lookups_before(session, now - limits.longest_window)
    report = find_report_by_code_hash(session, code_hash(pepper, code))
    if report is None or report.code_secret_hash is not None:
        # A code kept safe with pictures or a PIN counts as a try until its secret is
        # given (safeguarding.code_secrets): the secret cannot be guessed for free.
        extra = [report_scope(report, limits, pepper)] if report is not None else []
        for scope_hash, _limit in [*scopes, *extra]:
            record_lookup(session, scope_hash=scope_hash, at=now, succeeded=False)
        _alert_lead_on_burst(session, seeker.establishment_id, scopes[-1][0], limits, now)
        return report
    record_lookup(session, scope_hash=scopes[0][0], at=now, succeeded=True)
    append_audit(
        session, at=now, actor="reporter", action="report.opened_by_code", report_id=report.id
    )
    return report


def scope_hashes(seeker: Seeker, limits: LookupLimits, pepper: bytes) -> list[tuple[str, Limit]]:
    """The seeker's scopes as they are counted: keyed hashes, the session first."""
    return [
        (keyed_hash(pepper, "lookup-scope", key), limit) for key, limit in _scopes(seeker, limits)
    ]


def report_scope(report: Report, limits: LookupLimits, pepper: bytes) -> tuple[str, Limit]:
    """One report's own scope: tries at its secret, from anywhere, at the session limit."""
    return keyed_hash(pepper, "lookup-scope", f"report:{report.id}"), limits.per_session


def refuse_when_limited(session: Session, scopes: list[tuple[str, Limit]], now: datetime) -> None:
    """Raise CodeLookupRefused when any scope has reached its limit."""
    for scope_hash, limit in scopes:
        if count_failed_lookups(session, since=now - limit.window, scope_hash=scope_hash) >= (
            limit.failures
        ):
            raise CodeLookupRefused()


def _scopes(seeker: Seeker, limits: LookupLimits) -> list[tuple[str, Limit]]:
    """The scopes to count in: the session first, the establishment last."""
    establishment = seeker.establishment_id
    scopes = [(f"session:{seeker.session}", limits.per_session)]
    if seeker.kiosk_device_id is not None:
        scopes.append((f"kiosk-device:{seeker.kiosk_device_id}", limits.per_kiosk))
    if seeker.caller_number and is_phone_number(seeker.caller_number):
        # The person, wherever they call: not tied to one establishment's line.
        scopes.append((f"caller:{seeker.caller_number}", limits.per_caller))
    if seeker.phone_line_id is not None:
        scopes.append((f"phone-line:{seeker.phone_line_id}", limits.per_phone_line))
    scopes.append((f"establishment:{establishment}", limits.per_establishment))
    return scopes


def _alert_lead_on_burst(
    session: Session, establishment_id: int, scope_hash: str, limits: LookupLimits, now: datetime
) -> None:
    """Email the establishment's leads once per alert window when wrong codes pile up."""
    alert = limits.alert_lead
    failures = count_failed_lookups(session, since=now - alert.window, scope_hash=scope_hash)
    if failures < alert.failures:
        return
    # One message per lead per window-long period: a long flood alerts again later.
    period = int(now.timestamp() // alert.window.total_seconds())
    for contact in on_call_chain(session, establishment_id):
        if contact.role != "lead" or not contact.email:
            continue
        enqueue_once(
            session,
            kind=NOTIFY_EMAIL,
            dedupe_key=f"lookup-burst:{establishment_id}:{period}:{contact.id}",
            payload={
                "template": LOOKUP_BURST_TEMPLATE,
                "establishment_id": establishment_id,
                "contact_id": contact.id,
                "failures": failures,
                "window_minutes": int(alert.window.total_seconds() // 60),
            },
            at=now,
        )
