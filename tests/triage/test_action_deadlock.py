"""A case action, or a new follow-up code, chosen by PostgreSQL as a deadlock's victim is
run again, and the lead sees it done: not an error page after pressing "Acknowledge" on an
urgent report, while a door's report or another member of staff's action held what it
needed (tests/support/deadlock.py makes the deadlock real). Each is one transaction, so
running it again after the database rolled it back is safe."""

from __future__ import annotations

import logging
import re

import pytest
from flask.testing import FlaskClient

from safeguarding.services import Services
from tests.factories import submit
from tests.support.deadlock import deadlock_with_the_next_writer
from tests.support.pages import parse
from tests.triage.helpers import csrf
from tests.triage.test_case import audit_actions, report
from tests.triage.test_code_reissue import look_up, reissue

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


def test_a_new_code_chosen_as_a_deadlocks_victim_is_given_and_is_the_one_kept(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The code shown must be the committed one: a code from the attempt PostgreSQL undid
    would open nothing, and the prisoner would be told a dead number."""
    receipt = submit(services, establishment, reporter_identity="Sam Jones A1234BC")
    caplog.set_level(logging.WARNING)
    with deadlock_with_the_next_writer(services, establishment, then=REPORTS):
        response = reissue(lead_client, receipt.report_id)
    assert response.status_code == 200, response.status_code
    shown = re.sub(r"\\D", "", parse(response).by_id("new-code").text)
    found = look_up(services, establishment, shown)
    assert found is not None and found.id == receipt.report_id
    assert look_up(services, establishment, receipt.code) is None
    assert any("deadlock" in record.getMessage() for record in caplog.records)
