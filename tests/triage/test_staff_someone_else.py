"""A report told to staff that someone else is in danger now is immediate (issue 13.1)."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.services import Services
from storage.models import OutboxMessage, Report
from tests.support.pages import parse
from tests.triage.helpers import page_at, queue_rows
from tests.triage.test_staff_reports import answers, open_form, send


def test_the_form_asks_whether_anyone_is_in_danger(lead_client: FlaskClient) -> None:
    form = page_at(lead_client, "/triage/reports/new")
    assert form.legend("in_danger_now") == "Is anyone in danger now?"
    assert form.choices("in_danger_now") == {
        "yes": "Yes, the person who told us",
        "someone_else": "Yes, someone else",
        "no": "No",
    }


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
    slip = parse(response)
    # The slip says what to do at once.
    assert slip.region("slip-urgent").startswith("If you are in danger now")
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert report.priority == "immediate"
        assert report.someone_else_in_danger_now and not report.in_danger_now
        kinds = session.scalars(select(OutboxMessage.kind)).all()
    assert "alert.new_report" in kinds
    warnings = page_at(lead_client, f"/triage/reports/{report.id}").warnings()
    assert warnings[0].startswith("The reporter said someone else is in danger now.")
    # This establishment has nobody on call as duty governor: the escalate form says so.
    assert len(warnings) == 2 and warnings[1].startswith("Nobody is on call as duty governor")
    [row] = queue_rows(lead_client)
    assert "Someone else in danger now" in row["Priority"]


def test_an_unknown_danger_answer_is_refused(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    fields = answers(services, establishment, in_danger_now="maybe")
    response = send(lead_client, fields, csrf=csrf, key=key)
    assert response.status_code == 400
    assert parse(response).problems()["in_danger_now"] == "Say whether anyone is in danger now."
