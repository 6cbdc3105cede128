"""Words the staff pages show for the core's ids, translated in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import get_month_names
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from safeguarding.actions import OUTCOME_LABELS, STATUS_LABELS, THRESHOLD_LABELS
from safeguarding.agencies import AGENCY_LABELS, RESPONSE_LABELS
from safeguarding.capacity import LACKS_LABELS, SUPPORT_LABELS
from safeguarding.case_tasks import FINISH_LABELS, TASK_LABELS
from safeguarding.catalogue import CONCERNS_BY_ID
from safeguarding.checkin_answers import SAFE_NOW
from safeguarding.checkins import OUTCOME_LABELS as CHECKIN_OUTCOME_LABELS
from safeguarding.checkins import REPORTER_ONLY_OUTCOMES
from safeguarding.evidence import EVIDENCE_LABELS
from safeguarding.evidence import OUTCOME_LABELS as EVIDENCE_OUTCOME_LABELS
from safeguarding.messages import STANDARD_MESSAGES_BY_ID
from safeguarding.personal_outcomes import ACHIEVED_LABELS, ASKED_LABELS, RISK_LABELS
from safeguarding.statutory import (
    CONSENT_LABELS,
    FIRST_RESPONDER_LABELS,
    ROUTE_LABELS,
    SHARING_BASIS_LABELS,
)
from translations.i18n import _, current_language_code
from translations.languages import BY_CODE

# Prisons in England and Wales keep UK time; the database keeps UTC.
LOCAL_TIME = ZoneInfo("Europe/London")

CATEGORY_LABELS = {
    # Translators: safeguarding category (Care Act 2014 abuse type), shown to staff.
    "physical": _l("Physical abuse"),
    # Translators: safeguarding category, shown to staff.
    "domestic": _l("Domestic abuse"),
    # Translators: safeguarding category, shown to staff.
    "sexual": _l("Sexual abuse"),
    # Translators: safeguarding category, shown to staff.
    "psychological": _l("Psychological or emotional abuse"),
    # Translators: safeguarding category, shown to staff.
    "financial": _l("Financial or material abuse"),
    # Translators: safeguarding category, shown to staff.
    "modern_slavery": _l("Modern slavery"),
    # Translators: safeguarding category, shown to staff.
    "discriminatory": _l("Discriminatory abuse"),
    # Translators: safeguarding category, shown to staff.
    "organisational": _l("Organisational abuse"),
    # Translators: safeguarding category, shown to staff.
    "neglect": _l("Neglect and acts of omission"),
    # Translators: safeguarding category, shown to staff.
    "self_neglect": _l("Self-neglect"),
    # Translators: safeguarding category in prisons, shown to staff.
    "bullying_debt": _l("Bullying and debt"),
    # Translators: safeguarding category in prisons, shown to staff.
    "exploitation_grooming": _l("Exploitation and grooming"),
    # Translators: safeguarding category in prisons, shown to staff.
    "threats_violence": _l("Threats and violence"),
    # Translators: safeguarding category in prisons, shown to staff.
    "self_harm": _l("Self-harm or suicide risk"),
    # Translators: safeguarding category in prisons, shown to staff.
    "staff_misconduct": _l("Staff misconduct"),
    # Translators: safeguarding category, shown to staff.
    "other": _l("Other"),
}
PRIORITY_LABELS = {
    # Translators: report priority in the staff queue: act at once, day or night.
    "immediate": _l("Immediate"),
    # Translators: report priority in the staff queue.
    "high": _l("High"),
    # Translators: report priority in the staff queue.
    "standard": _l("Standard"),
}
PRIORITY_TAG_CLASSES = {
    "immediate": "govuk-tag--red",
    "high": "govuk-tag--orange",
    "standard": "govuk-tag--grey",
}
CHANNEL_LABELS = {
    # Translators: how a report was made: at a touch-screen kiosk on the wing.
    "kiosk": _l("Kiosk"),
    # Translators: how a report was made: on the safeguarding phone line.
    "phone": _l("Phone line"),
    # Translators: how a report was made: told to a member of staff in person.
    "in_person": _l("Told to staff in person"),
    # Translators: how a report was made: on a paper form.
    "paper": _l("Paper form"),
}
QUEUE_LABELS = {
    # Translators: the normal queue of reports.
    "general": _l("General"),
    # Translators: the queue for reports where staff are said to be involved.
    "restricted": _l("Restricted: staff involved"),
    # Translators: the queue for reports that name the safeguarding lead or a governor; only
    # an independent reviewer from outside the prison reads it.
    "independent": _l("Independent: names the lead or a governor"),
}
ROLE_LABELS = {
    # Translators: a staff role: the safeguarding lead.
    "lead": _l("Safeguarding lead"),
    # Translators: a staff role: a deputy to the safeguarding lead.
    "deputy": _l("Deputy"),
    # Translators: a staff role: the governor or duty governor.
    "governor": _l("Governor"),
    # Translators: a staff role: someone who checks the quality of the work.
    "auditor": _l("Auditor"),
    # Translators: a staff role: manages accounts and devices, cannot read reports.
    "admin": _l("Administrator"),
    # Translators: a staff role: someone independent of the prison who reads only reports that
    # name the safeguarding lead or a governor.
    "reviewer": _l("Independent reviewer"),
}
ON_CALL_ROLE_LABELS = {
    # Translators: an on-call role: the safeguarding lead on call.
    "lead": _l("Safeguarding lead"),
    # Translators: an on-call role: a deputy to the safeguarding lead.
    "deputy": _l("Deputy"),
    # Translators: an on-call role: the duty governor.
    "duty_governor": _l("Duty governor"),
    # Translators: an on-call role: the independent reviewer, alerted about reports that name
    # the safeguarding lead or a governor.
    "independent_reviewer": _l("Independent reviewer"),
}
STAFF_INVOLVED_LABELS = {
    # Translators: answer to "is a member of staff involved?".
    "yes": _l("Yes"),
    # Translators: answer to "is a member of staff involved?".
    "no": _l("No"),
    # Translators: answer to "is a member of staff involved?".
    "not_sure": _l("Not sure"),
}
WHEN_LABELS = {
    # Translators: when the thing reported happened.
    "today": _l("Today"),
    # Translators: when the thing reported happened.
    "this_week": _l("This week"),
    # Translators: when the thing reported happened.
    "longer_ago": _l("Longer ago"),
    # Translators: when the thing reported happened: it happens again and again.
    "keeps_happening": _l("It keeps happening"),
}

_CORE_LABELS = {
    "status": STATUS_LABELS,
    "agency": AGENCY_LABELS,
    "referral_response": RESPONSE_LABELS,
    "threshold": THRESHOLD_LABELS,
    "outcome": OUTCOME_LABELS,
    "consent": CONSENT_LABELS,
    "sharing_basis": SHARING_BASIS_LABELS,
    "dtn_route": ROUTE_LABELS,
    "first_responder": FIRST_RESPONDER_LABELS,
    "evidence": EVIDENCE_LABELS,
    "evidence_outcome": EVIDENCE_OUTCOME_LABELS,
    # What staff found, or what the reporter said ("Are you safe now?", issue 15.5).
    "checkin_outcome": CHECKIN_OUTCOME_LABELS | REPORTER_ONLY_OUTCOMES,
    "safe_now": SAFE_NOW,
    "task": TASK_LABELS,
    "task_outcome": FINISH_LABELS,
    "capacity": LACKS_LABELS,
    "capacity_support": SUPPORT_LABELS,
    "outcomes_asked": ASKED_LABELS,
    "outcomes_achieved": ACHIEVED_LABELS,
    "risk_outcome": RISK_LABELS,
}
_LAZY_LABELS = {
    "category": CATEGORY_LABELS,
    "priority": PRIORITY_LABELS,
    "channel": CHANNEL_LABELS,
    "queue": QUEUE_LABELS,
    "role": ROLE_LABELS,
    "on_call_role": ON_CALL_ROLE_LABELS,
    "staff_involved": STAFF_INVOLVED_LABELS,
    "when": WHEN_LABELS,
}


# Translated labels by (language, kind, id). Catalogs never change while a process runs,
# so a label is translated once per language: the queue page shows about five per row, and
# each went through Flask-Babel's lookup of the catalog (issue 18: the queue page at
# 100,000 reports against 10 is mostly its 50 rows against 10).
_TRANSLATED: dict[tuple[str, str, str], str] = {}


def label(kind: str, value: str) -> str:
    """The reader's-language word for one of the core's ids (the id itself if unknown)."""
    core = _CORE_LABELS.get(kind)
    lazy = _LAZY_LABELS.get(kind, {})
    if value not in (core if core is not None else lazy):
        return value  # never cached: only the core's ids are, so the cache stays small
    key = (current_language_code(), kind, value)
    found = _TRANSLATED.get(key)
    if found is None:
        found = _(core[value]) if core is not None else str(lazy[value])
        _TRANSLATED[key] = found
    return found


def concern_label(concern_id: str) -> str:
    concern = CONCERNS_BY_ID.get(concern_id)
    return _(concern.label) if concern else concern_id


def message_text(message_id: str) -> str:
    message = STANDARD_MESSAGES_BY_ID.get(message_id)
    return _(message.text) if message else message_id


def in_language(language: str, text_id: str, kind: str) -> str:
    """The same words in another language (the reporter's), for side-by-side reading."""
    with force_locale(language):
        if kind == "concern":
            return concern_label(text_id)
        if kind == "message":
            return message_text(text_id)
        return label(kind, text_id)


def language_name(code: str) -> str:
    language = BY_CODE.get(code)
    if language is None:
        return code
    if language.native_name == language.english_name:
        return language.native_name
    return f"{language.native_name} ({language.english_name})"


def local_time(value: datetime | None) -> str:
    """ "4 Dec 2026, 14:05" in UK time: Babel's "d MMM yyyy, HH:mm" in the reader's language,
    made from its month names directly (Babel formatting each time was about a fifth of the
    queue page's cost per row)."""
    if value is None:
        return ""
    if value.tzinfo is None:  # as Babel reads it: a time without a zone is UTC
        value = value.replace(tzinfo=UTC)
    here = value.astimezone(LOCAL_TIME)
    month = _month_abbreviations(current_language_code() or "en")[here.month]
    return f"{here.day} {month} {here.year}, {here:%H:%M}"


@cache
def _month_abbreviations(locale: str) -> Mapping[int, str]:
    return get_month_names("abbreviated", context="format", locale=locale)


def template_helpers() -> dict[str, object]:
    return {
        "label": label,
        "concern_label": concern_label,
        "message_text": message_text,
        "in_language": in_language,
        "language_name": language_name,
        "local_time": local_time,
        "priority_tag": PRIORITY_TAG_CLASSES,
    }
