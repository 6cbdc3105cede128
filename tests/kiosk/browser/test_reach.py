"""The way out is always in reach, and nothing a person must answer hides below the fold:
every kiosk screen, every language, at the kiosk's own 1280 x 1024 (issue 21)."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from playwright.sync_api import Browser, Page

from safeguarding.services import Services
from tests.factories import new_establishment
from tests.kiosk.browser.conftest import KioskBrowser, open_kiosk
from tests.kiosk.browser.reach import Reach, reach
from tests.kiosk.browser.tour import CONTINUE, finish, followup_screens, report_screens
from tests.kiosk.failures import BrokenWrites
from translations.languages import offerable_languages

pytestmark = pytest.mark.browser

DIALOGS = {"headphones", "warning"}  # a modal dialog covers the page on purpose
# Screens where every choice and the button that goes on must fit without scrolling. An
# error message, "check your answers" and the long Sent screen may go on below the fold,
# and then must say so ("There is more below").
MUST_FIT = {"start", "menu", "danger", "what", "who", "staff", "where", "when", "more"}
MUST_FIT |= {"contact", "identity", "code", "add"}
# The two buttons on "Your report": top, width and height of each, rounded.
PAIR = """() => [...document.querySelectorAll('.kiosk-actions--pair .kiosk-button')]
  .map(b => b.getBoundingClientRect()).map(r => [r.top, r.width, r.height].map(Math.round))"""
EVERY_SCREEN = 21  # the tour's screens without its two dialogs


def problems(screen: str, measured: Reach) -> list[str]:
    found = [f"out of reach after scrolling: {lost}" for lost in measured.lost]
    if measured.exits == 0 and screen != "start":  # the start screen has no session yet
        found.append("no Leave now")
    if screen in MUST_FIT:
        found += [f"below the fold: {below}" for below in measured.below_the_fold]
    if measured.content_below and not measured.cue_shown:
        found.append("part of the screen is below the fold and nothing says so")
    if measured.cue_shown and not measured.content_below:
        found.append("says there is more below, but nothing is")
    return found


@pytest.mark.parametrize("language", offerable_languages())
def test_leave_now_stays_in_reach_and_every_choice_fits_the_screen(
    browser: Browser,
    live_server: str,
    services: Services,
    database_kind: str,
    language: str,
) -> None:
    """Each screen is loaded once; one script scrolls it to its end in steps, finding Leave
    now (and Listen) in reach at every position, then finds every choice and Continue."""
    every_language = new_establishment(services, languages=",".join(offerable_languages()))
    kiosk = open_kiosk(browser, live_server, services, every_language)
    found: dict[str, list[str]] = {}
    measured: dict[str, Reach] = {}
    pairs: dict[str, list[list[float]]] = {}

    def check(screen: str) -> None:
        if screen in DIALOGS:
            return
        measured[screen] = reach(kiosk.page)
        if trouble := problems(screen, measured[screen]):
            found[screen] = trouble
        if screen == "status":
            pairs[language] = kiosk.page.evaluate(PAIR)

    failure = BrokenWrites(services, database_kind)
    code = report_screens(kiosk, check, language=language, failure=failure)
    finish(kiosk)
    followup_screens(kiosk, code, check, language)
    kiosk.context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    assert len(measured) == EVERY_SCREEN
    (add, end) = pairs[language]  # "Your report": the two buttons the same size, in line
    assert add == end, pairs
    assert measured["what"].wanted == 16  # 15 choices and Continue: the check saw them
    assert measured["check"].content_below and measured["check"].cue_shown  # the cue works
    assert not measured["what"].cue_shown  # all fits: the strip does not cry wolf
    assert all(m.exits == 2 for name, m in measured.items() if name != "start"), {
        name: asdict(m) for name, m in measured.items()
    }


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
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.className"))
    assert "govuk-skip-link" in order[0]
    assert "kiosk-back" in order[1]
    assert "kiosk-listen" in order[2]
    assert "kiosk-exit" in order[3]
    page.focus(".govuk-skip-link")  # not Shift+Tab three times: that is the quick exit
    page.keyboard.press("Enter")  # the skip link: the next Tab goes to the question
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
