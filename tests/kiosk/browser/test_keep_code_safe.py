"""Keeping a code safe with four pictures, by touch, in Chromium (issue 17.3).

Given a report just sent, when the person touches "Keep your code safe", then four
pictures (each said through the headphones as it is touched) and Save, then coming back
with the code alone shows only "This code needs its 4 pictures", and touching the same
four opens the report. Leave now on the grid leaves nothing behind.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from safeguarding.services import Services
from tests.kiosk.browser.conftest import KioskBrowser, open_kiosk
from tests.kiosk.browser.tour import code_shown, finish

pytestmark = pytest.mark.browser

PICTURES = ("tree", "cup", "fish", "tree")


def send_a_report(kiosk: KioskBrowser) -> str:
    """The shortest report (in danger, Send now), up to Sent; returns the code shown."""
    page = kiosk.page
    page.goto(kiosk.url("/kiosk/"))
    page.tap("button[name=language][value=en]")
    page.tap("a[href='/kiosk/report/danger']")
    page.tap("main button[name=answer][value='yes']")
    page.tap(".kiosk-send-now")
    page.wait_for_url("**/kiosk/report/sent")
    return code_shown(page)


def tap_pictures(kiosk: KioskBrowser, pictures: tuple[str, ...]) -> None:
    page = kiosk.page
    # kiosk.js is deferred: a touch before it runs is a plain form post, which keeps the
    # picture but says nothing (under load in CI the first picture went unsaid).
    expect(page.locator("html.kiosk-js")).to_have_count(1)
    for count, picture in enumerate(pictures, start=1):
        page.tap(f"main [data-keep-key='{picture}']")
        expect(page.locator("[data-keep-chosen] img")).to_have_count(count)


@pytest.fixture
def touch_kiosk(
    browser: Browser, live_server: str, services: Services, establishment_id: int
) -> KioskBrowser:
    return open_kiosk(browser, live_server, services, establishment_id, has_touch=True)


def test_four_pictures_chosen_by_touch_keep_the_code_safe(touch_kiosk: KioskBrowser) -> None:
    kiosk = touch_kiosk
    page = kiosk.page
    code = send_a_report(kiosk)
    said: list[str] = []
    page.on("request", lambda request: said.append(request.url.rsplit("/", 1)[-1]))
    page.evaluate("window.sessionStorage.setItem('kiosk-headphones', 'yes')")
    page.tap("main a[href='/kiosk/report/keep']")
    page.tap("main a[href='/kiosk/report/keep/pictures']")
    tap_pictures(kiosk, PICTURES)
    assert [name for name in said if name.startswith("picture-") and "." not in name] == [
        f"picture-{picture}" for picture in PICTURES
    ]  # each said as it is touched
    expect(page.locator("main [data-keep-key]:disabled")).to_have_count(16)  # four is all
    page.tap("main button[name=key][value=save]")
    page.wait_for_url("**/kiosk/report/kept")
    finish(kiosk)

    page.tap("button[name=language][value=en]")
    page.tap("a[href='/kiosk/code']")
    page.fill("#code", code)
    page.tap("button[name=key][value=check]")
    page.wait_for_url("**/kiosk/code/secret")
    expect(page.locator("h1")).to_have_text("This code needs its 4 pictures.")
    assert "Your report" not in page.inner_text("main")
    tap_pictures(kiosk, PICTURES)
    page.tap("main button[name=key][value=check]")
    page.wait_for_url("**/kiosk/code/report")
    expect(page.locator("h1")).to_have_text("Your report")


def test_leave_now_on_the_grid_leaves_nothing(touch_kiosk: KioskBrowser) -> None:
    kiosk = touch_kiosk
    page = kiosk.page
    send_a_report(kiosk)
    page.tap("main a[href='/kiosk/report/keep']")
    page.tap("main a[href='/kiosk/report/keep/pictures']")
    tap_pictures(kiosk, PICTURES[:2])
    page.tap("[data-quick-exit]")
    page.wait_for_url("**/kiosk/ready")
    assert page.locator("[data-keep-chosen]").count() == 0
    page.go_back()
    page.wait_for_load_state("load")
    # The turn is over: the grid and what was touched on it are gone with the draft.
    assert page.locator("[data-keep-chosen] img").count() == 0
