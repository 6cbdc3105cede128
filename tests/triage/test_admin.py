"""Administrators manage staff for their own establishments, and read no reports."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import csrf, invite, signed_in_client


def setup_link(html: str) -> str:
    found = re.search(r'id="setup-url">http://localhost(/triage/setup/[^<]+)<', html)
    assert found, "no setup link on the page"
    return found.group(1)


def test_an_admin_invites_staff_whose_link_works_once(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    form = {
        "csrf_token": csrf(admin, "/triage/staff"),
        "display_name": "Robin Deputy",
        "email": "robin@example.gov.uk",
        "role": "deputy",
        "establishment": str(establishment),
    }
    created = admin.post("/triage/staff", data=form)
    assert created.status_code == 200
    link = setup_link(created.get_data(as_text=True))
    assert app.test_client().get(link).status_code == 200
    again = admin.post("/triage/staff", data=form)
    assert again.status_code == 400 and "already an account" in again.get_data(as_text=True)


def test_an_admin_cannot_invite_into_another_establishment(
    app: Flask, services: Services, other_establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    response = admin.post(
        "/triage/staff",
        data={
            "csrf_token": csrf(admin, "/triage/staff"),
            "display_name": "X",
            "email": "x@example.gov.uk",
            "role": "lead",
            "establishment": str(other_establishment),
        },
    )
    assert response.status_code == 400


def test_a_new_setup_link_for_someone_invited_or_a_reset(
    app: Flask,
    services: Services,
    establishment: int,
    other_establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    pending_id, first_token = invite(services, role="lead", establishment_ids=[establishment])
    page = admin.post(
        f"/triage/staff/{pending_id}/setup-link", data={"csrf_token": csrf(admin, "/triage/staff")}
    )
    assert page.status_code == 200
    assert app.test_client().get(f"/triage/setup/{first_token}").status_code == 404
    assert app.test_client().get(setup_link(page.get_data(as_text=True))).status_code == 200
    elsewhere = staff("lead", [other_establishment])
    refused = admin.post(
        f"/triage/staff/{elsewhere.id}/setup-link",
        data={"csrf_token": csrf(admin, "/triage/staff")},
    )
    assert refused.status_code == 404


def test_only_admins_manage_staff(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    for role in ("lead", "deputy", "governor", "auditor"):
        client: FlaskClient = signed_in_client(app, services, staff(role), clock)
        assert client.get("/triage/staff").status_code == 403, role
    admin = signed_in_client(app, services, staff("admin"), clock)
    assert admin.get("/triage/").headers["Location"].endswith("/triage/staff")
