"""Finding the kiosk's controls by their pictures, as someone who cannot read does."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

# Every control a person can see, with no picture in it. Exempt: the number pad's digits
# (a digit is a symbol), a language's name (its speaker button beside it says it), the
# skip link, which only keyboards reach, and an error summary's links to the field (the
# problem is said first by Listen, and the field is on the same screen).
UNPICTURED = """() => {
  const shown = (el) => el.checkVisibility();
  const controls = [...document.querySelectorAll('a, button, label.kiosk-choice')].filter(shown);
  const pictured = (el) => el.querySelector('img, svg') !== null;
  const digit = (el) => /^[0-9]$/.test(el.dataset.padKey || '');
  const spokenName = (el) =>
    el.name === 'language' && el.closest('li').querySelector('.kiosk-speak') !== null;
  const skipLink = (el) =>
    el.classList.contains('govuk-skip-link') || el.closest('.govuk-error-summary') !== null;
  return controls
    .filter((el) => !pictured(el) && !digit(el) && !spokenName(el) && !skipLink(el))
    .map((el) => el.outerHTML.slice(0, 120));
}"""


def unpictured(page: Page) -> list[str]:
    found: list[str] = page.evaluate(UNPICTURED)
    return found


def by_picture(page: Page, icon: str, within: str = "main") -> Locator:
    """The one visible control in ``within`` that shows ``icon`` (a file in kiosk/static/icons)."""
    return page.locator(f"{within} :is(a, button, label):has(img[src*='/icons/{icon}.svg'])")


def touch_picture(page: Page, icon: str, within: str = "main") -> None:
    """Touch the middle of the picture itself, where a finger would go (on a choice card
    the touch lands on whatever is on top there, as it would for a person)."""
    picture = by_picture(page, icon, within).locator(f"img[src*='/icons/{icon}.svg']")
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    assert box is not None, icon
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
