"""A report told to staff says who is at risk and who is causing the harm, like the kiosk."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import Report, ReportPerson, StaffUser
from tests.support.pages import parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import signed_in_client
from tests.triage.test_case import case_page
from tests.triage.test_staff_reports import answers, count_reports, open_form, send


def test_the_people_named_on_the_form_are_on_the_case(
    app: Flask,
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    officer = staff("deputy")
    with services.db.transaction() as session:
        user = session.get(StaffUser, officer.id)
        assert user is not None
        officer_name = user.display_name
    csrf, key = open_form(lead_client)
    fields = answers(
        services, establishment, staff_involved="yes",
        at_risk_kind="self",
        causing_harm_kind="staff", causing_harm_identifier_kind="name",
        causing_harm_identifier=officer_name.upper(),
    )  # fmt: skip
    assert send(lead_client, fields, csrf=csrf, key=key).status_code == 200
    with services.db.transaction() as session:
        report_id = session.scalars(select(Report.id)).one()
        people = session.scalars(select(ReportPerson).order_by(ReportPerson.id)).all()
        assert [(p.role, p.kind, p.source) for p in people] == [
            ("at_risk", "self", "reporter"),
            ("causing_harm", "staff", "reporter"),
        ]
    table = case_page(lead_client, report_id).table("people-table")
    assert [(r["Role"], r["Who"], r["Identified by"]) for r in table] == [
        ("At risk", "The person who reported", ""),
        ("Causing the harm", "A member of staff", f"Name: {officer_name.upper()}"),
    ]
    assert table[0]["Added by"].startswith("The reporter (Told to staff in person)")
    # The officer named is a deputy here: the report is hidden from them (restricted anyway,
    # so a second deputy shows the naming, not the queue, is what hides it below).
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        report.queue = "general"
    named = signed_in_client(app, services, officer, clock)
    other = signed_in_client(app, services, staff("deputy"), clock)
    assert named.get(f"/triage/reports/{report_id}").status_code == 404
    assert other.get(f"/triage/reports/{report_id}").status_code == 200


def test_a_wrong_person_on_the_form_is_named_and_what_was_typed_is_kept(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    fields = answers(
        services, establishment,
        at_risk_kind="not_known", at_risk_identifier_kind="name", at_risk_identifier="Sam",
        causing_harm_kind="prisoner", causing_harm_identifier_kind="prison_number",
        causing_harm_identifier="12345",
    )  # fmt: skip
    response = send(lead_client, fields, csrf=csrf, key=key)
    page = parse(response)
    assert response.status_code == 400
    assert page.problems() == {
        "at_risk_identifier": "Leave the name or number empty for that choice.",
        "causing_harm_identifier": (
            "Check what you typed. A prison number is like A1234BC; use fewer than 200 characters."
        ),
    }
    assert page.value("causing_harm_identifier") == "12345"
    assert page.value("at_risk_identifier") == "Sam"
    assert count_reports(services) == 0
