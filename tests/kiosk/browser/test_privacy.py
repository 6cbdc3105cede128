"""Quick exit and timeout in Chromium: the screen blanks, Back shows nothing, the draft is gone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from safeguarding.drafts import WARNING_SECONDS
from safeguarding.services import Services
from storage.models import KioskDraft
from tests.kiosk.browser.conftest import LISTEN_TIMEOUT_MS, KioskBrowser

pytestmark = pytest.mark.browser

SECRET = "He said he will hurt me if I tell."
IDLE_MS = 90 * 1000


def count_drafts(services: Services) -> int:
    with services.db.transaction() as session:
        return session.scalar(select(func.count(KioskDraft.id))) or 0


def part_way(kiosk: KioskBrowser) -> None:
    """Answer up to "more", and type something there without sending it yet."""
    page = kiosk.page
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/report/danger']")
    page.click("main button[name=answer][value='yes']")
    page.check("input[value=threatening_me]")
    page.click("main form .kiosk-button--primary")
    for value in ("no", "me", "not_sure", "elsewhere", "today"):
        page.click(f"main button[name=answer][value='{value}']")
    page.fill("#details", SECRET)
    page.wait_for_load_state("load")  # kiosk.js is listening from here on


def assert_back_shows_nothing(kiosk: KioskBrowser) -> None:
    page = kiosk.page
    for _ in range(4):
        page.go_back()
        page.wait_for_load_state("load")
        content = page.content()
        assert SECRET not in content
        assert "kiosk-choice--chosen" not in content
        for field in page.locator("textarea, input[type=text]").all():
            assert field.input_value() == ""
        for box in page.locator("input[type=checkbox]").all():
            assert not box.is_checked()


def test_quick_exit_blanks_the_screen_and_leaves_nothing(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    page = kiosk_browser.page
    part_way(kiosk_browser)
    assert count_drafts(services) == 1
    page.click("[data-quick-exit]")
    page.wait_for_url("**/kiosk/ready")
    assert count_drafts(services) == 0
    cookies = page.context.cookies(kiosk_browser.url("/kiosk/"))
    assert "kiosk_session" not in {cookie["name"] for cookie in cookies}
    assert "kiosk_device" in {cookie["name"] for cookie in cookies}  # still the kiosk
    assert_back_shows_nothing(kiosk_browser)
    assert count_drafts(services) == 0


def test_shift_three_times_is_the_quick_exit_shortcut(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    page = kiosk_browser.page
    part_way(kiosk_browser)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/kiosk/ready")
    assert count_drafts(services) == 0
    assert_back_shows_nothing(kiosk_browser)


def test_a_quiet_screen_warns_then_wipes_everything(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    page = kiosk_browser.page
    part_way(kiosk_browser)
    warning = page.locator("#kiosk-warning")
    for attempt in range(10):  # "I need more time", as often as a person needs it
        page.clock.run_for(IDLE_MS + 1000)
        assert warning.is_visible(), (attempt, page.url)
        box = page.locator("[data-more-time]").bounding_box()
        assert box is not None and box["height"] >= 48 and box["width"] >= 48
        page.click("[data-more-time]")
        assert not warning.is_visible()
    assert page.input_value("#details") == SECRET
    assert count_drafts(services) == 1
    page.clock.run_for(IDLE_MS + 1000)
    assert warning.is_visible()
    page.clock.run_for((WARNING_SECONDS - 1) * 1000)
    assert page.url.endswith("/kiosk/report/more")  # still at least 20 s to answer
    page.clock.run_for(2000)
    page.wait_for_url("**/kiosk/ready")
    assert count_drafts(services) == 0
    assert_back_shows_nothing(kiosk_browser)


def test_touching_the_screen_puts_off_the_warning(kiosk_browser: KioskBrowser) -> None:
    page = kiosk_browser.page
    part_way(kiosk_browser)
    page.clock.run_for(IDLE_MS - 10_000)
    page.click("#details")
    page.clock.run_for(IDLE_MS - 10_000)
    assert not page.locator("#kiosk-warning").is_visible()
    page.clock.run_for(11_000)
    assert page.locator("#kiosk-warning").is_visible()


def test_the_first_listen_asks_for_headphones_and_then_plays(
    kiosk_browser: KioskBrowser,
) -> None:
    page = kiosk_browser.page
    page.click("button[name=language][value=en]")
    page.click(".kiosk-listen")
    assert page.locator("#kiosk-headphones").is_visible()
    with page.expect_response("**/kiosk/listen/menu", timeout=LISTEN_TIMEOUT_MS) as heard:
        page.click("[data-headphones-ok]")
    assert heard.value.status == 200
    assert heard.value.headers["content-type"] == "audio/wav"
    page.click("a[href='/kiosk/report/danger']")
    with page.expect_response("**/kiosk/listen/danger", timeout=LISTEN_TIMEOUT_MS):
        page.click(".kiosk-listen")  # no second question once headphones are on
    assert not page.locator("#kiosk-headphones").is_visible()
