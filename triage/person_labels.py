"""Words for the people a report names (safeguarding.people), in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from safeguarding import timeline_facts as facts
from translations.i18n import _

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


def person_fact_text(fact: facts.Fact) -> str:
    """Who was named or taken off (never the name: that stays in the People panel), and the
    move to the independent reviewer that naming a lead or governor makes."""
    if fact.name == facts.QUEUE_INDEPENDENT:
        # Translators: case timeline: the report moved away from the lead and governors.
        return _(
            "Moved to the independent reviewer: this report names a safeguarding lead or governor"
        )
    who = person_label("kind", fact.text("kind"))
    role = fact.text("role")
    if fact.name == facts.PERSON_ADDED and role == "at_risk":
        # Translators: case timeline: someone at risk was named, e.g. "…: A prisoner."
        return _("The report now names someone at risk: %(who)s.", who=who)
    if fact.name == facts.PERSON_ADDED and role == "causing_harm":
        # Translators: case timeline: someone causing harm was named, e.g. "…: A prisoner."
        return _("The report now names someone causing the harm: %(who)s.", who=who)
    if fact.name == facts.PERSON_ADDED:
        # Translators: case timeline: the person who reported is now named on the report.
        return _("The report now names who reported it: %(who)s.", who=who)
    if role == "at_risk":
        # Translators: case timeline: a person at risk was taken off the report.
        return _(
            "Taken off the report as at risk: %(who)s. The entry is kept for the record.", who=who
        )
    if role == "causing_harm":
        # Translators: case timeline: a person causing harm was taken off the report.
        return _(
            "Taken off the report as causing the harm: %(who)s. The entry is kept for the record.",
            who=who,
        )
    # Translators: case timeline: the person named as the reporter was taken off the report.
    return _(
        "Taken off the report as who reported it: %(who)s. The entry is kept for the record.",
        who=who,
    )
