"""The overflow check catches text cut off, spilling out of its box or past the screen's
edge, on a real kiosk screen, and passes the screen as it is."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.kiosk.browser.conftest import VIEWPORT, KioskBrowser
from tests.kiosk.browser.overflow import overflowing_text

pytestmark = pytest.mark.browser

LONG_WORD = "Gwrthwynebiadau"  # Welsh words are long, and a button does not hyphenate


def plant(page: Page, name: str, tag: str, text: str, style: dict[str, str]) -> None:
    """Add an element to the main content, styled through the CSSOM (the kiosk's content
    security policy forbids style attributes, not this)."""
    page.evaluate(
        """([name, tag, text, style]) => {
          const el = document.createElement(tag);
          el.className = name;
          el.textContent = text;
          Object.assign(el.style, style);
          document.querySelector('main').append(el);
        }""",
        [name, tag, text, style],
    )


@pytest.fixture
def danger_screen(kiosk_browser: KioskBrowser) -> Page:
    page = kiosk_browser.page
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/report/danger']")
    page.wait_for_load_state("load")
    return page


def test_each_kind_of_overflow_is_found_on_a_real_screen_and_nothing_else(
    danger_screen: Page,
) -> None:
    page = danger_screen
    assert page.viewport_size == VIEWPORT
    assert overflowing_text(page) == []
    hides = {"width": "120px", "overflow": "hidden", "whiteSpace": "nowrap"}
    plant(page, "clipped", "div", f"{LONG_WORD} {LONG_WORD}", hides)
    plant(page, "long-word", "p", LONG_WORD * 2, {"width": "100px", "fontSize": "28px"})
    sentence = "Ydych chi mewn perygl ar hyn o bryd? Rhowch y clustffonau ymlaen yn gyntaf."
    squeezed = {"width": "200px", "height": "80px", "fontSize": "24px"}  # wraps below it
    plant(page, "squeezed", "button", sentence, squeezed)
    found = {(o.kind, o.element) for o in overflowing_text(page)}
    assert found == {
        ("clipped by its box", "div.clipped"),
        ("spills out of its box", "p.long-word"),
        ("spills out of its box", "button.squeezed"),
    }
    off_screen = {"position": "absolute", "insetInlineStart": "1220px", "whiteSpace": "nowrap"}
    plant(page, "off-screen", "span", "Leave now", off_screen)
    found = {(o.kind, o.element) for o in overflowing_text(page)}
    assert ("past the edge of the screen", "span.off-screen") in found
    assert "the page scrolls sideways" in {kind for kind, _ in found}


def test_text_hidden_on_purpose_for_screen_readers_is_not_overflow(danger_screen: Page) -> None:
    plant(
        danger_screen,
        "govuk-visually-hidden",
        "span",
        "A long sentence only a screen reader reads out, word by word.",
        {},
    )
    assert danger_screen.locator(".govuk-skip-link").count() == 1  # hidden until focused
    assert overflowing_text(danger_screen) == []
