"""Where to send help: a kiosk report keeps the place of the kiosk it came from, and the
queue and case page show it (issue 13.2)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import KioskDevice, Location, Report
from tests.factories import submit
from tests.support.pages import parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import page_at, queue_rows, signed_in_client
from tests.triage.test_admin_places import BASE, post


def place(services: Services, establishment: int, name: str) -> int:
    with services.db.transaction() as session:
        return session.scalars(
            select(Location.id).where(
                Location.establishment_id == establishment, Location.name == name
            )
        ).one()


def put_kiosk(services: Services, establishment: int, location_id: int | None) -> int:
    with services.db.transaction() as session:
        device = session.scalars(
            select(KioskDevice).where(KioskDevice.establishment_id == establishment)
        ).one()
        device.location_id = location_id
        return device.id


def test_a_kiosk_report_keeps_where_the_kiosk_stood(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    b_wing = place(services, establishment, "B Wing")
    device = put_kiosk(services, establishment, b_wing)
    receipt = submit(
        services, establishment, kiosk_device_id=device, in_danger_now=True, concerns=[]
    )
    put_kiosk(services, establishment, place(services, establishment, "Healthcare"))  # moved
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        assert report.sent_from_location_id == b_wing
    case = page_at(lead_client, f"/triage/reports/{receipt.report_id}")
    assert case.summary(case.by_id("sent-from")) == {"Sent from the kiosk on": "B Wing"}
    [row] = queue_rows(lead_client)
    assert row["From"].endswith("Sent from the kiosk on B Wing")


def test_a_phone_report_has_no_kiosk_place(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    put_kiosk(services, establishment, place(services, establishment, "B Wing"))
    receipt = submit(services, establishment, channel="phone")
    case = page_at(lead_client, f"/triage/reports/{receipt.report_id}")
    assert not case.has_id("sent-from")
    assert "Sent from the kiosk on" not in case.summary("case-summary")
    [row] = queue_rows(lead_client)
    assert "Sent from the kiosk on" not in row["From"]


def test_a_place_a_kiosk_report_came_from_cannot_be_removed(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    """Removing a place in use is refused; the kiosk's place on a report counts too."""
    b_wing = place(services, establishment, "B Wing")
    device = put_kiosk(services, establishment, b_wing)
    submit(services, establishment, kiosk_device_id=device)
    put_kiosk(services, establishment, None)  # the kiosk has moved away since
    path = f"{BASE}/{establishment}/locations/{b_wing}"
    admin_client = signed_in_client(app, services, staff("admin"), clock)
    refused = post(admin_client, path, action="removed")
    assert refused.status_code == 400
    assert parse(refused).problems()[f"location-{b_wing}"].endswith("Rename it instead.")
