"""In a real Chromium, checked with axe: the patterns page's heat maps beside their tables,
under the strict CSP, drawn at a readable size with the darkest cells' numbers in white."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.triage.conftest import StaffFactory
from tests.triage.test_browser import assert_accessible, live_url, page  # noqa: F401
from tests.triage.test_browser_quality import SMALLEST_CHART_LABEL
from tests.triage.test_browser_staff_reports import sign_in_as
from tests.triage.test_patterns import seeded  # noqa: F401

pytestmark = pytest.mark.browser


def test_the_patterns_page_is_accessible_and_readable(
    page: Any,  # noqa: F811
    services: Services,
    staff: StaffFactory,
    clock: FixedClock,
    seeded: None,  # noqa: F811
) -> None:
    sign_in_as(page, services, staff("lead"), clock)
    page.goto("/triage/patterns")
    assert page.is_visible("#heat-matrix") and page.is_visible("#table-matrix")
    box = page.locator("#heat-sexual").bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 100
    assert page.evaluate(SMALLEST_CHART_LABEL) >= 14
    hot = page.locator(".triage-heat--hot").first
    assert hot.evaluate("r => getComputedStyle(r).strokeWidth") == "3px"
    assert_accessible(page)
    page.click("text=Quality")  # the menu links the patterns page beside the dashboard
    page.click("nav >> text=Patterns")
    page.select_option("#weeks", "26")
    page.click("button:has-text('Show')")
    page.wait_for_url("**/triage/patterns?*weeks=26*")
    assert_accessible(page)
