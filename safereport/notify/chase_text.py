"""The words of a referral chase reminder (safeguarding/referral_reminders.py): case number,
agency and date, never what was reported."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from safeguarding.agencies import AGENCY_LABELS
from storage.models import ExternalReferral


def chase_reminder(
    session: Session, gettext: Any, values: dict[str, str], referral_id: int
) -> tuple[str, str]:
    """The subject and the text of the reminder."""
    referral = session.get(ExternalReferral, referral_id)
    if referral is None or referral.chase_on is None:
        raise LookupError(f"referral {referral_id} has nothing to chase")
    filled = {
        **values,
        "agency": gettext(AGENCY_LABELS.get(referral.agency, referral.agency)),
        "date": referral.chase_on.strftime("%d %b %Y"),
    }
    # Translators: email subject to staff: a referral to another agency has had no answer.
    subject = gettext("Chase the referral on case %(case)s at %(establishment)s") % filled
    # Translators: email to staff: %(agency)s is who the referral went to, %(date)s the date
    # set to chase them by. Never add report content.
    text = gettext(
        "SafeReport: the referral to %(agency)s on case %(case)s has had no answer by "
        "%(date)s. Chase them, then record their answer on the case: %(link)s"
    )
    return subject, text % filled
