"""A report and a follow-up made by pictures and Listen alone, never reading a word (17.4).

About half of people in prison read below the level expected of an 11-year-old. This test
is such a person: it finds every control by the picture on it (never by its words, never
by an answer's value), hears every screen through Listen before touching anything, and
reads only digits (the follow-up code, which Listen also says digit by digit). On every
screen it passes, every control a person can see has a picture.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from tests.kiosk.browser.conftest import LISTEN_TIMEOUT_MS, KioskBrowser
from tests.kiosk.browser.pictures import by_picture, touch_picture, unpictured
from tests.kiosk.browser.tour import code_shown

BAR = ".kiosk-bar"
HEADPHONES = "#kiosk-headphones[open]"


class PictureReader:
    """Touches pictures, listens to each screen, and notes any control without a picture."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heard: list[str] = []
        self.unpictured: dict[str, list[str]] = {}
        self.touches = 0

    def touch(self, icon: str, *, moves_on: bool = True) -> None:
        """Touch a picture; most touches go on to the next screen."""
        self.touches += 1
        before = self.page.url
        touch_picture(self.page, icon)
        if moves_on:
            self.page.wait_for_url(lambda url: url != before)
            self.page.wait_for_load_state("load")

    def listen(self, screen: str) -> None:
        """Touch the Listen picture and check a screen's worth of speech came back."""
        if found := unpictured(self.page):
            self.unpictured[screen] = found
        self._hear(f"**/kiosk/listen/{screen}", by_picture(self.page, "listen", BAR))
        self.heard.append(screen)

    def _hear(self, audio: str, speaker: Locator) -> None:
        page = self.page
        with page.expect_response(audio, timeout=LISTEN_TIMEOUT_MS) as heard:
            speaker.click()
            if page.locator(HEADPHONES).count():  # the first Listen asks for headphones
                by_picture(page, "listen", HEADPHONES).click()
        assert heard.value.status == 200, audio
        assert heard.value.headers["content-type"] == "audio/wav", audio

    def choose_language(self) -> None:
        """The start screen: each language's speaker says its name; touch the one you know."""
        page = self.page
        first = page.locator("li.kiosk-language").first
        if found := unpictured(page):
            self.unpictured["start"] = found
        self._hear("**/kiosk/listen/language/*", first.locator(".kiosk-speak"))
        first.locator("button").first.click()  # the language whose name was just heard
        page.wait_for_url("**/kiosk/menu")


def test_someone_who_cannot_read_reports_danger_and_comes_back(
    kiosk_browser: KioskBrowser,
) -> None:
    page = kiosk_browser.page
    person = PictureReader(page)
    person.choose_language()
    person.listen("menu")
    person.touch("report")
    for screen, icon in (
        ("danger", "danger-yes"),
        ("what", "concern-hurting-me"),
        ("what", "next"),
        ("hurt", "concern-hurting-myself"),
        ("who", "who-me"),
        ("staff", "staff-no"),
        ("where", "where-elsewhere"),  # wings share a picture: see docs
        ("when", "when-today"),
        ("more", "skip"),
        ("contact", "contact-anonymous"),
    ):
        if screen not in person.heard:
            person.listen(screen)
        person.touch(icon, moves_on=icon != "concern-hurting-me")  # a box to tick
    person.listen("check")
    answers = page.locator("main .kiosk-answer")
    assert answers.count() == answers.locator("img").count() >= 9  # every answer pictured
    person.touch("send")
    page.wait_for_url("**/kiosk/report/sent")
    person.listen("sent")
    code = code_shown(page)
    assert len(code) == 12 and code.isdigit()
    report_touches = person.touches
    person.touch("finish")

    person.choose_language()
    person.listen("menu")
    person.touch("code")
    person.listen("code")
    for digit in code:
        page.click(f"[data-pad-key='{digit}']")  # the digits: symbols, and spoken as typed
    person.touch("look-up")
    page.wait_for_url("**/kiosk/code/report")
    person.listen("status")
    person.touch("finish")
    page.wait_for_url("**/kiosk/")

    assert person.unpictured == {}
    assert report_touches == 12  # Report, nine answers, Continue and Send (and the language first)
    assert person.heard == [
        "menu", "danger", "what", "hurt", "who", "staff", "where", "when", "more", "contact",
        "check", "sent", "menu", "code", "status",
    ]  # fmt: skip
