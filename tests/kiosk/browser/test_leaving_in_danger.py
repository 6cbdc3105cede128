"""In Chromium: "I am in danger", then Leave now (or the screen clears itself): the screen
blanks exactly as always, Back shows nothing, and the report is filed and the chain paged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from safeguarding.draft_leaving import LEFT_BEFORE_SENDING_KIND
from safeguarding.drafts import WARNING_SECONDS
from safeguarding.services import Services
from storage.models import OutboxMessage, Report
from tests.kiosk.browser.conftest import KioskBrowser
from tests.kiosk.browser.test_privacy import IDLE_MS, count_drafts

pytestmark = pytest.mark.browser

TYPED = "He said he will hurt me tonight."


def filed(services: Services) -> list[tuple[bool, bool, str, list[str]]]:
    with services.db.transaction() as session:
        return [
            (r.in_danger_now, r.someone_else_in_danger_now, r.priority, [e.kind for e in r.events])
            for r in session.scalars(select(Report))
        ]


def alerts(services: Services) -> list[str]:
    with services.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage.kind)))


def answer_danger(kiosk: KioskBrowser, value: str) -> None:
    page = kiosk.page
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/report/danger']")
    page.click(f"main button[name=answer][value='{value}']")
    page.wait_for_url("**/kiosk/report/what")
    page.wait_for_load_state("load")


def assert_the_officer_sees_nothing(kiosk: KioskBrowser) -> None:
    """Whoever walks up next: the neutral screen, and Back shows no answer and no code."""
    page = kiosk.page
    assert page.locator("h1").inner_text() == "Touch here to start."
    for _ in range(4):
        page.go_back()
        page.wait_for_load_state("load")
        content = page.content()
        for telltale in (TYPED, "kiosk-choice--chosen", "kiosk-code", "in danger"):
            assert telltale not in content
        for box in page.locator("input[type=checkbox]").all():
            assert not box.is_checked()


def test_a_prisoner_in_danger_taps_leave_now_and_the_report_is_still_made(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    answer_danger(kiosk_browser, "yes")
    page = kiosk_browser.page
    page.check("input[value=threatening_me]")  # started to say what, then someone came
    page.click("[data-quick-exit]")
    page.wait_for_url("**/kiosk/ready")
    assert filed(services) == [(True, False, "immediate", ["received", LEFT_BEFORE_SENDING_KIND])]
    assert alerts(services) == ["alert.new_report"]
    assert count_drafts(services) == 0
    assert_the_officer_sees_nothing(kiosk_browser)


def test_shift_three_times_twice_still_files_one_report(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    answer_danger(kiosk_browser, "yes")
    page = kiosk_browser.page
    for _ in range(6):  # a panicked hand
        page.keyboard.press("Shift")
    page.wait_for_url("**/kiosk/ready")
    page.goto(kiosk_browser.url("/kiosk/ready"))
    assert len(filed(services)) == 1
    assert alerts(services) == ["alert.new_report"]


def test_a_witness_walks_away_and_the_idle_wipe_files_someone_else_in_danger(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    answer_danger(kiosk_browser, "someone_else")
    page = kiosk_browser.page
    page.clock.run_for(IDLE_MS + 1000)
    assert page.locator("#kiosk-warning").is_visible()
    page.clock.run_for((WARNING_SECONDS + 1) * 1000)
    page.wait_for_url("**/kiosk/ready")
    assert filed(services) == [(False, True, "immediate", ["received", LEFT_BEFORE_SENDING_KIND])]
    assert alerts(services) == ["alert.new_report"]
    assert_the_officer_sees_nothing(kiosk_browser)


def test_nobody_in_danger_and_leave_now_keeps_nothing(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    answer_danger(kiosk_browser, "no")
    kiosk_browser.page.click("[data-quick-exit]")
    kiosk_browser.page.wait_for_url("**/kiosk/ready")
    assert filed(services) == [] and alerts(services) == [] and count_drafts(services) == 0
    assert_the_officer_sees_nothing(kiosk_browser)
