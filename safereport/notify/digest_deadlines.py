"""The part of the lead's daily summary that names cases: every open case whose deadline
has passed or falls in the next DIGEST_HORIZON (safeguarding/handover.py), by case number,
priority and time (never what was said), so the lead starting the day knows which cases to
open first; and every referral past its chase date (safeguarding/referrals.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from safeguarding.agencies import AGENCY_LABELS
from safeguarding.evidence import EVIDENCE_LABELS, evidence_due
from safeguarding.handover import DIGEST_HORIZON, cases_due
from safeguarding.referrals import referrals_to_chase
from storage.models import Establishment

MOST_CASES = 50  # the rest are in the queue; an email is not the place for hundreds


def deadline_lines(
    session: Session, gettext: Any, establishment: Establishment, at: datetime
) -> str:
    deadlines = _deadline_lines(session, gettext, establishment, at)
    extra = [
        _chase_lines(session, gettext, establishment, at),
        _evidence_lines(session, gettext, establishment, at),
    ]
    return "\n\n".join([deadlines, *(part for part in extra if part)])


def _evidence_lines(
    session: Session, gettext: Any, establishment: Establishment, at: datetime
) -> str:
    due = evidence_due(session, establishment.id, until=at + DIGEST_HORIZON)
    if not due:
        return ""
    # Translators: daily summary email: heading of the list of evidence (CCTV, photographs
    # of injuries, a forensic examination) not yet secured whose deadline is near or past.
    heading = str(gettext("Evidence to secure, due in the next 24 hours or overdue:"))
    lines = []
    for item in due[:MOST_CASES]:
        values = {
            "case": f"{establishment.code}-{item.report_id}",
            "evidence": gettext(EVIDENCE_LABELS.get(item.kind, item.kind)),
            "due": item.due_at.strftime("%d %b %Y %H:%M UTC"),
        }
        # Translators: one line of the daily summary: %(evidence)s is what to secure (for
        # example CCTV and body-worn video), %(due)s the date and time to secure it by.
        lines.append(gettext("%(case)s: %(evidence)s, by %(due)s") % values)
    return _capped_list(gettext, heading, lines, total=len(due))


def _chase_lines(session: Session, gettext: Any, establishment: Establishment, at: datetime) -> str:
    late = referrals_to_chase(session, establishment.id, at.date())
    if not late:
        return ""
    # Translators: daily summary email: heading of the list of referrals to other agencies
    # that have had no answer by the date set to chase them.
    heading = str(gettext("Referrals with no answer by their chase date:"))
    lines = []
    for chase in late[:MOST_CASES]:
        values = {
            "case": f"{establishment.code}-{chase.report_id}",
            "agency": gettext(AGENCY_LABELS.get(chase.agency, chase.agency)),
            "date": chase.chase_on.strftime("%d %b %Y"),
        }
        # Translators: one line of the daily summary: a referral to chase; %(agency)s is
        # who it went to, %(date)s the date to chase them by.
        lines.append(gettext("%(case)s: %(agency)s, chase since %(date)s") % values)
    return _capped_list(gettext, heading, lines, total=len(late))


def _capped_list(gettext: Any, heading: str, lines: list[str], *, total: int) -> str:
    """A heading, the first MOST_CASES lines, and how many more are left to the queue."""
    if total > MOST_CASES:
        # Translators: last line of the list in the daily summary; the rest are on the cases.
        lines = [
            *lines,
            gettext("and %(more)s more: see the queue.") % {"more": total - MOST_CASES},
        ]
    return "\n".join([heading, *lines])


def _deadline_lines(
    session: Session, gettext: Any, establishment: Establishment, at: datetime
) -> str:
    due = cases_due(session, establishment.id, until=at + DIGEST_HORIZON)
    if not due:
        # Translators: daily summary email to the safeguarding lead.
        return str(gettext("No deadline has passed or falls due in the next 24 hours."))
    # Translators: daily summary email: heading of the list of cases by their deadline.
    lines = [str(gettext("Deadlines passed or due in the next 24 hours:"))]
    for report, deadline in due[:MOST_CASES]:
        values = {
            "case": f"{establishment.code}-{report.id}",
            "priority": report.priority,
            "due": deadline.strftime("%d %b %Y %H:%M UTC"),
        }
        if deadline < at:
            # Translators: one line of the daily summary; %(priority)s is immediate, high
            # or standard; %(due)s a date and time.
            lines.append(gettext("%(case)s (%(priority)s): overdue since %(due)s") % values)
        else:
            # Translators: one line of the daily summary; %(due)s is a date and time.
            lines.append(gettext("%(case)s (%(priority)s): due by %(due)s") % values)
    if len(due) > MOST_CASES:
        more = {"more": len(due) - MOST_CASES}
        # Translators: last line of the list in the daily summary; the rest are in the queue.
        lines.append(gettext("and %(more)s more: see the queue.") % more)
    return "\n".join(lines)
