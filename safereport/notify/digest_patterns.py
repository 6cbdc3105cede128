"""The patterns section of the lead's daily summary (issue 14): each wing and category with
two or more reports in the last 14 days (safeguarding/patterns.py), by wing, category and
count only, never a case or what was said. Restricted reports are counted only when the
recipient's role may see the restricted queue (the digest goes to leads, who may)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from safeguarding.i18n import N_
from safeguarding.patterns import DIGEST_DAYS, DIGEST_MIN_COUNT, digest_patterns, queues_of_role
from storage.models import OnCallContact

# The English of triage.labels.CATEGORY_LABELS (same msgids, so one translation serves
# both): the worker translates without Flask, so it cannot use the lazy labels.
CATEGORY_WORDS = {
    # Translators: safeguarding category (Care Act 2014 abuse type), shown to staff.
    "physical": N_("Physical abuse"),
    # Translators: safeguarding category, shown to staff.
    "domestic": N_("Domestic abuse"),
    # Translators: safeguarding category, shown to staff.
    "sexual": N_("Sexual abuse"),
    # Translators: safeguarding category, shown to staff.
    "psychological": N_("Psychological or emotional abuse"),
    # Translators: safeguarding category, shown to staff.
    "financial": N_("Financial or material abuse"),
    # Translators: safeguarding category, shown to staff.
    "modern_slavery": N_("Modern slavery"),
    # Translators: safeguarding category, shown to staff.
    "discriminatory": N_("Discriminatory abuse"),
    # Translators: safeguarding category, shown to staff.
    "organisational": N_("Organisational abuse"),
    # Translators: safeguarding category, shown to staff.
    "neglect": N_("Neglect and acts of omission"),
    # Translators: safeguarding category, shown to staff.
    "self_neglect": N_("Self-neglect"),
    # Translators: safeguarding category in prisons, shown to staff.
    "bullying_debt": N_("Bullying and debt"),
    # Translators: safeguarding category in prisons, shown to staff.
    "exploitation_grooming": N_("Exploitation and grooming"),
    # Translators: safeguarding category in prisons, shown to staff.
    "threats_violence": N_("Threats and violence"),
    # Translators: safeguarding category in prisons, shown to staff.
    "self_harm": N_("Self-harm or suicide risk"),
    # Translators: safeguarding category in prisons, shown to staff.
    "staff_misconduct": N_("Staff misconduct"),
    # Translators: safeguarding category, shown to staff.
    "other": N_("Other"),
}


def pattern_lines(
    session: Session, gettext: Any, establishment_id: int, contact_id: int, at: datetime
) -> str:
    """The section's heading and lines, or a line saying there is no such pattern."""
    contact = session.get(OnCallContact, contact_id)
    queues = queues_of_role(contact.role) if contact is not None else ()
    found, total = digest_patterns(
        session, establishment_id=establishment_id, queues=queues, now=at
    )
    values = {"days": DIGEST_DAYS, "least": DIGEST_MIN_COUNT}
    if not found:
        # Translators: daily summary email to the safeguarding lead; %(least)s is a number
        # of reports (2), %(days)s a number of days (14).
        return str(gettext(
            "Patterns: no wing had %(least)s or more reports in one category in the last "
            "%(days)s days."
        )) % values  # fmt: skip
    # Translators: daily summary email: heading of the list of wings and categories with
    # several reports; %(least)s is a number of reports (2), %(days)s a number of days (14).
    heading = str(gettext(
        "Patterns: wings with %(least)s or more reports in one category in the last %(days)s days:"
    )) % values  # fmt: skip
    lines = [heading, *(_line(gettext, p.location_name, p.category, p.count) for p in found)]
    if total > len(found):
        # Translators: last line of the patterns list in the daily summary.
        more = gettext("and %(more)s more: see the patterns page.")
        lines.append(more % {"more": total - len(found)})
    return "\n".join(lines)


def _line(gettext: Any, place: str | None, category: str, count: int) -> str:
    # Translators: daily summary email, reports where no wing or place was given.
    where = place if place is not None else gettext("Not known")
    words = CATEGORY_WORDS.get(category)
    # Translators: one line of the patterns in the daily summary: a wing, a safeguarding
    # category and a number of reports, e.g. "B Wing, Bullying and debt: 3 reports".
    line = gettext("%(place)s, %(category)s: %(count)s reports")
    return str(line) % {
        "place": where,
        "category": gettext(words) if words else category,
        "count": count,
    }
