"""What the reporter was asked and what they chose, in the words they saw (issue 19.4).

The case page once showed stored ids ("elsewhere", "someone_else") and English "Yes" in an
Arabic column. Each row here is a question and the reporter's own choice, once in the
reader's language and once in the reporter's, with the direction of each. The sentences
are the kiosk's own msgids (kiosk/screens.py), so one translation serves the kiosk and
this page; the phone's keys map to the same choices.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from storage.models import Location, Report
from translations.languages import BY_CODE, has_catalog
from triage.labels import concern_label

# Translators: case page; the kiosk's question "Is anyone in danger right now?".
_DANGER = _l("Is anyone in danger right now?")
# Translators: case page; the kiosk's question "What is happening?".
_WHAT = _l("What is happening?")
# Translators: case page; the kiosk's and phone's question "Is anyone hurt?".
_HURT = _l("Is anyone hurt?")
# Translators: case page; the kiosk's question "Is this about you or someone else?".
_WHO = _l("Is this about you or someone else?")
# Translators: case page; the kiosk's question "Is a member of staff involved?".
_STAFF = _l("Is a member of staff involved?")
# Translators: case page; the kiosk's question "Where did it happen?".
_WHERE = _l("Where did it happen?")
# Translators: case page; the kiosk's question "When did it happen?".
_WHEN = _l("When did it happen?")

_CHOICES: dict[str, dict[str, LazyString]] = {
    "danger": {
        # Translators: case page; the reporter's answer to "Is anyone in danger right now?".
        "yes": _l("Yes. I am in danger now."),
        # Translators: case page; the reporter's answer to "Is anyone in danger right now?".
        "someone_else": _l("Yes. Someone else is in danger now."),
        # Translators: case page; the reporter's answer to "Is anyone in danger right now?".
        "no": _l("No. Not right now."),
    },
    "hurt": {
        # Translators: case page; the reporter's answer to "Is anyone hurt?".
        "yes": _l("Yes. Someone is hurt."),
        # Translators: case page; the reporter's answer to "Is anyone hurt?".
        "no": _l("No. Nobody is hurt."),
    },
    "about": {
        # Translators: case page; the reporter's answer to "Is this about you or someone else?".
        "me": _l("It is about me."),
        # Translators: case page; the reporter's answer to "Is this about you or someone else?".
        "someone_else": _l("It is about someone else."),
    },
    "staff_involved": {
        # Translators: case page; the reporter's answer to "Is a member of staff involved?".
        "yes": _l("Yes."),
        # Translators: case page; the reporter's answer to "Is a member of staff involved?".
        "no": _l("No."),
        # Translators: case page; the reporter's answer to "Is a member of staff involved?".
        "not_sure": _l("I am not sure."),
    },
    "where": {
        # Translators: case page; the reporter's answer to "Where did it happen?".
        "elsewhere": _l("Somewhere else, or I am not sure."),
    },
    "when": {
        # Translators: case page; the reporter's answer to "When did it happen?".
        "today": _l("Today."),
        # Translators: case page; the reporter's answer to "When did it happen?".
        "this_week": _l("This week."),
        # Translators: case page; the reporter's answer to "When did it happen?".
        "longer_ago": _l("Longer ago."),
        # Translators: case page; the reporter's answer to "When did it happen?".
        "keeps_happening": _l("It keeps happening."),
    },
}
_QUESTIONS = {
    "danger": _DANGER,
    "concern": _WHAT,
    "hurt": _HURT,
    "about": _WHO,
    "staff_involved": _STAFF,
    "where": _WHERE,
    "when": _WHEN,
}
_ORDER = tuple(_QUESTIONS)  # the order the kiosk asks in


@dataclass(frozen=True)
class Said:
    """One question and the reporter's choice, in one language."""

    question: str
    answer: str
    language: str
    direction: str  # "ltr" or "rtl"


@dataclass(frozen=True)
class SaidRow:
    question_id: str
    reader: Said
    reporter: Said | None  # None when the reporter's language is the reader's (or has none)


def reporter_answers(report: Report, place: Location | None, reader: str) -> list[SaidRow]:
    """Every question the reporter answered, in the kiosk's order."""
    chosen = sorted(_choices(report, place), key=lambda pair: _ORDER.index(pair[0]))
    show_reporter = report.language != reader and has_catalog(report.language)
    return [
        SaidRow(
            question_id=question,
            reader=_said(question, value, reader),
            reporter=_said(question, value, report.language) if show_reporter else None,
        )
        for question, value in chosen
    ]


def _choices(report: Report, place: Location | None) -> list[tuple[str, str]]:
    """(question, value) pairs; a place's own name is a value of its own (``@name``)."""
    if report.in_danger_now:
        danger = "yes"
    else:
        danger = "someone_else" if report.someone_else_in_danger_now else "no"
    pairs = [("danger", danger), ("hurt", "yes" if report.injured else "no")]
    stored = [(a.question, a.answer) for a in report.answers if a.question in _QUESTIONS]
    pairs += [pair for pair in stored if pair[0] not in ("danger", "hurt")]
    # Reports made before the reporter's own answers were kept: the columns say it.
    if not any(q == "staff_involved" for q, _v in pairs):
        pairs.append(("staff_involved", report.staff_involved))
    if not any(q == "about" for q, _v in pairs):
        pairs.append(("about", "someone_else" if report.about_someone_else else "me"))
    if place is not None and not any(q == "where" for q, _v in pairs):
        pairs.append(("where", "@" + place.name))
    if report.when_happened and not any(q == "when" for q, _v in pairs):
        pairs.append(("when", report.when_happened))
    return pairs


def _said(question: str, value: str, language: str) -> Said:
    with force_locale(language):
        words = str(_QUESTIONS[question])
        if question == "concern":
            answer = concern_label(value)
        elif value.startswith("@"):
            answer = value[1:]  # the establishment's own name for the place
        else:
            found = _CHOICES.get(question, {}).get(value)
            answer = str(found) if found is not None else value
    known = BY_CODE.get(language)
    return Said(words, answer, language, known.direction if known else "ltr")
