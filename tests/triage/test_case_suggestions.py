"""Suggested links and other establishments' counts on the case page (issue 14).

As the lead uses them (the same person named at the kiosk and on the phone, joined without
opening anything), as a deputy meets them (restricted reports are a number, never an id),
as a named officer would probe them (a report that names them is never more than a count),
and as the other prison's lead hears of them (case numbers only, by email).
"""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.people import CAUSING_HARM, PersonGiven
from safeguarding.services import Services
from safereport.notify.messages import compose
from storage.models import (
    AuditEvent,
    CrossSiteRequest,
    OnCallContact,
    OutboxMessage,
    ReportLink,
    StaffUser,
    SuggestionDecision,
)
from tests.conftest import START
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import csrf, page_at, signed_in_client

BULLY = "Bartholomew Quince"


def harm(name: str = BULLY, kind: str = "prisoner") -> tuple[PersonGiven, ...]:
    return (PersonGiven(CAUSING_HARM, kind, "name", name),)


def _post(client: FlaskClient, report_id: int, path: str) -> int:
    token = csrf(client, f"/triage/reports/{report_id}")
    response = client.post(f"/triage/reports/{report_id}/{path}", data={"csrf_token": token})
    return response.status_code


def test_the_same_person_named_at_the_kiosk_and_on_the_phone_is_suggested(
    lead_client: FlaskClient, services: Services, establishment: int, other_establishment: int
) -> None:
    by_kiosk = submit(services, establishment, people=harm()).report_id
    by_phone = submit(
        services, establishment, channel="phone", people=harm("QUINCE, bartholomew")
    ).report_id
    elsewhere = submit(services, other_establishment, people=harm()).report_id
    page = page_at(lead_client, f"/triage/reports/{by_phone}")
    found = page.region("suggestions")
    assert "1 other report names the same person as causing harm" in found
    assert f"Report {by_kiosk}" in found
    # The other prison's report is a count, and nothing of it is on the page.
    assert "1 report at HMP Beta names this person" in found
    assert f'/triage/reports/{elsewhere}"' not in page.html
    assert "Ask that establishment" in found


def test_a_deputy_sees_restricted_reports_only_as_a_count(
    app: Flask, services: Services, clock: FixedClock, staff: StaffFactory, establishment: int
) -> None:
    general = submit(services, establishment, people=harm()).report_id
    restricted = submit(services, establishment, staff_involved="yes", people=harm()).report_id
    case = submit(services, establishment, people=harm()).report_id
    deputy = signed_in_client(app, services, staff("deputy"), clock)
    page = page_at(deputy, f"/triage/reports/{case}")
    found = page.region("suggestions")
    assert "1 other report names the same person" in found
    assert "and 1 report you cannot open" in found
    assert f"Report {general}" in found
    assert f"Report {restricted}" not in page.text
    assert f"/triage/reports/{restricted}" not in page.html
    # Nor can they confirm or dismiss it by guessing its number.
    assert _post(deputy, case, f"suggestions/{restricted}/confirm") == 404
    assert _post(deputy, case, f"suggestions/{restricted}/dismiss") == 404
    with services.db.transaction() as session:
        assert session.scalars(select(ReportLink)).first() is None
        assert session.scalars(select(SuggestionDecision)).first() is None


def test_a_named_officer_sees_the_report_naming_them_only_as_a_count(
    app: Flask, services: Services, clock: FixedClock, staff: StaffFactory, establishment: int
) -> None:
    login = staff("deputy")
    with services.db.transaction() as session:
        officer = session.get(StaffUser, login.id)
        assert officer is not None
        officer_name = officer.display_name
    # One report names the same prisoner and the officer (kept general by the reporter).
    naming_them = submit(
        services, establishment,
        people=(*harm(), *harm(officer_name, kind="staff")), staff_involved="no",
    ).report_id  # fmt: skip
    case = submit(services, establishment, people=harm()).report_id
    page = page_at(signed_in_client(app, services, login, clock), f"/triage/reports/{case}")
    found = page.region("suggestions")
    assert "and 1 report you cannot open" in found
    assert f"Report {naming_them}" not in page.text
    assert f"/triage/reports/{naming_them}" not in page.html
    # The lead, who is not named, sees it.
    lead_page = page_at(
        signed_in_client(app, services, staff("lead"), clock), f"/triage/reports/{case}"
    )
    assert f"Report {naming_them}" in lead_page.region("suggestions")


def test_confirm_links_the_reports_and_dismiss_hides_the_suggestion_audited(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    first = submit(services, establishment, people=harm()).report_id
    second = submit(services, establishment, people=harm()).report_id
    case = submit(services, establishment, people=harm()).report_id
    assert _post(lead_client, case, f"suggestions/{first}/confirm") == 302
    assert _post(lead_client, case, f"suggestions/{second}/dismiss") == 302
    with services.db.transaction() as session:
        links = {(x.report_id, x.linked_report_id) for x in session.scalars(select(ReportLink))}
        decisions = {
            (d.report_id, d.other_report_id, d.decision)
            for d in session.scalars(select(SuggestionDecision))
        }
        dismissed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.suggestion_dismissed")
        ).all()
    assert links == {(case, first), (first, case)}
    assert decisions == {(first, case, "confirmed"), (second, case, "dismissed")}
    assert [event.report_id for event in dismissed] == [case]
    # Both decided, nothing is left to suggest.
    assert not page_at(lead_client, f"/triage/reports/{case}").has_id("suggestions")
    # Dismissed is dismissed: pressing it again changes nothing.
    assert _post(lead_client, case, f"suggestions/{second}/dismiss") == 400


def test_asking_another_establishment_emails_its_lead_case_numbers_only(
    lead_client: FlaskClient, services: Services, establishment: int, other_establishment: int
) -> None:
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=other_establishment, chain_position=1, role="lead",
                display_name="Bea Lead", email="bea@beta.example", phone=None, created_at=START,
            )
        )  # fmt: skip
    theirs = submit(services, other_establishment, people=harm()).report_id
    case = submit(services, establishment, people=harm()).report_id
    assert _post(lead_client, case, f"elsewhere/{other_establishment}") == 302
    assert _post(lead_client, case, f"elsewhere/{other_establishment}") == 400  # once
    with services.db.transaction() as session:
        (request,) = session.scalars(select(CrossSiteRequest)).all()
        assert (request.report_id, request.reports, request.status) == (case, 1, "asked")
        payloads = [json.loads(m.payload) for m in session.scalars(select(OutboxMessage))]
        (email,) = [p for p in payloads if p.get("template") == "cross_site_request"]
        assert email["their_reports"] == [theirs]
        _, text = compose(session, email, base_url="https://safereport.example")
        assert session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.cross_site_requested")
        ).first()
    assert f"-{theirs}" in text.body and f"-{case}" in text.body
    assert "Quince" not in text.body and "Bartholomew" not in text.body
    page = page_at(lead_client, f"/triage/reports/{case}")
    assert "You have asked that establishment's lead" in page.region("suggestions")
