"""The case timeline's words for a cumulative concern (safeguarding.cumulative)."""

from __future__ import annotations

from safeguarding import timeline_facts as facts
from translations.i18n import _
from triage.labels import label


def cumulative_concern_text(fact: facts.Fact) -> str:
    """The case timeline's words for a cumulative concern (safeguarding.cumulative)."""
    values = {
        "reports": fact.number("reports"),
        "days": fact.number("days"),
        "priority": label("priority", fact.text("priority")),
    }
    if fact.text("match") == "same_person_causing_harm":
        # Translators: case timeline: a policy rule fired. %(priority)s is e.g. "High".
        return _(
            "%(reports)d reports in %(days)d days name the same person as causing harm. "
            "Priority: %(priority)s.",
            **values,
        )
    # Translators: case timeline: a policy rule fired. %(priority)s is e.g. "High".
    return _(
        "%(reports)d reports in %(days)d days are about the same wing and the same kind of "
        "harm. Priority: %(priority)s.",
        **values,
    )
