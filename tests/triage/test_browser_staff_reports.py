"""In a real Chromium: a lead enters a report told in person, and prints the slip.

axe checks the form and the slip; print media shows the slip alone (no header, menu or
staff-only text), with the code big enough to read across a cell.
"""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.clock import FixedClock
from safeguarding.codes import is_valid
from safeguarding.services import Services
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import STAFF_COOKIE, session_token_for
from tests.triage.test_browser import assert_accessible, live_url, page  # noqa: F401

pytestmark = pytest.mark.browser


def sign_in_as(page: Any, services: Services, login: Any, clock: FixedClock) -> None:  # noqa: F811
    """A session cookie made the real way (password and TOTP), put in the browser."""
    token = session_token_for(services, login, clock)
    page.goto("/triage/sign-in")
    origin = page.evaluate("() => location.origin")
    page.context.add_cookies([{"name": STAFF_COOKIE, "value": token, "url": origin}])


def test_the_lead_enters_a_report_and_prints_the_slip(
    page: Any,  # noqa: F811
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    sign_in_as(page, services, staff("lead"), clock)
    page.goto("/triage/reports/new")
    assert_accessible(page)
    page.check("#channel-in_person")
    page.check("#concerns-hurting_myself")
    page.check("#in_danger_now-yes")
    page.check("#staff_involved-no")
    page.check("#about_someone_else-no")
    page.check("#injured-no")
    page.check("#where-elsewhere")
    page.check("#when_happened-today")
    page.fill("#details", "Told the chaplain he has a plan to end his life tonight.")
    page.click("button:has-text('Send the report and show the slip')")
    page.wait_for_selector("#slip-code")
    code = page.inner_text("#slip-code").replace(" ", "").replace("\n", "")
    assert is_valid(code)
    assert code not in page.url
    assert page.is_visible("#slip-urgent")
    # The module script shows the print button once it has run (it may run after load).
    page.wait_for_selector("button[data-triage-print]", state="visible", timeout=5000)
    assert_accessible(page)

    page.emulate_media(media="print")
    assert page.is_visible("#slip-code")
    for hidden in (".moj-header", ".govuk-footer", "#entered-heading", "#enter-another"):
        assert not page.is_visible(hidden), hidden
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('#slip-code')).fontSize)"
    )
    assert size >= 48  # 40pt: readable at arm's length
