"""The way out is always in reach at the kiosk's own 1280 x 1024 (issue 21).

Every screen in every language is measured in the walk of tests/kiosk/browser/test_screens.py
(with tests.kiosk.browser.reach), so each language's screens are loaded once for all checks;
these are the checks of particular moments."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.kiosk.browser.conftest import KioskBrowser
from tests.kiosk.browser.tour import CONTINUE

pytestmark = pytest.mark.browser


def what_is_happening(kiosk: KioskBrowser) -> Page:
    page = kiosk.page
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/report/danger']")
    page.click("main button[name=answer][value=yes]")
    page.wait_for_url("**/kiosk/report/what")
    page.click(CONTINUE)  # nothing chosen: the error makes the screen longer than 1024 px
    page.wait_for_load_state("load")
    return page


def test_leave_now_works_from_the_end_of_a_long_screen(kiosk_browser: KioskBrowser) -> None:
    page = what_is_happening(kiosk_browser)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 0
    page.click("[data-quick-exit]")  # a real click: nothing lies over it, no scrolling back
    page.wait_for_url("**/kiosk/ready")


def test_a_control_that_gets_focus_is_not_hidden_behind_the_top_bar(
    kiosk_browser: KioskBrowser,
) -> None:
    page = what_is_happening(kiosk_browser)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.focus("#answer-1")  # the browser scrolls back up to the first choice
    bar_bottom = page.evaluate(
        "document.querySelector('.kiosk-bar').getBoundingClientRect().bottom"
    )
    card_top = page.evaluate("document.querySelector('#answer-1').getBoundingClientRect().top")
    assert card_top >= bar_bottom


def test_the_skip_link_comes_first_and_then_the_way_out(kiosk_browser: KioskBrowser) -> None:
    page = what_is_happening(kiosk_browser)
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.className"))
    assert "govuk-skip-link" in order[0]
    assert "kiosk-back" in order[1]
    assert "kiosk-send-now" in order[2]  # this person said they are in danger
    assert "kiosk-listen" in order[3]
    assert "kiosk-exit" in order[4]
    page.focus(".govuk-skip-link")  # not Shift+Tab three times: that is the quick exit
    page.keyboard.press("Enter")  # the skip link: the next Tab goes to the question
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
