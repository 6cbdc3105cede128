"""A case action chosen by PostgreSQL as a deadlock's victim is run again, and the lead
sees it done: not an error page after pressing "Acknowledge" on an urgent report, while a
door's report or another member of staff's action held what it needed
(tests/support/deadlock.py makes the deadlock real). Each action is one transaction, so
running it again after the database rolled it back is safe."""

from __future__ import annotations

import logging

import pytest
from flask.testing import FlaskClient

from safeguarding.services import Services
from tests.factories import submit
from tests.support.deadlock import deadlock_with_the_next_writer
from tests.triage.helpers import csrf
from tests.triage.test_case import audit_actions, report

pytestmark = pytest.mark.postgres_only

REPORTS = "SELECT id FROM report FOR UPDATE"


def test_an_acknowledgement_chosen_as_a_deadlocks_victim_is_made_all_the_same(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    report_id = submit(services, establishment, concerns=["hurting_myself"]).report_id
    token = csrf(lead_client, f"/triage/reports/{report_id}")  # the page, read beforehand
    caplog.set_level(logging.WARNING)
    with deadlock_with_the_next_writer(services, establishment, then=REPORTS):
        response = lead_client.post(
            f"/triage/reports/{report_id}/acknowledge", data={"csrf_token": token}
        )
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].endswith(f"/triage/reports/{report_id}#timeline")
    assert report(services, report_id).status == "acknowledged"
    assert audit_actions(services, report_id).count("report.acknowledged") == 1
    assert any("deadlock" in record.getMessage() for record in caplog.records)
