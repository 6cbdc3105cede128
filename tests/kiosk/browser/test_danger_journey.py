"""How many taps someone in danger needs at the kiosk, from the start screen to "sent".

Measured in Chromium with the shortest honest answers (one concern, nothing typed,
anonymous). The bound fails the test when a new question lengthens the danger journey, so
the change has to be argued for (and docs/kiosk.md, "Journey for someone in danger",
updated). The phone's figures are in tests/ivr/test_danger_journey.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from safeguarding.services import Services
from storage.models import Report
from tests.kiosk.browser.conftest import KioskBrowser
from tests.kiosk.browser.tour import CONTINUE

pytestmark = pytest.mark.browser

# Measured 2026-12-05: 13 taps for "I am in danger" and for "someone else is in danger".
MAX_TAPS = 13


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


def the_report(services: Services) -> Report:
    with services.db.transaction() as session:
        return session.scalars(select(Report)).one()


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
