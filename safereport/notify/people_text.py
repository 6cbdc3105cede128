"""The words of the emails about people named across reports (issue 14): a cumulative
concern, and another establishment's question. Case numbers and the rule's reason only,
never what a report says or whom it names."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from storage.models import Establishment


def cumulative_text(
    gettext: Any, values: dict[str, str], payload: dict[str, Any]
) -> tuple[str, str]:
    """The subject and the text; ``values`` has the case number, establishment and link."""
    filled = {**values, "reports": payload["reports"], "days": payload["days"]}
    if payload["match"] == "same_person_causing_harm":
        # Translators: email to the safeguarding lead: several reports within a number of
        # days name the same person as causing harm. Never add report content.
        reason = gettext(
            "%(reports)s reports in %(days)s days name the same person as causing harm."
        )
    else:
        # Translators: email to the safeguarding lead: several reports within a number of
        # days are about the same wing and the same kind of harm. Never add report content.
        reason = gettext(
            "%(reports)s reports in %(days)s days are about the same wing and the same kind "
            "of harm."
        )
    # Translators: email subject to the safeguarding lead: concerns add up on a case.
    subject = gettext("Concerns are adding up: case %(case)s at %(establishment)s") % filled
    # Translators: email to the safeguarding lead; %(reason)s is one of the sentences above.
    text = gettext("SafeReport: case %(case)s. %(reason)s Open it: %(link)s") % {
        **filled,
        "reason": reason % filled,
    }
    return subject, text


def cross_site_text(
    session: Session, gettext: Any, payload: dict[str, Any], base_url: str
) -> tuple[str, str]:
    """To a lead at the establishment asked: their own case numbers, and the asker's."""
    asking, theirs = _both_sides(session, payload)
    cases = ", ".join(f"{theirs.code}-{rid}" for rid in payload["their_reports"]) or "-"
    values = {
        "establishment": asking.name,
        "case": f"{asking.code}-{payload['from_report_id']}",
        "cases": cases,
        "link": f"{base_url}/triage/",
    }
    # Translators: email subject to a safeguarding lead: another prison's lead asks about
    # reports at this prison that name the same person as one of theirs.
    subject = gettext("%(establishment)s asks about the same person") % values
    # Translators: email to a safeguarding lead. %(cases)s are case numbers at their own
    # prison; %(case)s is the other prison's case. Never add report content or names.
    template = gettext(
        "SafeReport: the safeguarding lead at %(establishment)s has case %(case)s, which "
        "names the same person as your cases %(cases)s. They can see only how many of your "
        "reports there are. Please contact them if you agree to share. %(link)s"
    )
    return subject, template % values


def cross_site_answer_text(
    session: Session, gettext: Any, payload: dict[str, Any], base_url: str
) -> tuple[str, str]:
    """To the lead who asked: the other establishment's answer, and a link to their case."""
    asking, theirs = _both_sides(session, payload)
    values = {
        "establishment": theirs.name,
        "case": f"{asking.code}-{payload['from_report_id']}",
        "link": f"{base_url}/triage/reports/{payload['from_report_id']}#cross-site",
    }
    # Translators: email subject to a safeguarding lead: the other prison answered their
    # request about the same person.
    subject = gettext("%(establishment)s answered about case %(case)s") % values
    if payload["status"] == "approved":
        # Translators: email to a safeguarding lead. Never add report content or names.
        text = gettext(
            "SafeReport: the safeguarding lead at %(establishment)s agreed to share. Their "
            "case numbers, dates, categories and status are now on your case %(case)s: "
            "%(link)s"
        )
    else:
        # Translators: email to a safeguarding lead. Never add report content or names.
        text = gettext(
            "SafeReport: the safeguarding lead at %(establishment)s did not agree to share "
            "about your case %(case)s. %(link)s"
        )
    return subject, text % values


def _both_sides(session: Session, payload: dict[str, Any]) -> tuple[Establishment, Establishment]:
    """The establishment that asked, and the one asked."""
    asking = session.get(Establishment, payload["from_establishment_id"])
    theirs = session.get(Establishment, payload["their_establishment_id"])
    if asking is None or theirs is None:
        raise LookupError("an establishment of a cross-site request no longer exists")
    return asking, theirs
