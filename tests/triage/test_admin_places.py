"""Administrators manage establishments, wings, kiosks, phone lines and the on-call chain of
the establishments they belong to; nobody else may, and none of it shows a report."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.access import Role
from safeguarding.admin_rules import AdminRefused, ServerOperator
from safeguarding.alerts import on_call_chain
from safeguarding.clock import FixedClock
from safeguarding.codes import keyed_hash
from safeguarding.places_admin import create_establishment
from safeguarding.services import Services
from storage.models import (
    AuditEvent,
    Establishment,
    KioskDevice,
    Location,
    OnCallContact,
    PhoneLine,
    StaffMembership,
)
from tests.factories import submit
from tests.support.pages import assert_nowhere_on, parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, csrf, page_at, signed_in_client

BASE = "/triage/admin/establishments"


def post(client: FlaskClient, path: str, **fields: Any) -> Any:
    return client.post(path, data={"csrf_token": csrf(client), **fields})


def locations(services: Services, establishment: int) -> list[str]:
    with services.db.transaction() as session:
        found = session.get(Establishment, establishment)
        assert found is not None
        return [location.name for location in found.locations]


def test_only_the_server_operator_adds_establishments_and_admins_set_their_languages(
    admin_client: FlaskClient, services: Services, admin: StaffLogin
) -> None:
    """Issue 12 item 2: on fe26a51 any admin created establishments (and managed them)."""
    refused = post(admin_client, BASE, name="HMP Gamma", code="gam")
    assert refused.status_code == 405
    with services.db.transaction() as session:
        assert (
            session.scalars(select(Establishment).where(Establishment.code == "GAM")).first()
            is None
        )
        found = create_establishment(
            session, by=ServerOperator(), code="gam", name="HMP Gamma", languages=[],
            clock=services.clock,
        )  # fmt: skip
        assert found.code == "GAM" and found.languages == "en"
        with pytest.raises(AdminRefused):
            create_establishment(
                session, by=ServerOperator(), code="GAM", name="Again", languages=[],
                clock=services.clock,
            )  # fmt: skip
        establishment_id = found.id
        session.add(StaffMembership(staff_id=admin.id, establishment_id=establishment_id))

    path = f"{BASE}/{establishment_id}"
    refused = admin_client.post(
        path,
        data={"csrf_token": csrf(admin_client), "name": "HMP Gamma", "kiosk_idle_seconds": "5"},
    )
    assert refused.status_code == 400
    problems = parse(refused).problems()
    assert "from 30 to 600" in problems["kiosk_idle_seconds"]
    assert problems["languages"] == "Choose at least one language."
    saved = admin_client.post(
        path,
        data={
            "csrf_token": csrf(admin_client),
            "name": "HMP Gamma (Wales)",
            "kiosk_idle_seconds": "120",
            "languages": ["en", "cy", "pl"],
            "order-cy": "1",
            "order-en": "2",
            "order-ar": "1",  # not ticked: not offered
            "confirm_unreviewed": "yes",  # Welsh and Polish are not reviewed yet
        },
    )
    assert saved.status_code == 302
    with services.db.transaction() as session:
        saved_row = session.get(Establishment, establishment_id)
        assert saved_row is not None
        assert (saved_row.name, saved_row.kiosk_idle_seconds) == ("HMP Gamma (Wales)", 120)
        assert saved_row.languages == "cy,en,pl"  # numbered first, then the registry's order


def test_wings_are_added_renamed_reordered_and_removed_when_unused(
    admin_client: FlaskClient, services: Services, establishment: int
) -> None:
    path = f"{BASE}/{establishment}/locations"
    assert post(admin_client, path, location_name="Segregation unit").status_code == 302
    assert locations(services, establishment) == [
        "A Wing", "B Wing", "Healthcare", "Segregation unit",
    ]  # fmt: skip
    with services.db.transaction() as session:
        ids = {
            loc.name: loc.id
            for loc in session.scalars(
                select(Location).where(Location.establishment_id == establishment)
            )
        }
    segregation = f"{path}/{ids['Segregation unit']}"
    assert post(admin_client, segregation, action="up").status_code == 302
    assert post(admin_client, f"{path}/{ids['A Wing']}", action="down").status_code == 302
    assert locations(services, establishment) == [
        "B Wing", "A Wing", "Segregation unit", "Healthcare",
    ]  # fmt: skip
    renamed = post(admin_client, segregation, action="renamed", location_name="CSU")
    assert renamed.status_code == 302
    assert post(admin_client, segregation, action="renamed", location_name=" ").status_code == 400
    submit(services, establishment, location_id=ids["B Wing"])
    refused = post(admin_client, f"{path}/{ids['B Wing']}", action="removed")
    assert refused.status_code == 400
    assert parse(refused).problems()[f"location-{ids['B Wing']}"].endswith("Rename it instead.")
    assert post(admin_client, segregation, action="removed").status_code == 302
    assert locations(services, establishment) == ["B Wing", "A Wing", "Healthcare"]


def test_kiosks_get_a_one_time_enrolment_link_and_can_be_revoked(
    admin_client: FlaskClient, services: Services, establishment: int
) -> None:
    registered = post(
        admin_client, f"{BASE}/{establishment}/kiosks", kiosk_label="B Wing landing 2"
    )
    assert registered.status_code == 200
    shown = parse(registered).by_id("enrolment-url").text
    link = re.fullmatch(r"http://localhost/kiosk/enrol#(\S+)", shown)
    assert link is not None
    with services.db.transaction() as session:
        device = session.scalars(
            select(KioskDevice).where(KioskDevice.label == "B Wing landing 2")
        ).one()
        assert device.enrolment_token_hash == keyed_hash(
            services.secrets.code_pepper, "kiosk-enrolment", link.group(1)
        )
        device_id = device.id
    again = post(admin_client, f"{BASE}/{establishment}/kiosks/{device_id}/link")
    second = re.fullmatch(
        r"http://localhost/kiosk/enrol#(\S+)", parse(again).by_id("enrolment-url").text
    )
    assert second is not None and second.group(1) != link.group(1)
    devices = page_at(admin_client, f"{BASE}/{establishment}/devices")
    assert_nowhere_on(devices, link.group(1))  # shown once only
    revoked = post(admin_client, f"{BASE}/{establishment}/kiosks/{device_id}/revoke")
    assert revoked.status_code == 302
    with services.db.transaction() as session:
        gone = session.get(KioskDevice, device_id)
        assert gone is not None and gone.revoked_at is not None
        assert gone.enrolment_token_hash is None and gone.device_token_hash is None
    refused = post(admin_client, f"{BASE}/{establishment}/kiosks/{device_id}/link")
    assert refused.status_code == 400
    assert "Register a new kiosk" in parse(refused).problems()[f"kiosk-{device_id}"]


def test_phone_lines_are_checked_and_kept_once_used(
    admin_client: FlaskClient, services: Services, establishment: int
) -> None:
    path = f"{BASE}/{establishment}/phone-lines"
    assert post(admin_client, path, line_number="01632 960999").status_code == 400
    assert (
        post(admin_client, path, line_number="+441632960999", line_label="Main").status_code == 302
    )
    duplicate = post(admin_client, path, line_number="+441632960999")
    assert duplicate.status_code == 400
    assert "already in use" in parse(duplicate).problems()["line_number"]
    with services.db.transaction() as session:
        lines = {
            line.number: line.id
            for line in session.scalars(
                select(PhoneLine).where(PhoneLine.establishment_id == establishment)
            )
        }
    used = next(number for number in lines if number != "+441632960999")
    submit(services, establishment, channel="phone", phone_line_id=lines[used])
    assert post(admin_client, f"{path}/{lines[used]}/remove").status_code == 400
    assert post(admin_client, f"{path}/{lines['+441632960999']}/remove").status_code == 302


def test_the_on_call_chain_is_ordered_and_people_can_be_stood_down(
    admin_client: FlaskClient, services: Services, establishment: int
) -> None:
    path = f"{BASE}/{establishment}/on-call"
    missing = post(admin_client, path, role="lead", display_name="Sam")
    assert missing.status_code == 400
    assert parse(missing).problems()["phone"] == "Give a mobile number, an email address, or both."
    assert (
        post(admin_client, path, role="chief", display_name="X", phone="+447700900001").status_code
        == 400
    )
    assert (
        post(admin_client, path, role="lead", display_name="Sam", phone="07700").status_code == 400
    )
    for role, name, phone in (
        ("lead", "Sam Lead", "+447700900001"),
        ("deputy", "Dee Deputy", "+447700900002"),
        ("duty_governor", "Gov Duty", "+447700900003"),
    ):
        assert (
            post(admin_client, path, role=role, display_name=name, phone=phone).status_code == 302
        )
    with services.db.transaction() as session:
        ids = {c.display_name: c.id for c in session.scalars(select(OnCallContact))}
    assert post(admin_client, f"{path}/{ids['Gov Duty']}", action="up").status_code == 302
    assert post(admin_client, f"{path}/{ids['Sam Lead']}", action="off").status_code == 302
    with services.db.transaction() as session:
        assert [c.display_name for c in on_call_chain(session, establishment)] == [
            "Gov Duty", "Dee Deputy",
        ]  # fmt: skip
        details = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action.like("admin.oncall%"))
        ).all()
        assert details and all("+4477" not in detail for detail in details)
    assert post(admin_client, f"{path}/{ids['Sam Lead']}", action="on").status_code == 302
    assert post(admin_client, f"{path}/{ids['Sam Lead']}", action="jump").status_code == 400


def test_every_role_on_every_admin_route(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    other_establishment: int,
    clock: FixedClock,
) -> None:
    with services.db.transaction() as session:
        ids = {}
        for place in (establishment, other_establishment):
            ids[place] = {
                "location": session.scalars(
                    select(Location.id).where(Location.establishment_id == place)
                ).first(),
                "device": session.scalars(
                    select(KioskDevice.id).where(KioskDevice.establishment_id == place)
                ).first(),
                "line": session.scalars(
                    select(PhoneLine.id).where(PhoneLine.establishment_id == place)
                ).first(),
            }
            contact = OnCallContact(
                establishment_id=place, chain_position=1, role="lead", display_name="X",
                phone="+447700900001", created_at=clock.now(),
            )  # fmt: skip
            session.add(contact)
            session.flush()
            ids[place]["contact"] = contact.id

    def routes(place: int, child_of: int) -> list[tuple[str, str, dict[str, str]]]:
        child = ids[child_of]
        base = f"{BASE}/{place}"
        return [
            ("GET", base, {}),
            ("GET", f"{base}/devices", {}),
            ("GET", f"{base}/on-call", {}),
            ("POST", f"{base}/locations/{child['location']}", {"action": "up"}),
            ("POST", f"{base}/kiosks/{child['device']}/link", {}),
            ("POST", f"{base}/kiosks/{child['device']}/revoke", {}),
            ("POST", f"{base}/phone-lines/{child['line']}/remove", {}),
            ("POST", f"{base}/on-call/{child['contact']}", {"action": "off"}),
        ]

    cases = [
        (establishment, establishment, True),
        (other_establishment, other_establishment, False),  # not theirs
        (establishment, other_establishment, False),  # their establishment, another's thing
    ]
    for role in Role:
        client = signed_in_client(app, services, staff(role.value), clock)
        token = csrf(client)
        assert client.get(BASE).status_code == (200 if role is Role.ADMIN else 403)
        for place, child_of, theirs in cases:
            for method, path, fields in routes(place, child_of):
                if method == "GET" and place != child_of:
                    continue  # no child in the path: nothing to mismatch
                if method == "GET":
                    status = client.get(path).status_code
                else:
                    status = client.post(path, data={"csrf_token": token, **fields}).status_code
                if role is not Role.ADMIN:
                    assert status == 403, (role, path)
                elif not theirs:
                    assert status == 404, (role, path)
                else:
                    assert status in (200, 302, 400), (role, path, status)


def test_admin_pages_show_no_report(
    admin_client: FlaskClient, services: Services, establishment: int
) -> None:
    submit(
        services, establishment, details="MARKER-admin-must-not-see", reporter_identity="A1234BC"
    )
    for path in ("", "/devices", "/on-call"):
        page = page_at(admin_client, f"{BASE}/{establishment}{path}")
        assert_nowhere_on(page, "MARKER-admin-must-not-see")
        assert_nowhere_on(page, "A1234BC")
    assert admin_client.get("/triage/queue").status_code == 403
    assert admin_client.get("/triage/quality").status_code == 403
