"""Only an enrolled kiosk can use the kiosk; enrolment links work once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.config import Config
from safereport.demo import ensure_demo
from storage.models import KioskDevice
from tests.kiosk.conftest import enrolment_token
from tests.kiosk.pages import parse

KIOSK_PATHS = (
    "/kiosk/",
    "/kiosk/menu",
    "/kiosk/report/danger",
    "/kiosk/code",
    "/kiosk/listen/menu",
)


@pytest.mark.parametrize("path", KIOSK_PATHS)
def test_a_browser_that_is_not_a_kiosk_gets_a_neutral_page(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 403
    page = parse(response)
    assert page.h1 == "This page is not available."
    for word in ("report", "Report", "SafeReport", "safeguarding", "Leave now"):
        assert word not in page.text


def test_an_enrolment_link_works_once(
    app: Flask, services: Services, establishment_id: int
) -> None:
    token = enrolment_token(services, establishment_id)
    first = app.test_client()
    response = first.post("/kiosk/enrol", data={"token": token})
    assert response.status_code == 303 and response.location == "/kiosk/"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("kiosk_device=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=" in cookie
    assert parse(first.get("/kiosk/")).h1 == "Choose your language."
    second = app.test_client()
    assert second.post("/kiosk/enrol", data={"token": token}).status_code == 403
    assert second.get("/kiosk/").status_code == 403


def test_an_expired_enrolment_link_does_nothing(
    client: FlaskClient, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    token = enrolment_token(services, establishment_id)
    clock.advance(timedelta(hours=24, seconds=1))
    assert client.post("/kiosk/enrol", data={"token": token}).status_code == 403


def test_enrolling_again_moves_the_kiosk_to_the_new_screen(
    app: Flask, services: Services, establishment_id: int
) -> None:
    old, new = app.test_client(), app.test_client()
    old.post("/kiosk/enrol", data={"token": enrolment_token(services, establishment_id)})
    new.post("/kiosk/enrol", data={"token": enrolment_token(services, establishment_id)})
    assert new.get("/kiosk/").status_code == 200
    assert old.get("/kiosk/").status_code == 403


def test_a_revoked_kiosk_gets_the_neutral_page(
    app: Flask, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    kiosk = app.test_client()
    kiosk.post("/kiosk/enrol", data={"token": enrolment_token(services, establishment_id)})
    with services.db.transaction() as session:
        device = session.scalars(
            select(KioskDevice).where(KioskDevice.establishment_id == establishment_id)
        ).one()
        device.revoked_at = clock.now()
    assert kiosk.get("/kiosk/").status_code == 403


def test_an_enrolled_kiosk_following_a_used_link_lands_on_the_start(
    app: Flask, services: Services, establishment_id: int
) -> None:
    kiosk = app.test_client()
    token = enrolment_token(services, establishment_id)
    kiosk.post("/kiosk/enrol", data={"token": token})
    assert kiosk.post("/kiosk/enrol", data={"token": token}).location == "/kiosk/"


def test_the_demo_kiosk_link_enrols_a_fresh_browser_on_the_start_screen(
    app: Flask, services: Services
) -> None:
    links = ensure_demo(services, languages=["en"])
    browser = app.test_client()
    response = browser.post("/kiosk/enrol", data={"token": links.kiosk_enrolment_token})
    assert response.location == "/kiosk/"
    start = parse(browser.get("/kiosk/"))
    assert start.h1 == "Choose your language."
    assert [b.attrs["value"] for b in start.all("button", name="language")] == ["en"]
    # Each call prints a new one-time link.
    assert (
        ensure_demo(services, languages=["en"]).kiosk_enrolment_token != links.kiosk_enrolment_token
    )


def test_the_enrol_command_prints_a_one_time_link(
    app: Flask, config: Config, services: Services, establishment_id: int
) -> None:
    from safereport.cli import main
    from storage.models import Establishment

    with services.db.transaction() as session:
        code = session.get(Establishment, establishment_id).code  # type: ignore[union-attr]
    env = {
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
        "SAFEREPORT_DATABASE_URL": config.database_url,
        "SAFEREPORT_PUBLIC_BASE_URL": "https://safereport.example.gov.uk",
    }
    result = CliRunner(env=env).invoke(
        main,
        [
            "kiosk",
            "enrol",
            "--establishment",
            code,
            "--label",
            "B Wing kiosk",
            "--location",
            "B Wing",
        ],
    )
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith("https://safereport.example.gov.uk/kiosk/enrol#")
    browser = app.test_client()
    token = link.split("#", 1)[1]
    assert browser.post("/kiosk/enrol", data={"token": token}).location == "/kiosk/"
    assert browser.get("/kiosk/").status_code == 200
    with services.db.transaction() as session:
        device = session.scalars(
            select(KioskDevice).where(KioskDevice.label == "B Wing kiosk")
        ).one()
        assert device.enrolled_at is not None and device.location_id is not None


def test_the_enrol_command_names_an_unknown_establishment(config: Config) -> None:
    from safereport.cli import main

    env = {
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
        "SAFEREPORT_DATABASE_URL": config.database_url,
    }
    result = CliRunner(env=env).invoke(
        main, ["kiosk", "enrol", "--establishment", "ZZZ", "--label", "x"]
    )
    assert result.exit_code == 1
    assert "no establishment with code 'ZZZ'" in result.output


def test_the_enrolment_token_never_travels_in_a_path(app: Flask) -> None:
    """Issue 12 item 4: paths reach access logs. The landing page carries no token and
    says nothing about the service; the old /kiosk/enrol/<token> address is gone."""
    browser = app.test_client()
    assert browser.get("/kiosk/enrol/abcdefabcdefabcdef").status_code in (403, 404)
    landing = browser.get("/kiosk/enrol")
    assert landing.status_code == 200
    text = landing.get_data(as_text=True)
    assert "kiosk-enrol.js" in text
    for word in ("report", "Report", "SafeReport", "safeguarding"):
        assert word not in text
