"""Words for the people a report names (safeguarding.people), in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PERSON_ROLE_LABELS = {
    # Translators: on a case, what a person named in the report is: the one at risk.
    "at_risk": _l("At risk"),
    # Translators: on a case, what a person named in the report is: the one causing the harm.
    "causing_harm": _l("Causing the harm"),
    # Translators: on a case, what a person named in the report is: the one who reported.
    "reporter": _l("Reported it"),
}
PERSON_KIND_LABELS = {
    # Translators: who a person named in a report is: the person who reported it.
    "self": _l("The person who reported"),
    # Translators: who a person named in a report is.
    "prisoner": _l("A prisoner"),
    # Translators: who a person named in a report is.
    "staff": _l("A member of staff"),
    # Translators: who a person named in a report is: a visitor, family, someone outside.
    "outside": _l("Someone outside the prison"),
    # Translators: who a person named in a report is: the reporter did not know.
    "not_known": _l("Not known"),
    # Translators: who a person named in a report is: the reporter did not want to say.
    "not_saying": _l("They did not want to say"),
}
IDENTIFIER_KIND_LABELS = {
    # Translators: what identifies a person named in a report.
    "name": _l("Name"),
    # Translators: what identifies a person named in a report (like A1234BC).
    "prison_number": _l("Prison number"),
    # Translators: what identifies a person named in a report.
    "staff_number": _l("Staff number"),
    # Translators: what identifies a person named in a report: words describing them.
    "description": _l("Description"),
}


def person_label(kind: str, value: str) -> str:
    table = {"role": PERSON_ROLE_LABELS, "kind": PERSON_KIND_LABELS}.get(
        kind, IDENTIFIER_KIND_LABELS
    )
    found = table.get(value)
    return str(found) if found is not None else value
