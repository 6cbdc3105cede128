"""The overflow check catches text cut off, spilling out of its box or past the screen's
edge, on a real kiosk screen, and passes the screen as it is."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.kiosk.browser.conftest import VIEWPORT, KioskBrowser
from tests.kiosk.browser.overflow import overflowing_text

pytestmark = pytest.mark.browser

LONG_WORD = "Gwrthwynebiadau"  # Welsh words are long, and a button does not hyphenate


def plant(page: Page, tag: str, text: str, style: dict[str, str]) -> None:
    """Add an element to the main content, styled through the CSSOM (the kiosk's content
    security policy forbids style attributes, not this)."""
    page.evaluate(
        """([tag, text, style]) => {
          const el = document.createElement(tag);
          el.className = 'planted';
          el.textContent = text;
          Object.assign(el.style, style);
          document.querySelector('main').append(el);
        }""",
        [tag, text, style],
    )


@pytest.fixture
def danger_screen(kiosk_browser: KioskBrowser) -> Page:
    page = kiosk_browser.page
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/report/danger']")
    page.wait_for_load_state("load")
    return page


def test_a_real_screen_has_no_overflow(danger_screen: Page) -> None:
    assert danger_screen.viewport_size == VIEWPORT
    assert overflowing_text(danger_screen) == []


def test_a_box_that_hides_what_overflows_clips_the_text(danger_screen: Page) -> None:
    plant(
        danger_screen,
        "div",
        f"{LONG_WORD} {LONG_WORD}",
        {"width": "120px", "overflow": "hidden", "whiteSpace": "nowrap"},
    )
    assert [(o.kind, o.element) for o in overflowing_text(danger_screen)] == [
        ("clipped by its box", "div.planted")
    ]


def test_a_word_wider_than_its_box_spills_out(danger_screen: Page) -> None:
    plant(danger_screen, "p", LONG_WORD * 2, {"width": "100px", "fontSize": "28px"})
    found = overflowing_text(danger_screen)
    assert [(o.kind, o.element) for o in found] == [("spills out of its box", "p.planted")]
    assert LONG_WORD in found[0].text


def test_words_that_wrap_below_a_fixed_height_button_spill_out(danger_screen: Page) -> None:
    sentence = "Ydych chi mewn perygl ar hyn o bryd? Rhowch y clustffonau ymlaen yn gyntaf."
    plant(
        danger_screen, "button", sentence, {"width": "200px", "height": "80px", "fontSize": "24px"}
    )
    assert [(o.kind, o.element) for o in overflowing_text(danger_screen)] == [
        ("spills out of its box", "button.planted")
    ]


def test_text_past_the_edge_of_the_screen_is_found(danger_screen: Page) -> None:
    plant(
        danger_screen,
        "span",
        "Leave now",
        {"position": "absolute", "insetInlineStart": "1220px", "whiteSpace": "nowrap"},
    )
    kinds = {o.kind for o in overflowing_text(danger_screen)}
    assert kinds == {"past the edge of the screen", "the page scrolls sideways"}


def test_text_hidden_on_purpose_for_screen_readers_is_not_overflow(danger_screen: Page) -> None:
    danger_screen.evaluate(
        """() => {
          const el = document.createElement('span');
          el.className = 'govuk-visually-hidden';
          el.textContent = 'A long sentence only a screen reader reads out, word by word.';
          document.querySelector('main').append(el);
        }"""
    )
    assert overflowing_text(danger_screen) == []
