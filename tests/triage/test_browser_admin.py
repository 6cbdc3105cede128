"""In a real Chromium, checked with axe: an administrator sets languages, adds a wing,
registers a kiosk (its link shown once) and puts someone on call."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.triage.conftest import StaffFactory
from tests.triage.test_browser import assert_accessible, live_url, page  # noqa: F401
from tests.triage.test_browser_staff_reports import sign_in_as

pytestmark = pytest.mark.browser


def test_an_administrator_sets_up_an_establishment(
    page: Any,  # noqa: F811
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    sign_in_as(page, services, staff("admin"), clock)
    page.goto("/triage/admin/establishments")
    assert_accessible(page)
    page.click("#establishments-table a")
    assert_accessible(page)
    page.check("#language-cy")
    page.fill("#order-cy", "1")
    page.click("button:has-text('Save settings')")
    assert "Settings saved." in page.inner_text(".govuk-notification-banner")
    page.fill("#location_name", "Segregation unit")
    page.click("button:has-text('Add place')")
    assert "Segregation unit" in page.inner_text("#locations-table")
    assert_accessible(page)

    page.click("text=Kiosks and phone lines")
    page.fill("#kiosk_label", "CSU kiosk")
    page.click("button:has-text('Register and make a link')")
    assert "/kiosk/enrol/" in page.inner_text("#enrolment-url")
    assert_accessible(page)

    page.click("text=On-call chain")
    page.select_option("#role", "duty_governor")
    page.fill("#display_name", "Gov Duty")
    page.fill("#phone", "+447700900123")
    page.click("button:has-text('Add to the chain')")
    assert "Gov Duty" in page.inner_text("#oncall-table")
    assert_accessible(page)
