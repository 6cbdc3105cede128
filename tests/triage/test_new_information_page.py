"""The queue and the case page show "New information" until the team acts on the case."""

from __future__ import annotations

from flask.testing import FlaskClient

from safeguarding.followup import add_reporter_information
from safeguarding.services import Services
from tests.factories import submit
from tests.triage.helpers import queue_rows
from tests.triage.test_case import act, case_page


def test_new_information_is_tagged_in_the_queue_and_on_the_case_until_acted_on(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_pay"])
    [row] = queue_rows(lead_client)
    assert not row["Report"].endswith("New information")
    with services.db.transaction() as session:
        add_reporter_information(
            session, report_id=receipt.report_id, text="It happened again.", channel="kiosk",
            vault=services.secrets.vault, policy=services.policy, clock=services.clock,
        )  # fmt: skip
    assert [row["Report"] for row in queue_rows(lead_client)] == [
        f"Report {receipt.report_id} New information"
    ]
    case = case_page(lead_client, receipt.report_id)
    assert case.region("new-information").startswith(
        "New information The reporter added information at 28 Nov 2026, 09:00."
    )
    assert act(lead_client, receipt.report_id, "note", note_text="Spoke to him.")[0] == 302
    assert not case_page(lead_client, receipt.report_id).has_id("new-information")
    assert [row["Report"] for row in queue_rows(lead_client)] == [f"Report {receipt.report_id}"]
