"""Referrals as tracked work (issue 15.3): a referral made is kept with who sent it, when,
the agency's reference and a chase date; the agency's answer closes it; a referral with no
answer by its chase date shows on the case and in the queue until someone follows it up."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.wishes import record_wishes
from storage.models import AuditEvent, ExternalReferral, Report, StaffUser
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, queue_rows, signed_in_client
from tests.triage.test_case import act, case_page, timeline

POLICE = {
    "referral_agency": "police",
    "referral_decision": "met",
    "referral_reason": "An assault on the wing: the person wants it reported.",
}


NOT_IN_THE_FUTURE = "Enter the date they answered, like 2026-11-28: not in the future."


def referrals(services: Services, report_id: int) -> list[ExternalReferral]:
    with services.db.transaction() as session:
        found = session.scalars(
            select(ExternalReferral).where(ExternalReferral.report_id == report_id)
        ).all()
        session.expunge_all()
        return list(found)


def referrals_shown(client: FlaskClient, report_id: int) -> list[dict[str, str]]:
    return case_page(client, report_id).table("referrals-table")


def queue_tags(client: FlaskClient, report_id: int) -> str:
    """The Due column of one report's row in the queue: its deadline and its red tags."""
    [row] = [r for r in queue_rows(client) if r["Report"].startswith(f"Report {report_id}")]
    return row["Due"]


def test_a_referral_made_is_kept_with_who_when_reference_and_a_chase_date(
    lead_client: FlaskClient, services: Services, establishment: int, lead: StaffLogin
) -> None:
    with services.db.transaction() as session:
        lead_name = session.get(StaffUser, lead.id).display_name  # type: ignore[union-attr]
    receipt = submit(services, establishment, concerns=["hurting_me"])
    code, _ = act(
        lead_client, receipt.report_id, "referral", **POLICE,
        referral_sent_on="2026-11-27", referral_reference="CR/1234/26",
    )  # fmt: skip
    assert code == 302
    [kept] = referrals(services, receipt.report_id)
    assert (kept.agency, kept.reference, kept.sent_on.isoformat()) == (
        "police",
        "CR/1234/26",
        "2026-11-27",
    )
    assert kept.chase_on is not None and kept.chase_on.isoformat() == "2026-12-04"  # a week on
    assert referrals_shown(lead_client, receipt.report_id) == [
        {
            "Agency": "Police",
            "Sent": f"2026-11-27 by {lead_name}",
            "Reference": "CR/1234/26",
            "Consent": "Not asked",
            "Answer": "Chase by 2026-12-04",
        }
    ]
    entries = timeline(case_page(lead_client, receipt.report_id))
    assert any(
        "Referral sent" in e and "Chase them by 2026-12-04 if there is no answer." in e
        for e in entries
    )
    with services.db.transaction() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.report_id == receipt.report_id)
        ).all()
    assert "report.referral_recorded" in actions and "report.referral_sent" in actions


def test_a_threshold_not_met_makes_no_referral_to_chase(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["hurting_me"])
    code, _ = act(
        lead_client, receipt.report_id, "referral", **{**POLICE, "referral_decision": "not_met"}
    )
    assert code == 302
    assert referrals(services, receipt.report_id) == []
    assert not case_page(lead_client, receipt.report_id).has_id("referrals")


def test_a_referral_with_no_answer_by_its_chase_date_shows_until_it_is_followed_up(
    app: Flask, lead: StaffLogin, services: Services, establishment: int, clock: FixedClock
) -> None:
    lead_client = signed_in_client(app, services, lead, clock)
    receipt = submit(services, establishment, concerns=["hurting_me"])
    act(lead_client, receipt.report_id, "referral", **POLICE, referral_chase_on="2026-11-30")
    assert "Referral chase overdue" not in queue_tags(lead_client, receipt.report_id)
    clock.advance(timedelta(days=3))  # 2026-12-01: the chase date has passed
    lead_client = signed_in_client(app, services, lead, clock)  # a new day, a new sign-in
    assert "Referral chase overdue" in queue_tags(lead_client, receipt.report_id)
    [shown] = referrals_shown(lead_client, receipt.report_id)
    assert shown["Answer"] == "Chase overdue Chase by 2026-11-30"
    [kept] = referrals(services, receipt.report_id)

    # Chased: no answer yet, so a new date; the referral is no longer overdue.
    code, page = act(
        lead_client, receipt.report_id, "referral_response",
        referral_id=str(kept.id), referral_response="none_yet",
    )  # fmt: skip
    assert code == 400
    assert page.field_error("referral_chase_again_on") == (
        "Enter a date in the future to chase them again."
    )
    code, _ = act(
        lead_client, receipt.report_id, "referral_response",
        referral_id=str(kept.id), referral_response="none_yet",
        referral_chase_again_on="2026-12-05",
    )  # fmt: skip
    assert code == 302
    assert "Referral chase overdue" not in queue_tags(lead_client, receipt.report_id)

    # Their answer closes it: nothing left to chase, even once the date has passed.
    code, _ = act(
        lead_client, receipt.report_id, "referral_response",
        referral_id=str(kept.id), referral_response="accepted",
        referral_response_on="2026-12-01", referral_note="Officer in charge: DC Rowe.",
    )  # fmt: skip
    assert code == 302
    clock.advance(timedelta(days=10))
    lead_client = signed_in_client(app, services, lead, clock)
    assert "Referral chase overdue" not in queue_tags(lead_client, receipt.report_id)
    [shown] = referrals_shown(lead_client, receipt.report_id)
    assert shown["Answer"] == "Accepted: they are acting on it (2026-12-01)"
    assert any(
        "Police answered: Accepted: they are acting on it" in e and "DC Rowe" in e
        for e in timeline(case_page(lead_client, receipt.report_id))
    )


def test_an_nrm_referral_waits_for_its_conclusive_grounds_decision(
    app: Flask, lead: StaffLogin, services: Services, establishment: int, clock: FixedClock
) -> None:
    lead_client = signed_in_client(app, services, lead, clock)
    receipt = submit(services, establishment, concerns=["made_to_work"])
    # Modern slavery: the NRM referral is recorded once, with the duty to notify decision,
    # and tracked from there (safeguarding.nrm_referral).
    nrm = {
        "dtn_route": "nrm", "dtn_consent": "given", "dtn_referred_by": "Lena Lead",
        "dtn_referred_on": "2026-11-28", "dtn_reference": "NRM-2026/0042",
        "dtn_reason": "Forced to work off a debt; he agreed with his advocate present.",
    }  # fmt: skip
    code, page = act(
        lead_client, receipt.report_id, "duty_to_notify", **nrm, dtn_first_responder="the_pope"
    )
    assert code == 400 and list(page.problems()) == ["dtn_first_responder"]
    assert referrals(services, receipt.report_id) == []
    act(
        lead_client, receipt.report_id, "duty_to_notify",
        **nrm, dtn_first_responder="salvation_army",
    )  # fmt: skip
    [kept] = referrals(services, receipt.report_id)
    assert kept.chase_on is not None and kept.chase_on.isoformat() == "2026-12-05"
    assert kept.first_responder == "salvation_army"
    [shown] = referrals_shown(lead_client, receipt.report_id)
    assert (
        shown["Agency"] == "National Referral Mechanism (NRM) referral Through The Salvation Army"
    )
    answer = {"referral_id": str(kept.id), "referral_response_on": "2026-11-28"}
    act(
        lead_client, receipt.report_id, "referral_response",
        **answer, referral_response="nrm_reasonable_grounds_positive",
    )  # fmt: skip
    clock.advance(timedelta(days=20))
    lead_client = signed_in_client(app, services, lead, clock)
    # A positive Reasonable Grounds decision is a step: the referral still waits, and is late.
    assert "Referral chase overdue" in queue_tags(lead_client, receipt.report_id)
    act(
        lead_client, receipt.report_id, "referral_response",
        **{**answer, "referral_response_on": "2026-12-15"},
        referral_response="nrm_conclusive_grounds_positive",
    )  # fmt: skip
    assert "Referral chase overdue" not in queue_tags(lead_client, receipt.report_id)
    [kept] = referrals(services, receipt.report_id)
    assert kept.response == "nrm_conclusive_grounds_positive" and kept.chase_on is None


def test_wrong_dates_and_answers_are_refused_and_nothing_is_kept(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["hurting_me"])
    for fields, field, message in (
        (
            {"referral_sent_on": "2026-12-25"},
            "referral_sent_on",
            "Enter the date the referral was sent, like 2026-11-28, or leave it empty for today.",
        ),
        (
            {"referral_sent_on": "yesterday"},
            "referral_sent_on",
            "Enter the date the referral was sent, like 2026-11-28, or leave it empty for today.",
        ),
        (
            {"referral_chase_on": "2026-11-20"},
            "referral_chase_on",
            "Enter a date after the referral was sent, or leave it empty for a week later.",
        ),
        (
            {"referral_reference": "<script>"},
            "referral_reference",
            "Enter the referral's reference (letters, numbers, / and -), or leave it empty.",
        ),
        (
            {"referral_first_responder": "salvation_army"},
            "referral_first_responder",
            "A First Responder Organisation is for NRM referrals only. Leave it empty.",
        ),
    ):
        code, page = act(lead_client, receipt.report_id, "referral", **POLICE, **fields)
        assert code == 400 and page.problems() == {field: message}
        # What was typed stays in the form.
        assert page.by_id("referral_reason").text == POLICE["referral_reason"]
    assert referrals(services, receipt.report_id) == []
    act(lead_client, receipt.report_id, "referral", **POLICE)
    [kept] = referrals(services, receipt.report_id)
    base = {"referral_id": str(kept.id), "referral_response_on": "2026-11-28"}
    for fields, field, message in (
        ({"referral_response": "nrm_conclusive_grounds_positive"}, "referral_response",
         "Reasonable and Conclusive Grounds decisions are for NRM referrals only."),
        ({"referral_response": "accepted", "referral_response_on": "2026-12-25"},
         "referral_response_on", NOT_IN_THE_FUTURE),
        ({"referral_response": "accepted", "referral_response_on": "2026-11-01"},
         "referral_response_on", NOT_IN_THE_FUTURE),
        ({"referral_response": "maybe"}, "referral_response", "Choose what they answered."),
        ({"referral_response": "accepted", "referral_id": "999999"}, "actions",
         "That referral is not on this case."),
    ):  # fmt: skip
        code, page = act(lead_client, receipt.report_id, "referral_response", **{**base, **fields})
        assert code == 400 and page.problems() == {field: message}
    [kept] = referrals(services, receipt.report_id)
    assert kept.response is None


def test_another_case_s_referral_cannot_be_answered_from_this_one(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    first = submit(services, establishment, concerns=["hurting_me"])
    second = submit(services, establishment, concerns=["bullied"])
    act(lead_client, first.report_id, "referral", **POLICE)
    [kept] = referrals(services, first.report_id)
    code, page = act(
        lead_client, second.report_id, "referral_response",
        referral_id=str(kept.id), referral_response="declined", referral_response_on="2026-11-28",
    )  # fmt: skip
    assert code == 400 and page.problems() == {"actions": "That referral is not on this case."}
    assert referrals(services, first.report_id)[0].response is None


def test_those_who_may_not_refer_can_neither_see_nor_answer_a_referral(
    app: Flask,
    services: Services,
    establishment: int,
    staff: StaffFactory,
    lead_client: FlaskClient,
    clock: FixedClock,
) -> None:
    receipt = submit(services, establishment, concerns=["hurting_me"])
    act(lead_client, receipt.report_id, "referral", **POLICE)
    [kept] = referrals(services, receipt.report_id)
    answer = {
        "referral_id": str(kept.id),
        "referral_response": "declined",
        "referral_response_on": "2026-11-28",
    }
    for role in ("auditor", "admin"):
        client = signed_in_client(app, services, staff(role), clock)
        code, _ = act(client, receipt.report_id, "referral_response", **answer)
        assert code == 404  # as if the case were not there
    assert referrals(services, receipt.report_id)[0].response is None
    # The auditor reads the case and its referrals, but is offered no form to change them.
    auditor = signed_in_client(app, services, staff("auditor"), clock)
    page = case_page(auditor, receipt.report_id)
    assert page.table("referrals-table")[0]["Agency"] == "Police"
    assert not page.all("select", name="referral_response")


def test_each_referral_records_consent_and_why_it_was_shared_against_a_refusal(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    """Consent per disclosure (issue 15.2): what the person said after their report is shown
    beside the question; sharing against their refusal needs a lawful reason."""
    receipt = submit(services, establishment, concerns=["hurting_me"])
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        record_wishes(
            session, report=report, wants=["stop"], sharing="ask_me", channel="kiosk",
            vault=services.secrets.vault, clock=services.clock,
        )  # fmt: skip
    page = case_page(lead_client, receipt.report_id)
    assert "and said: Ask me first" in page.by_id("referral_consent-hint").text
    code, page = act(lead_client, receipt.report_id, "referral", **POLICE, referral_consent="no")
    assert code == 400 and page.problems() == {
        "referral_basis": "They refused: choose why the information must be shared anyway."
    }
    assert page.by_id("referral_reason").text == POLICE["referral_reason"]  # nothing lost
    code, page = act(
        lead_client, receipt.report_id, "referral", **POLICE, referral_consent="yes",
        referral_basis="serious_harm",
    )  # fmt: skip
    assert code == 400 and page.problems() == {
        "referral_basis": "They consented: leave the reason for sharing without consent empty."
    }
    assert referrals(services, receipt.report_id) == []
    code, _ = act(
        lead_client, receipt.report_id, "referral", **POLICE, referral_consent="no",
        referral_basis="serious_harm",
    )  # fmt: skip
    assert code == 302
    [kept] = referrals(services, receipt.report_id)
    assert (kept.consent, kept.sharing_basis) == ("refused", "serious_harm")
    [shown] = referrals_shown(lead_client, receipt.report_id)
    assert shown["Consent"] == "Consent refused: A risk of serious harm to them or to others"


def test_an_answer_that_comes_after_closing_is_recorded_without_reopening(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    """An NRM Conclusive Grounds decision takes months: the case may be closed by then."""
    receipt = submit(services, establishment, concerns=["hurting_me"])
    assert act(lead_client, receipt.report_id, "referral", **POLICE)[0] == 302
    [kept] = referrals(services, receipt.report_id)
    assert (
        act(lead_client, receipt.report_id, "close", close_outcome="resolved_internally")[0] == 302
    )
    code, _ = act(
        lead_client, receipt.report_id, "referral_response", referral_id=str(kept.id),
        referral_response="declined", referral_response_on="2026-11-28",
    )  # fmt: skip
    assert code == 302
    [answered] = referrals(services, receipt.report_id)
    assert answered.response == "declined"
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None and report.status == "closed"
