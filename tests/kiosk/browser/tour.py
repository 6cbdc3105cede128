"""A walk through every kiosk screen in a real browser, calling back on each one.

Selectors use values and classes, never words, so the same walk works in any language.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.kiosk.browser.conftest import KioskBrowser
from tests.kiosk.failures import BrokenWrites

OnScreen = Callable[[str], None]
CONTINUE = "main form .kiosk-button--primary"


def choose(page: Page, value: str) -> None:
    page.click(f"main button[name=answer][value='{value}']")


def code_shown(page: Page) -> str:
    return "".join(page.locator(".kiosk-code__group").all_inner_texts())


def arrived(page: Page, on_screen: OnScreen) -> OnScreen:
    """Call ``on_screen`` once the page has loaded, styles and all."""

    def call(screen: str) -> None:
        page.wait_for_load_state("load")
        on_screen(screen)

    return call


def report_screens(
    kiosk: KioskBrowser,
    on_screen: OnScreen,
    *,
    language: str = "en",
    failure: BrokenWrites | None = None,
    idle_seconds: int = 90,
) -> str:
    """From the start screen to Sent; returns the follow-up code shown. With ``failure``,
    the first Send fails (the not-sent screen) and Try again succeeds."""
    page = kiosk.page
    on_screen = arrived(page, on_screen)
    page.goto(kiosk.url("/kiosk/"))
    on_screen("start")
    page.click(f"button[name=language][value={language}]")
    on_screen("menu")
    if page.locator(".kiosk-listen").is_visible():  # not in a language with no audio yet
        page.click(".kiosk-listen")  # the first Listen asks for headphones
        page.wait_for_selector("#kiosk-headphones[open]")
        on_screen("headphones")
        page.click("[data-headphones-cancel]")
    page.click("a[href='/kiosk/report/danger']")
    on_screen("danger")
    choose(page, "yes")
    on_screen("what")
    page.click(CONTINUE)  # nothing chosen: the error state
    on_screen("what-error")
    page.check("input[value=bullied]")
    page.check("input[value=made_to_pay]")
    page.click(CONTINUE)
    on_screen("hurt")
    choose(page, "no")
    on_screen("who")
    choose(page, "me")
    on_screen("staff")
    choose(page, "no")
    on_screen("where")
    page.clock.run_for(idle_seconds * 1000 + 500)  # nobody touches the screen
    page.wait_for_selector("#kiosk-warning[open]")
    on_screen("warning")
    page.click("[data-more-time]")
    page.click("main button[name=answer] >> nth=1")  # the second place in the list
    on_screen("when")
    choose(page, "keeps_happening")
    on_screen("more")
    page.fill("#details", "They take my canteen every week.")
    page.click(CONTINUE)
    on_screen("contact")
    choose(page, "contact_me")
    on_screen("identity")
    page.fill("#name", "Sam Jones")
    page.fill("#prison_number", "A1234BC")
    page.click(CONTINUE)
    on_screen("check")
    if failure is not None:
        failure.break_()
        page.click(".kiosk-send")
        page.wait_for_url("**/kiosk/report/send")
        on_screen("not-sent")
        failure.mend()
        page.click("main form[action='/kiosk/report/send'] button")
    else:
        page.click(".kiosk-send")
    page.wait_for_url("**/kiosk/report/sent")
    on_screen("sent")
    return code_shown(page)


PICTURE_CODE = ("sun", "boat", "key", "sun")  # keys of the grid, never words


def touch_pictures(page: Page, pictures: tuple[str, ...]) -> None:
    """Touch each picture of the grid; kiosk.js sends each touch in the background."""
    for count, picture in enumerate(pictures, start=1):
        page.click(f"main [data-keep-key='{picture}']")
        expect(page.locator("[data-keep-chosen] img")).to_have_count(count)


def keep_screens(kiosk: KioskBrowser, on_screen: OnScreen) -> None:
    """From Sent, keep the code safe with PICTURE_CODE (issue 17.3), back to its screen."""
    page = kiosk.page
    on_screen = arrived(page, on_screen)
    page.click("main a[href='/kiosk/report/keep']")
    on_screen("keep_offer")
    page.click("main a[href='/kiosk/report/keep/pictures']")
    on_screen("keep_pictures")
    touch_pictures(page, PICTURE_CODE)
    page.click("main button[name=key][value=save]")
    page.wait_for_url("**/kiosk/report/kept")
    on_screen("keep_done")


def followup_screens(
    kiosk: KioskBrowser,
    code: str,
    on_screen: OnScreen,
    language: str,
    pictures: tuple[str, ...] = (),
) -> None:
    """From the start screen with a code (kept safe with ``pictures``, if given) to
    "information added"."""
    page = kiosk.page
    on_screen = arrived(page, on_screen)
    page.goto(kiosk.url("/kiosk/"))
    page.click(f"button[name=language][value={language}]")
    page.click("a[href='/kiosk/code']")
    for digit in code[:5]:
        page.click(f"[data-pad-key='{digit}']")
    on_screen("code")
    for digit in code[5:]:
        page.click(f"[data-pad-key='{digit}']")
    page.click("button[name=key][value=check]")
    if pictures:
        page.wait_for_url("**/kiosk/code/secret")
        on_screen("secret")
        touch_pictures(page, pictures)
        page.click("main button[name=key][value=check]")
    page.wait_for_url("**/kiosk/code/report")
    on_screen("status")
    page.click("a[href='/kiosk/code/add']")
    on_screen("add")
    page.fill("#details", "It happened again today.")
    page.click(CONTINUE)
    page.wait_for_url("**/kiosk/code/danger")
    on_screen("danger_again")
    page.click("main button[name=answer][value='no']")
    page.wait_for_url("**/kiosk/code/added")
    on_screen("added")


def finish(kiosk: KioskBrowser) -> None:
    kiosk.page.click("form[action='/kiosk/finish'] button")
    kiosk.page.wait_for_url("**/kiosk/")


def wishes_screens(kiosk: KioskBrowser, on_screen: OnScreen) -> None:
    """From Sent, what the person wants (issue 15.1): "Nothing yet" with another choice is
    refused first; then back to Sent."""
    page = kiosk.page
    on_screen = arrived(page, on_screen)
    page.click("main a[href='/kiosk/report/wishes']")
    on_screen("wishes_wants")
    page.check("main input[value=move]")
    page.check("main input[value=just_know]")
    page.click(CONTINUE)
    on_screen("wishes_wants-error")
    page.uncheck("main input[value=just_know]")
    page.check("main input[value=talk]")
    page.click(CONTINUE)
    page.wait_for_url("**/kiosk/report/wishes/share")
    on_screen("wishes_sharing")
    choose(page, "ask_me")
    page.wait_for_url("**/kiosk/report/wishes/thanks")
    on_screen("wishes_thanks")
    page.click(".kiosk-back")
    page.wait_for_url("**/kiosk/report/sent")


def people_screens(kiosk: KioskBrowser, on_screen: OnScreen) -> None:
    """From Sent, who it is about (issue 14): a prison number that is not one is refused
    first; then back to Sent."""
    page = kiosk.page
    on_screen = arrived(page, on_screen)
    page.click("main a[href='/kiosk/report/people']")
    on_screen("people_at_risk")
    choose(page, "someone_else")
    page.wait_for_url("**/kiosk/report/people/name")
    on_screen("people_at_risk_name")
    page.check("main input[value=prison_number]")
    page.fill("#identifier", "12345")
    page.click(CONTINUE)
    on_screen("people_at_risk_name-error")
    page.fill("#identifier", "A1234BC")
    page.click(CONTINUE)
    page.wait_for_url("**/kiosk/report/people/doing")
    on_screen("people_causing_harm")
    choose(page, "staff")
    page.wait_for_url("**/kiosk/report/people/doing/name")
    on_screen("people_causing_harm_name")
    page.click("main button[name=skip]")
    page.wait_for_url("**/kiosk/report/people/thanks")
    on_screen("people_thanks")
    page.click(".kiosk-back")
    page.wait_for_url("**/kiosk/report/sent")


def feelings_screens(kiosk: KioskBrowser, on_screen: OnScreen) -> None:
    """From "Your report": "Did we do what you wanted?" and "Do you feel safer?" (15.1)."""
    page = kiosk.page
    on_screen = arrived(page, on_screen)
    page.click("main a[href='/kiosk/code/did-we']")
    on_screen("feelings_did_we")
    choose(page, "partly")
    page.wait_for_url("**/kiosk/code/safer")
    on_screen("feelings_safer")
    choose(page, "yes")
    page.wait_for_url("**/kiosk/code/thanks")
    on_screen("feelings_thanks")
    page.click(".kiosk-back")
    page.wait_for_url("**/kiosk/code/report")
