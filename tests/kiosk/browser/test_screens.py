"""Every screen in a real browser: no axe-core violations, big targets, audio, screenshots."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from safeguarding.services import Services
from speech.render import has_voice
from tests.factories import new_establishment
from tests.kiosk.audio import assert_speech
from tests.kiosk.browser.conftest import LISTEN_TIMEOUT_MS, VIEWPORT, KioskBrowser, open_kiosk
from tests.kiosk.browser.contact_sheet import ContactSheet
from tests.kiosk.browser.glyphs import FontFiles, missing_glyphs
from tests.kiosk.browser.overflow import overflowing_text
from tests.kiosk.browser.pictures import unpictured
from tests.kiosk.browser.reach import NOT_MEASURED, PAIR, Reach, reach, reach_problems
from tests.kiosk.browser.tour import (
    PICTURE_CODE,
    OnScreen,
    feelings_screens,
    finish,
    followup_screens,
    keep_screens,
    people_screens,
    report_screens,
    wishes_screens,
)
from tests.kiosk.failures import BrokenWrites
from translations.languages import BY_CODE, offerable_languages

pytestmark = pytest.mark.browser

AXE = Path(__file__).parents[2] / "vendor" / "axe.min.js"
REPO = Path(__file__).parents[3]
SCREENSHOTS = REPO / "docs" / "screenshots" / "kiosk"
CONTACT_SHEET = REPO / "docs" / "kiosk-screens.md"
MIN_TARGET_PX = 48
# What walk_every_screen shows: tour.report_screens, wishes_screens, people_screens, keep_screens,
# followup_screens, feelings_screens, ready.
EVERY_SCREEN = 41

# Every element a person can touch or tab to, with its size on screen. Controls inside a
# closed dialog are not on screen; while a modal dialog is open only its controls can be
# used; a skip link is measured while it has focus.
MEASURE_TARGETS = """
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [tabindex]:not([tabindex="-1"])';
  const scope = document.querySelector('dialog[open]') || document;
  const found = [];
  for (const el of scope.querySelectorAll(selector)) {
    if (el.closest('dialog:not([open])')) continue;
    if (el.classList.contains('govuk-skip-link')) el.focus();
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (el.classList.contains('govuk-skip-link')) el.blur();
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('[hidden]')) continue;
    found.push({tag: el.tagName, name: (el.innerText || el.value || el.name || '').trim()
      .slice(0, 40), width: box.width, height: box.height});
  }
  return found;
}
"""


def axe_violations(page: Page) -> list[dict[str, object]]:
    if not page.evaluate("typeof axe !== 'undefined'"):  # not loaded with every page (below)
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
            resultTypes: ['violations']});  // only violations are read: less work per run
          return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return list(result)


@pytest.fixture
def failure(services: Services, database_kind: str) -> BrokenWrites:
    return BrokenWrites(services, database_kind)


# docs/kiosk-screens.md: left to right, Welsh's long words, right to left.
SCREENSHOT_LANGUAGES = ("en", "cy", "ar")


def walk_every_screen(
    kiosk: KioskBrowser, language: str, on_screen: OnScreen, failure: BrokenWrites
) -> None:
    code = report_screens(kiosk, on_screen, language=language, failure=failure)
    wishes_screens(kiosk, on_screen)
    people_screens(kiosk, on_screen)
    keep_screens(kiosk, on_screen)
    finish(kiosk)
    followup_screens(kiosk, code, on_screen, language, PICTURE_CODE)
    kiosk.page.goto(kiosk.url("/kiosk/code/report"))  # back to "Your report", asked once
    feelings_screens(kiosk, on_screen)
    kiosk.page.click("[data-quick-exit]")
    kiosk.page.wait_for_url("**/kiosk/ready")
    kiosk.page.wait_for_load_state("load")
    on_screen("ready")


@pytest.mark.parametrize("language", offerable_languages())
def test_every_screen_in_every_language(
    browser: Browser,
    live_server: str,
    services: Services,
    database_kind: str,
    font_files: FontFiles,
    contact_sheet: ContactSheet,
    language: str,
) -> None:
    """Every screen, in every language that has a catalog, at an establishment offering all,
    loaded once for every check: no axe-core violation, no character drawn as a box, no text
    cut off or spilling out; right to left where the language is; Leave now and Listen in
    reach at every scroll position, every choice and Continue on the first screenful
    (issue 21). The same walk takes the contact sheet's pictures and, for English, Welsh and
    Arabic, the screenshots of docs/kiosk-screens.md."""
    every_language = new_establishment(services, languages=",".join(offerable_languages()))
    kiosk = open_kiosk(browser, live_server, services, every_language, bypass_csp=True)
    # axe-core loaded by the browser with every page rather than sent down for each screen:
    # half the time of the accessibility checks was sending its 500 KB again.
    kiosk.context.add_init_script(path=AXE)
    shots = Screenshots(kiosk, language) if language in SCREENSHOT_LANGUAGES else None
    direction = BY_CODE[language].direction
    found: dict[str, list[object]] = {}
    checked: list[str] = []
    measured: dict[str, Reach] = {}
    pairs: list[list[float]] = []

    def check(screen: str) -> None:
        if shots:
            shots.take(screen)  # first: the checks below add a script and scroll
        if screen in ("start", "menu", "sent"):
            contact_sheet.take(kiosk.page, "" if screen == "start" else language, screen)
        if screen not in ("start", "ready"):  # before a language is chosen, and after
            assert kiosk.page.get_attribute("html", "dir") == direction, screen
        problems: list[object] = [str(box) for box in missing_glyphs(kiosk.page, font_files)]
        problems += [str(spill) for spill in overflowing_text(kiosk.page)]
        problems += axe_violations(kiosk.page)
        if screen not in NOT_MEASURED:  # last: it scrolls the page
            measured[screen] = reach(kiosk.page)
            problems += reach_problems(screen, measured[screen])
        if screen == "status":
            pairs.extend(kiosk.page.evaluate(PAIR))
        if problems:
            found[screen] = problems
        checked.append(screen)

    walk_every_screen(kiosk, language, check, BrokenWrites(services, database_kind))
    kiosk.context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    headphones = 1 if has_voice(language) else 0  # the dialog comes with the first Listen
    assert len(checked) == EVERY_SCREEN - 1 + headphones
    assert len(measured) == EVERY_SCREEN - len(NOT_MEASURED)
    (add, end) = pairs  # "Your report": the two buttons the same size, in line
    assert add == end, pairs
    assert measured["what"].wanted == 16  # 15 choices and Continue: the check saw them
    assert measured["check"].content_below and measured["check"].cue_shown  # the cue works
    assert not measured["what"].cue_shown  # all fits: the strip does not cry wolf
    # Leave now, and Listen where this language has a voice (Somali: only once recorded).
    exits = 2 if has_voice(language) else 1
    assert all(m.exits == exits for name, m in measured.items() if name != "start"), {
        name: asdict(m) for name, m in measured.items()
    }
    if shots:
        assert len(shots.written) == len(checked)
        write_contact_sheet()


def test_every_screen_as_an_enrolled_kiosk_runs_it(
    kiosk_browser: KioskBrowser, failure: BrokenWrites
) -> None:
    """The walk with the kiosk's own Content-Security-Policy in force (the walk above sets it
    aside to add axe-core): every target at least 48 CSS px and with a picture, every Listen
    button's audio real and not silent, and no script or style refused by the policy."""
    page = kiosk_browser.page
    small: dict[str, list[dict[str, object]]] = {}
    measured: set[str] = set()
    heard: list[str] = []
    without_pictures: dict[str, list[str]] = {}

    def check(screen: str) -> None:
        if found := unpictured(page):  # every control usable without reading (17.4)
            without_pictures[screen] = found
        targets = page.evaluate(MEASURE_TARGETS)
        assert targets, screen
        measured.add(screen)
        too_small = [
            t for t in targets if t["width"] < MIN_TARGET_PX or t["height"] < MIN_TARGET_PX
        ]
        if too_small:
            small[screen] = too_small
        for button in page.locator("[data-listen]").all():
            assert button.is_visible(), screen  # JavaScript shows the Listen controls
            response = page.request.get(
                kiosk_browser.url(button.get_attribute("data-listen") or ""),
                timeout=LISTEN_TIMEOUT_MS,
            )
            assert response.status == 200, screen
            assert_speech(response.body())
            heard.append(screen)

    walk_every_screen(kiosk_browser, "en", check, failure)
    assert small == {}, json.dumps(small, indent=1)
    assert without_pictures == {}, json.dumps(without_pictures, indent=1)
    assert {"start", "what", "check", "sent", "code", "status"} <= measured
    every_screen = {"start", "menu", "danger", "what", "hurt", "who", "staff", "where", "when"}
    every_screen.add("more")
    every_screen |= {"contact", "identity", "check", "sent", "code", "status", "add", "added"}
    every_screen |= {"danger_again", "keep_offer", "keep_pictures", "keep_done", "secret"}
    every_screen |= {"wishes_wants", "wishes_wants-error", "wishes_sharing", "wishes_thanks"}
    every_screen |= {"feelings_did_we", "feelings_safer", "feelings_thanks"}
    every_screen |= {"people_at_risk", "people_at_risk_name", "people_at_risk_name-error"}
    every_screen |= {"people_causing_harm", "people_causing_harm_name", "people_thanks"}
    assert every_screen <= set(heard)
    assert kiosk_browser.csp_errors == []


def test_a_browser_that_is_not_an_enrolled_kiosk_is_offered_nothing(
    browser: Browser, live_server: str
) -> None:
    """What any browser that is not an enrolled kiosk sees (in docs/kiosk-screens.md)."""
    stranger = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    page = stranger.new_page()
    page.goto(f"{live_server}/kiosk/")
    assert page.locator("form").count() == 0  # nothing to fill in, nothing to send
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "en-00-not-a-kiosk.png"), full_page=True)
    stranger.close()
    write_contact_sheet()


class Screenshots:
    """docs/screenshots/kiosk/<language>-NN-<screen>.png, one per screen of a walk."""

    def __init__(self, kiosk: KioskBrowser, language: str) -> None:
        self.kiosk = kiosk
        self.language = language
        self.written: list[str] = []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{language}-*.png"):
            if not old.name.startswith(f"{language}-00-"):
                old.unlink()

    def take(self, screen: str) -> None:
        name = f"{self.language}-{len(self.written) + 1:02d}-{screen}.png"
        self.kiosk.page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
        self.written.append(name)


def write_contact_sheet() -> None:
    """docs/kiosk-screens.md: every screenshot on one page, by language."""
    lines = [
        "# Kiosk screens",
        "",
        "Written by `tests/kiosk/browser/test_screens.py`",
        "(Chromium, 1280 x 1024 CSS px, full page).",
        "The follow-up code on the Sent screen is a test code.",
        "",
        "Every language side by side (the start screen, then each language's first and Sent",
        "screens): [contact-sheet.png](contact-sheet.png), written by",
        "`test_every_screen_in_every_language` in the same file.",
        "",
        "[![The start screen, then each language's first and Sent screens](contact-sheet.png)]"
        "(contact-sheet.png)",
        "",
    ]
    shots = sorted(SCREENSHOTS.glob("*.png"))
    for language in sorted({shot.name.split("-")[0] for shot in shots}):
        lines += [f"## {language}", "", "| screen | picture |", "|---|---|"]
        for shot in shots:
            if shot.name.startswith(f"{language}-"):
                screen = shot.stem.split("-", 2)[2]
                lines.append(
                    f"| {screen} | [![{screen}](screenshots/kiosk/{shot.name})]"
                    f"(screenshots/kiosk/{shot.name}) |"
                )
        lines.append("")
    CONTACT_SHEET.write_text("\n".join(lines))
