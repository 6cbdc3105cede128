"""After triage, in a real Chromium with axe on each page: the lead records the CCTV as
secured on an assault report, gives a deputy a healthcare review, writes the protection
plan; the deputy finds both on "Your work" (issues 15.4 and 15.5)."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, next_code
from tests.triage.test_browser import assert_accessible, live_url, page  # noqa: F401

pytestmark = pytest.mark.browser


def sign_in(page: Any, login: StaffLogin, clock: FixedClock) -> None:  # noqa: F811
    page.goto("/triage/sign-in")
    page.fill("#email", login.email)
    page.fill("#password", login.password)
    page.fill("#code", next_code(login, clock))
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/triage/queue")


def banner(page: Any) -> str:  # noqa: F811
    return str(page.inner_text(".govuk-notification-banner"))


def test_the_lead_secures_evidence_gives_a_task_and_writes_the_plan(
    page: Any,  # noqa: F811
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    report_id = submit(services, establishment, concerns=["hurting_me"]).report_id
    lead, deputy = staff("lead"), staff("deputy")
    sign_in(page, lead, clock)
    assert "Secure evidence by" in page.inner_text("#queue-table")
    page.goto(f"/triage/reports/{report_id}")
    assert "Photographs of injuries" in page.inner_text("#evidence-table")
    assert_accessible(page)

    page.select_option("#evidence_task", label="CCTV and body-worn video")
    page.check("#evidence_outcome-secured")
    page.click("button:has-text('Record evidence')")
    assert "Evidence recorded." in banner(page)
    assert "Secured" in page.inner_text("#evidence-table")

    page.select_option("#task_kind", "healthcare_review")
    page.select_option("#task_owner", str(deputy.id))
    page.fill("#task_due_on", "2026-11-30")
    page.click("button:has-text('Add task')")
    assert "Task added." in banner(page)

    page.fill("#plan_text", "Welfare checks twice a day; healthcare sees him on Monday.")
    page.select_option("#plan_owner", str(deputy.id))
    page.fill("#plan_review_on", "2026-12-05")
    page.click("button:has-text('Save plan')")
    assert "Protection plan saved." in banner(page)
    assert "2026-12-05" in page.inner_text("#plan-summary")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, deputy, clock)
    page.click("a:has-text('Your work')")
    page.wait_for_url("**/triage/my-work")
    assert "Healthcare review" in page.inner_text("#my-tasks")
    assert "2026-12-05" in page.inner_text("#my-plans")
    assert_accessible(page)
