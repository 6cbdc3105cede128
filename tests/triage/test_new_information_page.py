"""The queue and the case page show "New information" until the team acts on the case."""

from __future__ import annotations

from flask.testing import FlaskClient

from safeguarding.followup import add_reporter_information
from safeguarding.services import Services
from storage.models import Report
from tests.factories import submit
from tests.triage.test_case import act


def test_new_information_is_tagged_in_the_queue_and_on_the_case_until_acted_on(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_pay"])
    queue = lead_client.get("/triage/queue").get_data(as_text=True)
    assert "New information" not in queue
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        add_reporter_information(
            session, report=report, text="It happened again.", channel="kiosk",
            vault=services.secrets.vault, policy=services.policy, clock=services.clock,
        )  # fmt: skip
    queue = lead_client.get("/triage/queue").get_data(as_text=True)
    assert "New information" in queue
    case = lead_client.get(f"/triage/reports/{receipt.report_id}").get_data(as_text=True)
    assert 'id="new-information"' in case and "The reporter added information at" in case
    assert act(lead_client, receipt.report_id, "note", note_text="Spoke to him.")[0] == 302
    case = lead_client.get(f"/triage/reports/{receipt.report_id}").get_data(as_text=True)
    assert 'id="new-information"' not in case
    assert "New information" not in lead_client.get("/triage/queue").get_data(as_text=True)
