"""In a real Chromium, checked with axe: the quality dashboard (SVG charts beside their
tables, under the strict CSP) and a practice audit from drawing to a recorded finding."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding import actions
from safeguarding.access import Role, StaffPrincipal
from safeguarding.actions import ActionContext
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.statutory import record_duty_to_notify
from storage.models import PracticeAuditCase, Report
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.test_browser import assert_accessible, live_url, page  # noqa: F401
from tests.triage.test_browser_staff_reports import sign_in_as

pytestmark = pytest.mark.browser

# The smallest chart label as drawn on screen: its font size times the SVG's scale.
SMALLEST_CHART_LABEL = """() => Math.min(...[...document.querySelectorAll('.triage-chart text')]
  .map(t => parseFloat(getComputedStyle(t).fontSize)
    * t.ownerSVGElement.getBoundingClientRect().width / t.ownerSVGElement.viewBox.baseVal.width))"""
# The Total and newest-month headers of each month table that lie outside its scrolling box.
HIDDEN_TO_THE_SIDE = """() => {
  const hidden = [];
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth) {
    hidden.push('the page');
  }
  for (const box of document.querySelectorAll('.triage-scroll')) {
    const edge = box.getBoundingClientRect().right;
    const heads = [...box.querySelectorAll('thead th')].slice(0, 2);
    for (const th of heads) if (th.getBoundingClientRect().right > edge + 1) {
      hidden.push(th.textContent.trim());
    }
  }
  return hidden;
}"""


def test_the_dashboard_and_a_practice_audit(
    page: Any,  # noqa: F811
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    lead = staff("lead")
    for concerns in (["bullied"], ["hurting_myself"], ["made_to_work"], ["staff_bad"]):
        report_id = submit(services, establishment, concerns=concerns).report_id
        with services.db.transaction() as session:
            principal = StaffPrincipal(lead.id, Role.LEAD, frozenset({establishment}))
            ctx = ActionContext(session, principal, services.clock, services.secrets.vault)
            report = session.get(Report, report_id)
            assert report is not None
            if report.acct_prompted or report.self_harm_risk:  # closing needs the decision
                actions.record_referral(
                    ctx, report, agency="acct", decision="met", reason="Opened on the wing."
                )
            if report.duty_to_notify_prompted:  # and the duty-to-notify decision
                record_duty_to_notify(
                    ctx, report, route="ms1", consent="refused", ms1_notified_on=clock.now().date()
                )
            actions.close(ctx, report, outcome="resolved_internally")
    sign_in_as(page, services, lead, clock)

    page.goto("/triage/quality")
    assert page.is_visible("#chart-reports")
    assert page.is_visible("#table-category")
    # The chart is drawn with real size (the CSS applied), not collapsed to nothing.
    box = page.locator("#chart-category").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 50
    assert page.viewport_size is not None and page.viewport_size["width"] == 1280
    assert page.evaluate(SMALLEST_CHART_LABEL) >= 14
    # This month (the newest, the only one with reports) and the total are on screen
    # without scrolling the table sideways; the page itself never scrolls sideways.
    assert page.evaluate(HIDDEN_TO_THE_SIDE) == []
    assert_accessible(page)

    page.click("text=Practice audits")
    assert_accessible(page)
    page.fill("#size", "2")
    page.click("button:has-text('Draw cases at random')")
    page.wait_for_url("**/triage/quality/audits/*")
    assert_accessible(page)
    first = page.locator("section[id^='case-']").first
    first.locator("input[value='no']").first.check()
    for question in (
        "threshold_recorded", "reporter_informed", "record_complete", "wishes_sought",
        "capacity_considered", "consent_respected", "statutory_duties_met",
    ):  # fmt: skip
        first.locator(f"input[name='{question}'][value='yes']").check()
    first.locator("input[name='outcome'][value='good']").check()
    first.locator("button:has-text('Save finding')").click()
    assert "Finding saved." in page.inner_text(".govuk-notification-banner")
    assert_accessible(page)
    with services.db.transaction() as session:
        outcomes = [c.outcome for c in session.query(PracticeAuditCase).order_by("position")]
    assert outcomes == ["good", None]
