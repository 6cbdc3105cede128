"""A report told to staff, whose entry PostgreSQL chose as a deadlock's victim, is entered
all the same and its slip printed with the code: as at the kiosk and on the phone, not an
error page with the prisoner waiting (tests/support/deadlock.py makes the deadlock real).
Here the entry and a helper both want the wing's daily count (place_day_count, counted by
a trigger as the report is written) and the audit chain's head."""

from __future__ import annotations

import logging

import pytest
from flask.testing import FlaskClient

from safeguarding.codes import is_valid
from safeguarding.services import Services
from tests.factories import submit
from tests.support.deadlock import deadlock_with_the_next_writer
from tests.triage.test_staff_reports import (
    answers,
    code_on,
    count_reports,
    first_location,
    open_form,
    send,
)

pytestmark = pytest.mark.postgres_only

WING_COUNTS = "SELECT 1 FROM place_day_count FOR UPDATE"


def test_a_report_entered_by_staff_chosen_as_a_deadlocks_victim_is_entered_all_the_same(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wing = first_location(services, establishment)
    # Another report about the same wing and concern today: the count row the entry updates.
    submit(services, establishment, concerns=["bullied"], location_id=wing)
    csrf, key = open_form(lead_client)
    caplog.set_level(logging.WARNING)
    with deadlock_with_the_next_writer(services, establishment, then=WING_COUNTS):
        response = send(
            lead_client, answers(services, establishment, concerns=["bullied"]), csrf=csrf, key=key
        )
    assert response.status_code == 200, response.status_code
    assert is_valid(code_on(response.get_data(as_text=True)))
    assert count_reports(services) == 2
    assert any("deadlock" in record.getMessage() for record in caplog.records)
