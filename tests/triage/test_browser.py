"""The safeguarding lead's path in a real Chromium, checked with axe on every page:
sign in with TOTP, open the most urgent report, acknowledge, refer, message, close."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Playwright
from werkzeug.serving import make_server

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import Report
from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import next_code

pytestmark = pytest.mark.browser

AXE = Path(__file__).parents[1] / "vendor" / "axe.min.js"


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(live_url: str, playwright: Playwright) -> Iterator[Any]:
    yield from loopback_page(live_url, playwright)


def loopback_page(live_url: str, playwright: Playwright, **options: Any) -> Iterator[Any]:
    """A Chromium page that reaches nothing but the live server and keeps the page's
    console errors in ``page.problems``. ``options`` go to the browser context."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    context = browser.new_context(base_url=live_url, **options)  # loopback only: CHROMIUM_FLAGS
    new_page: Any = context.new_page()
    new_page.problems = []
    new_page.on(
        "console", lambda m: new_page.problems.append(m.text) if m.type == "error" else None
    )
    new_page.on("pageerror", lambda e: new_page.problems.append(str(e)))
    yield new_page
    browser.close()


def assert_accessible(page: Any) -> None:
    """axe finds no violations (evaluated over CDP, so our strict CSP stays on)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == [], violations
    assert page.problems == [], page.problems  # no CSP violations, no script errors


def test_the_lead_works_the_most_urgent_report(
    page: Any, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    submit(services, establishment, concerns=["bullied"])
    urgent = submit(
        services,
        establishment,
        concerns=["hurting_myself"],
        details="I cannot go on like this.",
        language="cy",
    ).report_id
    submit(services, establishment, concerns=["made_to_pay"])
    lead = staff("lead")

    page.goto("/triage/")
    assert page.url.endswith("/triage/sign-in")
    assert_accessible(page)
    page.fill("#email", lead.email)
    page.fill("#password", lead.password)
    page.fill("#code", next_code(lead, clock))
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/triage/queue")
    assert_accessible(page)

    page.click("#queue-table tbody tr:first-child a")
    page.wait_for_url(f"**/triage/reports/{urgent}")
    assert page.inner_text("#case-heading") == f"Report {urgent}"
    assert page.is_visible("#interpreter-needed")
    assert_accessible(page)

    page.click("#acknowledge")
    assert "Report acknowledged." in page.inner_text(".govuk-notification-banner")
    page.select_option("#referral_agency", "acct")
    page.select_option("#referral_decision", "met")
    page.fill("#referral_reason", "Self-harm risk: ACCT opened by the duty governor.")
    page.click("button:has-text('Record decision')")
    assert "Referral decision recorded." in page.inner_text(".govuk-notification-banner")
    page.select_option("#message_id", "will_speak")
    page.click("button:has-text('Send message')")
    assert "Message sent." in page.inner_text(".govuk-notification-banner")
    page.select_option("#close_outcome", "referred_externally")
    page.click("button:has-text('Close case')")
    assert "Report closed." in page.inner_text(".govuk-notification-banner")
    assert page.inner_text("#case-status") == "Closed"
    assert "ACCT opened" in page.inner_text("#case-timeline")
    assert_accessible(page)

    with services.db.transaction() as session:
        report = session.get(Report, urgent)
        assert report is not None
        kinds = [event.kind for event in report.events]
    assert kinds == [
        "received",
        "acknowledged",
        "external_referral",
        "referral_sent",
        "message_to_reporter",
        "closed",
    ]
