"""The caller's phone number: kept only where the establishment chose to, and then sealed.

A number can identify a person in prison (wing PIN phones log who called what), so by
default it is never stored. Where an establishment turns "keep the caller's phone number"
on, the number a report was phoned from is sealed with the report, shown only to staff
who may read that report, and purged with it. It is never written to a log, the audit
log, the outbox or the call's own state.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguarding.phone_numbers import is_phone_number
from storage.crypto import Secrets, Vault
from storage.models import CallSession, Establishment, Report
from storage.sealed_fields import CALLER_NUMBER


def keep_caller_number(
    session: Session, *, call: CallSession, number: str, secrets: Secrets
) -> bool:
    """Seal ``number`` onto the report this call made, if the establishment keeps numbers.

    Only for a call that made a report (not a caller following up with a code), only a
    real number (a withheld one arrives as "anonymous" and is kept as nothing), once.
    Returns whether it was kept now.
    """
    if call.report_id is None or call.mode != "report" or not is_phone_number(number):
        return False
    establishment = session.get(Establishment, call.establishment_id)
    if establishment is None or not establishment.keep_caller_number:
        return False
    report = session.get(Report, call.report_id)
    if report is None or report.caller_number_sealed is not None:
        return False
    CALLER_NUMBER.seal_text(secrets.vault, report, number)
    return True


def caller_number_of(report: Report, vault: Vault) -> str | None:
    """The number, opened, for a reader the door has already checked may read the report."""
    return CALLER_NUMBER.open_text(vault, report)
