"""Finding a report again by its follow-up code, with limits that make guessing hopeless.

With 10^11 possible codes, 5 wrong tries per kiosk session or call and a ceiling on wrong
tries everywhere at once, an attacker's chance of hitting a live code stays negligible.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.codes import code_hash, keyed_hash, normalise
from safeguarding.errors import CodeLookupRefused
from safeguarding.policy import LookupLimits
from storage.models import Report
from storage.repositories.audit import append_audit
from storage.repositories.lookups import count_failed_lookups, record_lookup
from storage.repositories.reports import find_report_by_code_hash


def find_report_by_code(
    session: Session,
    *,
    entered: str,
    scope: str,
    pepper: bytes,
    limits: LookupLimits,
    clock: Clock,
) -> Report | None:
    """The report for ``entered``, or None when no report has that code.

    ``scope`` names who is trying (a kiosk session or a call). Raises CodeMalformed for a
    typing mistake (not counted as a guess) and CodeLookupRefused when limits are reached.
    """
    code = normalise(entered)
    now = clock.now()
    scope_hash = keyed_hash(pepper, "lookup-scope", scope)
    if (
        count_failed_lookups(session, since=now - limits.scope_window, scope_hash=scope_hash)
        >= limits.failures_per_scope
        or count_failed_lookups(session, since=now - limits.everywhere_window)
        >= limits.failures_everywhere
    ):
        raise CodeLookupRefused()
    report = find_report_by_code_hash(session, code_hash(pepper, code))
    record_lookup(session, scope_hash=scope_hash, at=now, succeeded=report is not None)
    if report is not None:
        append_audit(
            session, at=now, actor="reporter", action="report.opened_by_code", report_id=report.id
        )
    return report
