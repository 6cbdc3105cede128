"""How many taps someone in danger needs at the kiosk, from the start screen to "sent".

Measured in Chromium with the shortest honest answers (one concern, nothing typed,
anonymous). The bound fails the test when a new question lengthens the danger journey, so
the change has to be argued for (and docs/kiosk.md, "Journey for someone in danger",
updated). The phone's figures are in tests/ivr/test_danger_journey.py.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from safeguarding.services import Services
from storage.models import Report
from tests.kiosk.browser.conftest import KioskBrowser
from tests.kiosk.browser.tour import CONTINUE

pytestmark = pytest.mark.browser

# Measured 2026-12-05: 13 taps for "I am in danger" and for "someone else is in danger"
# answering every question; 4 with "Send now" straight after the danger answer.
MAX_TAPS = 13
MAX_TAPS_SENDING_NOW = 4


class Taps:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def tap(self, selector: str) -> None:
        self.page.click(selector)
        self.count += 1

    def choose(self, value: str) -> None:
        self.tap(f"main button[name=answer][value='{value}']")


def shortest_journey(kiosk: KioskBrowser, *, danger: str, who: str, concern: str) -> int:
    taps = Taps(kiosk.page)
    taps.tap("button[name=language][value=en]")
    taps.tap("a[href='/kiosk/report/danger']")
    taps.choose(danger)
    taps.tap(f"input[value={concern}]")
    taps.tap(CONTINUE)
    for value in ("no", who, "not_sure", "elsewhere", "today"):
        taps.choose(value)  # hurt, who, staff, where, when
    taps.tap(CONTINUE)  # "Tell us more": nothing typed
    taps.choose("anonymous")
    taps.tap(".kiosk-send")
    kiosk.page.wait_for_url("**/kiosk/report/sent")
    return taps.count


def send_now_journey(kiosk: KioskBrowser, *, danger: str) -> tuple[int, float]:
    """Language, "report", the danger answer, then "Send now" in the top bar: taps and the
    seconds the screens took in Chromium (the person's own reading time is extra)."""
    started = time.monotonic()
    taps = Taps(kiosk.page)
    taps.tap("button[name=language][value=en]")
    taps.tap("a[href='/kiosk/report/danger']")
    taps.choose(danger)
    taps.tap(".kiosk-send-now")
    kiosk.page.wait_for_url("**/kiosk/report/sent")
    return taps.count, time.monotonic() - started


def the_report(services: Services) -> Report:
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        _ = report.answers  # loaded before the session closes
        return report


def test_a_prisoner_in_danger_reaches_sent_within_the_bound(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    taps = shortest_journey(kiosk_browser, danger="yes", who="me", concern="threatening_me")
    print(f"kiosk, I am in danger: {taps} taps from the start screen to sent")
    assert taps <= MAX_TAPS
    report = the_report(services)
    assert report.in_danger_now and report.priority == "immediate"


def test_a_witness_reaches_sent_within_the_bound(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    taps = shortest_journey(
        kiosk_browser, danger="someone_else", who="someone_else", concern="worried_someone_else"
    )
    print(f"kiosk, someone else is in danger: {taps} taps from the start screen to sent")
    assert taps <= MAX_TAPS
    report = the_report(services)
    assert report.someone_else_in_danger_now and report.priority == "immediate"


@pytest.mark.parametrize("danger", ["yes", "someone_else"])
def test_send_now_reaches_sent_in_four_taps_with_a_code(
    kiosk_browser: KioskBrowser, services: Services, danger: str
) -> None:
    taps, seconds = send_now_journey(kiosk_browser, danger=danger)
    print(f"kiosk, {danger}, Send now: {taps} taps and {seconds:.1f} s of screens to sent")
    assert taps <= MAX_TAPS_SENDING_NOW
    code = kiosk_browser.page.locator(".kiosk-code__group").all_inner_texts()
    assert len("".join(code)) == 12
    report = the_report(services)
    assert report.priority == "immediate"
    assert (report.in_danger_now, report.someone_else_in_danger_now) == (
        danger == "yes",
        danger == "someone_else",
    )


def test_send_now_stays_in_reach_at_the_bottom_of_a_long_screen(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    page = kiosk_browser.page
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/report/danger']")
    page.click("main button[name=answer][value='yes']")
    page.check("input[value=threatening_me]")
    page.mouse.wheel(0, 3000)
    box = page.locator(".kiosk-send-now").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 1024
    page.click(".kiosk-send-now")  # what is ticked on the screen goes with it
    page.wait_for_url("**/kiosk/report/sent")
    report = the_report(services)
    assert [a.answer for a in report.answers if a.question == "concern"] == ["threatening_me"]


def test_enter_on_a_ticked_choice_goes_on_and_does_not_send(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    """A keyboard (or switch) user presses Enter: the form's first button is pressed, and
    that must be Continue, not the Send now that comes first on the page."""
    page = kiosk_browser.page
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/report/danger']")
    page.click("main button[name=answer][value='yes']")
    page.focus("input[value=threatening_me]")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/report/hurt")
    with services.db.transaction() as session:
        assert session.scalars(select(Report.id)).all() == []
