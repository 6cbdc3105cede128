"""'Are you safe now?' by pictures alone, in Chromium (issue 15.5).

Coming back with the code while a retaliation check-in is due, the question comes before
the report's status. The "not safe" picture is danger: the tap saves it, so Leave now at
once still leaves the report immediate and the on-call chain paged. The skip picture goes
straight on to the report, where adding information is as before.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import OutboxMessage, Report, RetaliationCheckIn
from tests.factories import submit
from tests.kiosk.browser.conftest import KioskBrowser
from tests.kiosk.browser.test_wishes import picture

pytestmark = pytest.mark.browser


def come_back(page: Page, code: str) -> None:
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/code']")
    page.fill("#code", code)
    page.click("button[name=key][value=check]")


def test_not_safe_by_picture_then_leave_now_keeps_it_urgent(
    kiosk_browser: KioskBrowser, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    receipt = submit(services, establishment_id, concerns=["hurting_me"])
    clock.advance(timedelta(days=31))
    page = kiosk_browser.page
    come_back(page, receipt.code)
    page.wait_for_url("**/kiosk/code/safe-now")
    expect(page.locator("main img[src*='/icons/person-not-saying.svg']")).to_have_count(1)
    picture(page, "safer-no")
    expect(page.locator(".kiosk-urgent")).to_be_visible()
    page.click("[data-quick-exit]")
    page.wait_for_url("**/kiosk/ready")
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None and report.priority == "immediate"
        first = session.scalars(
            select(RetaliationCheckIn).where(RetaliationCheckIn.number == 1)
        ).one()
        assert (first.reporter_answer, first.outcome) == ("no", "not_safe")
        pages = session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.kind == "alert.new_report")
        ).all()
        assert len(pages) == 2  # the report, and this "not safe"


def test_the_skip_picture_goes_on_to_the_report_and_adding_to_it(
    kiosk_browser: KioskBrowser, services: Services, establishment_id: int, clock: FixedClock
) -> None:
    receipt = submit(services, establishment_id, concerns=["hurting_me"])
    clock.advance(timedelta(days=31))
    page = kiosk_browser.page
    come_back(page, receipt.code)
    page.wait_for_url("**/kiosk/code/safe-now")
    picture(page, "skip")
    page.wait_for_url("**/kiosk/code/report")
    picture(page, "more")
    page.wait_for_url("**/kiosk/code/add")
