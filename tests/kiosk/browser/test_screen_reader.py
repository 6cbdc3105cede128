"""What a screen reader says: a choice's words before its picture, and each number typed
on the code pad with the code so far (issue 21, items 3 and 4)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.kiosk.browser.conftest import KioskBrowser

pytestmark = pytest.mark.browser

# One line of Playwright's accessibility snapshot (YAML): `- checkbox "Someone is hurting
# me. Picture: ..."`, or quoted when it holds a colon: `- 'link "... o''i le. ..."':`.
NAMED = re.compile(
    r"""^\s*- (?P<quote>'?)(button|checkbox|link) "(?P<name>.*)"(?P=quote):?$""", re.M
)


def choice_names(page: Page) -> list[tuple[str, str]]:
    """Each choice card's words as shown, and its accessible name as a screen reader says it."""
    snapshot = page.locator("main").aria_snapshot()
    names = [
        match["name"].replace("''", "'") if match["quote"] else match["name"]
        for match in NAMED.finditer(snapshot)
    ]
    words = page.locator("main .kiosk-choice__text").all_inner_texts()
    return [(said, next((n for n in names if said in n), "")) for said in words]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_each_choice_is_read_words_first_then_its_picture(
    kiosk_browser: KioskBrowser, language: str
) -> None:
    page = kiosk_browser.page
    page.click(f"button[name=language][value={language}]")
    screens = {"menu": choice_names(page)}
    page.click("a[href='/kiosk/report/danger']")
    screens["danger"] = choice_names(page)
    page.click("main button[name=answer][value=no]")
    page.wait_for_url("**/kiosk/report/what")
    screens["what"] = choice_names(page)
    assert [len(found) for found in screens.values()] == [2, 3, 15]
    for screen, found in screens.items():
        for words, name in found:
            assert name.startswith(words), (screen, words, name)
            assert len(name) > len(words), (screen, name)  # the picture is still described
    # On screen the picture still comes first, before the words, in reading direction.
    card = page.locator("main .kiosk-choice").first
    picture = card.locator("img").bounding_box()
    words_box = card.locator(".kiosk-choice__text").bounding_box()
    assert picture and words_box and picture["x"] < words_box["x"]


def said(page: Page) -> str:
    return page.locator("[data-pad-said]").inner_text()


@pytest.mark.parametrize(
    ("language", "added", "empty"),
    [
        ("en", "You added 5. Your code so far: 1 2 3 4, 5.", "There are no numbers yet."),
        (
            "cy",
            "Rydych chi wedi ychwanegu 5. Eich cod hyd yma: 1 2 3 4, 5.",
            "Does dim rhifau eto.",
        ),
    ],
)
def test_the_code_pad_says_each_number_and_the_code_so_far(
    kiosk_browser: KioskBrowser, language: str, added: str, empty: str
) -> None:
    page = kiosk_browser.page
    page.click(f"button[name=language][value={language}]")
    page.click("a[href='/kiosk/code']")
    region = page.locator("[data-pad-said]")
    assert region.get_attribute("aria-live") == "polite"
    assert region.get_attribute("aria-atomic") == "true"
    assert said(page) == ""  # nothing is said before a key is touched
    for digit in "12345":
        page.click(f"[data-pad-key='{digit}']")
    assert said(page) == added
    assert page.input_value("#code") == "1234 5"
    page.click("[data-pad-key='delete']")
    assert said(page).endswith("1 2 3 4.") and said(page) != added
    for _ in range(4):
        page.click("[data-pad-key='delete']")
    assert said(page) == empty
