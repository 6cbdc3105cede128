"""`/` points somewhere useful: the three doors in the demo, the staff sign-in in
production; and /favicon.ico is an icon, not a 404 (issue 19)."""

from __future__ import annotations

from flask import Flask

from safeguarding.services import Services
from safereport.app import create_app
from safereport.config import Config


def test_in_production_the_start_page_points_only_to_the_staff_sign_in(app: Flask) -> None:
    response = app.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/triage/sign-in"' in html
    assert "/ivr/simulator" not in html and "kiosk" not in html.lower()
    assert "Content-Security-Policy" in response.headers


def test_in_the_demo_the_start_page_points_to_every_door(
    config: Config, services: Services
) -> None:
    demo = create_app(config.with_changes(demo=True), services=services)
    html = demo.test_client().get("/").get_data(as_text=True)
    assert 'href="/triage/sign-in"' in html
    assert "safereport demo --print-urls" in html  # how to get a kiosk enrolment link
    assert "ivr_simulator" in demo.blueprints
    assert 'href="/ivr/simulator"' in html


def test_the_favicon_is_an_icon(app: Flask) -> None:
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/x-icon"
    assert response.get_data()[:4] == b"\x00\x00\x01\x00"  # the ICO file signature
