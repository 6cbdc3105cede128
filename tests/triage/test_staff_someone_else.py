"""A report told to staff that someone else is in danger now is immediate (issue 13.1)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.services import Services
from storage.models import OutboxMessage, Report
from tests.triage.test_staff_reports import answers, open_form, send


def test_the_form_asks_whether_anyone_is_in_danger(lead_client: FlaskClient) -> None:
    html = lead_client.get("/triage/reports/new").get_data(as_text=True)
    assert "Is anyone in danger now?" in html
    for value in ("yes", "someone_else", "no"):
        assert f'id="in_danger_now-{value}"' in html or f'value="{value}"' in html
    assert "Yes, someone else" in html and "Yes, the person who told us" in html


def test_a_cellmate_reporting_an_assault_in_progress_files_an_immediate_report(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    fields = answers(
        services,
        establishment,
        concerns=["worried_someone_else", "hurting_me"],
        in_danger_now="someone_else",
        about_someone_else="yes",
        when_happened="today",
    )
    response = send(lead_client, fields, csrf=csrf, key=key)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "If you are in danger now" in html  # the slip says what to do at once
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert report.priority == "immediate"
        assert report.someone_else_in_danger_now and not report.in_danger_now
        kinds = session.scalars(select(OutboxMessage.kind)).all()
    assert "alert.new_report" in kinds
    case = lead_client.get(f"/triage/reports/{report.id}").get_data(as_text=True)
    assert "The reporter said someone else is in danger now." in case
    queue = lead_client.get("/triage/queue").get_data(as_text=True)
    assert "Someone else in danger now" in queue


def test_an_unknown_danger_answer_is_refused(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    fields = answers(services, establishment, in_danger_now="maybe")
    response = send(lead_client, fields, csrf=csrf, key=key)
    assert response.status_code == 400
    assert "Say whether anyone is in danger now." in response.get_data(as_text=True)
