"""The establishment chooses whether a high report's alert names the wing (off by default)."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent, Establishment
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import csrf, signed_in_client

BASE = "/triage/admin/establishments"


@pytest.fixture
def admin_client(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> FlaskClient:
    return signed_in_client(app, services, staff("admin"), clock)


def names_wing(services: Services, establishment: int) -> bool:
    with services.db.transaction() as session:
        found = session.get(Establishment, establishment)
        assert found is not None
        return found.high_alert_names_wing


def test_an_admin_turns_the_wing_on_in_high_alerts_and_it_is_audited(
    admin_client: FlaskClient, services: Services, establishment: int
) -> None:
    path = f"{BASE}/{establishment}"
    page = admin_client.get(path).get_data(as_text=True)
    assert "Name the wing in alerts about high priority reports" in page
    assert not re.search(r'id="high_alert_names_wing"[^>]*checked', page)
    assert not names_wing(services, establishment)
    form = {
        "csrf_token": csrf(admin_client),
        "name": "HMP Testing",
        "kiosk_idle_seconds": "90",
        "languages": ["en", "cy", "ar"],
        "high_alert_names_wing": "yes",
    }
    assert admin_client.post(path, data=form).status_code == 302
    assert names_wing(services, establishment)
    again = admin_client.get(path).get_data(as_text=True)
    assert re.search(r'id="high_alert_names_wing"[^>]*checked', again)
    with services.db.transaction() as session:
        detail = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "admin.establishment_updated")
        ).one()
    assert json.loads(detail)["high_alert_names_wing"] is True
    del form["high_alert_names_wing"]
    form["csrf_token"] = csrf(admin_client)
    assert admin_client.post(path, data=form).status_code == 302
    assert not names_wing(services, establishment)
