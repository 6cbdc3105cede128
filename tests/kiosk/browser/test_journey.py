"""The whole journey in Chromium, with and without JavaScript, in every offered language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from safeguarding.codes import code_hash
from safeguarding.services import Services
from storage.models import Report, TimelineEvent
from storage.sealed_fields import REPORT_DETAILS, REPORTER_IDENTITY, TIMELINE_BODY
from tests.kiosk.browser.conftest import KioskBrowser, open_kiosk
from tests.kiosk.browser.tour import finish, followup_screens, report_screens
from translations.languages import has_catalog

pytestmark = pytest.mark.browser

LANGUAGES = [
    pytest.param(code, marks=pytest.mark.skipif(not has_catalog(code), reason="no catalog yet"))
    for code in ("en", "cy", "ar")
]


def nothing(_screen: str) -> None:
    pass


def the_report(services: Services) -> Report:
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        _ = report.answers
        return report


def assert_report_matches(services: Services, code: str, language: str) -> None:
    """The answers the tour gives (see tour.report_screens) are the report's."""
    report = the_report(services)
    vault = services.secrets.vault
    assert report.code_hash == code_hash(services.secrets.code_pepper, code)
    assert report.language == language
    assert sorted(a.answer for a in report.answers if a.question == "concern") == [
        "bullied",
        "made_to_pay",
    ]
    assert report.in_danger_now is True and report.priority == "immediate"
    assert report.about_someone_else is False
    assert report.staff_involved == "no"
    assert report.when_happened == "keeps_happening"
    assert report.location_id is not None
    assert REPORT_DETAILS.open_text(vault, report) == "They take my canteen every week."
    assert REPORTER_IDENTITY.open_text(vault, report) == "name: Sam Jones; prison number: A1234BC"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_whole_journey_ends_with_a_report_whose_answers_match(
    kiosk_browser: KioskBrowser, services: Services, language: str
) -> None:
    code = report_screens(kiosk_browser, nothing, language=language)
    assert len(code) == 12
    assert_report_matches(services, code, language)
    sent_text = kiosk_browser.page.inner_text("main")
    assert "116 123" in sent_text
    assert kiosk_browser.csp_errors == []


def test_the_journey_works_without_javascript(
    browser: Browser, live_server: str, services: Services, establishment_id: int
) -> None:
    kiosk = open_kiosk(browser, live_server, services, establishment_id, javascript=False)
    page = kiosk.page
    page.click("button[name=language][value=en]")
    assert not page.locator(".kiosk-listen").is_visible()  # Listen needs JavaScript
    page.click("a[href='/kiosk/report/danger']")
    for value in ("yes",):
        page.click(f"main button[name=answer][value='{value}']")
    page.check("input[value=bullied]")
    page.check("input[value=made_to_pay]")
    page.click("main form .kiosk-button--primary")
    for value in ("no", "me", "no"):  # nobody hurt, about me, no staff
        page.click(f"main button[name=answer][value='{value}']")
    page.click("main button[name=answer] >> nth=1")
    page.click("main button[name=answer][value='keeps_happening']")
    page.fill("#details", "They take my canteen every week.")
    page.click("main form .kiosk-button--primary")
    page.click("main button[name=answer][value='contact_me']")
    page.fill("#name", "Sam Jones")
    page.fill("#prison_number", "A1234BC")
    page.click("main form .kiosk-button--primary")
    page.click(".kiosk-send")
    page.wait_for_url("**/kiosk/report/sent")
    code = "".join(page.locator(".kiosk-code__group").all_inner_texts())
    assert_report_matches(services, code, "en")
    # The number pad works without JavaScript too: each key is a button.
    finish(kiosk)
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/code']")
    for digit in code:
        page.click(f"[data-pad-key='{digit}']")
    assert page.input_value("#code") == " ".join(code[i : i + 4] for i in range(0, 12, 4))
    page.click("button[name=key][value=check]")
    page.wait_for_url("**/kiosk/code/report")
    kiosk.context.close()


def test_follow_up_by_code_shows_the_status_and_adds_information(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    code = report_screens(kiosk_browser, nothing)
    finish(kiosk_browser)
    seen: dict[str, str] = {}

    def read(screen: str) -> None:
        seen[screen] = kiosk_browser.page.inner_text("main")

    followup_screens(kiosk_browser, code, read, "en")
    assert "Your report has been received. Nobody has read it yet." in seen["status"]
    assert "Thank you. We have added this to your report." in seen["added"]
    report = the_report(services)
    with services.db.transaction() as session:
        events = session.scalars(
            select(TimelineEvent).where(
                TimelineEvent.report_id == report.id, TimelineEvent.body_sealed.is_not(None)
            )
        ).all()
    vault = services.secrets.vault
    texts = [TIMELINE_BODY.open_text(vault, event) for event in events]
    assert texts == ["It happened again today."]


@pytest.mark.usefixtures("arabic_offered")
def test_arabic_lays_out_right_to_left(kiosk_browser: KioskBrowser, services: Services) -> None:
    page = kiosk_browser.page
    checked: list[str] = []

    def mirrored(screen: str) -> None:
        if screen in ("start", "headphones", "warning"):
            return
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.get_attribute("html", "lang") == "ar"
        exit_box = page.locator("[data-quick-exit]").bounding_box()
        width = page.viewport_size["width"] if page.viewport_size else 0
        assert exit_box is not None and exit_box["x"] < width / 2  # Leave now is on the left
        back = page.locator(".kiosk-back")
        if back.count():
            back_box = back.bounding_box()
            assert back_box is not None and back_box["x"] > width / 2  # Back is on the right
        checked.append(screen)

    code = report_screens(kiosk_browser, mirrored, language="ar")
    assert len(code) == 12
    assert {"danger", "what", "check", "sent"} <= set(checked)
    assert the_report(services).language == "ar"


def test_a_double_tap_on_send_makes_one_report(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    page = kiosk_browser.page
    report_screens_until_check(kiosk_browser)
    page.dblclick(".kiosk-send")
    page.wait_for_url("**/kiosk/report/sent")
    with services.db.transaction() as session:
        assert session.scalar(select(func.count(Report.id))) == 1


def test_a_double_tap_without_javascript_still_makes_one_report(
    browser: Browser, live_server: str, services: Services, establishment_id: int
) -> None:
    kiosk = open_kiosk(browser, live_server, services, establishment_id, javascript=False)
    report_screens_until_check(kiosk)
    kiosk.page.dblclick(".kiosk-send")
    # The second tap aborts the first navigation, so wait_for_url can fail on the aborted one;
    # expect() polls until the page that finally loads is the Sent screen.
    expect(kiosk.page).to_have_url(re.compile(r"/kiosk/report/sent$"))
    expect(kiosk.page.locator(".kiosk-code__group")).not_to_have_count(0)
    assert len("".join(kiosk.page.locator(".kiosk-code__group").all_inner_texts())) == 12
    with services.db.transaction() as session:
        assert session.scalar(select(func.count(Report.id))) == 1
    kiosk.context.close()


def report_screens_until_check(kiosk: KioskBrowser) -> None:
    page = kiosk.page
    page.goto(kiosk.url("/kiosk/"))
    page.click("button[name=language][value=en]")
    page.click("a[href='/kiosk/report/danger']")
    page.click("main button[name=answer][value='no']")
    page.check("input[value=bullied]")
    page.click("main form .kiosk-button--primary")
    for value in ("no", "me", "no", "elsewhere", "today"):
        page.click(f"main button[name=answer][value='{value}']")
    page.click("main button[name=skip]")
    page.click("main button[name=answer][value='anonymous']")
    page.wait_for_url("**/kiosk/report/check")


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has focus, as a keypad user would."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_journey_works_with_a_keyboard_alone(
    kiosk_browser: KioskBrowser, services: Services
) -> None:
    page = kiosk_browser.page
    page.wait_for_load_state("load")
    tab_to(page, "button[name=language][value=en]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/menu")
    tab_to(page, "a[href='/kiosk/report/danger']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/report/danger")
    tab_to(page, "button[value='no']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/report/what")
    tab_to(page, "input[value='bullied']")
    page.keyboard.press("Space")
    tab_to(page, "main form .kiosk-button--primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/report/hurt")
    for value, following in (
        ("no", "who"),
        ("me", "staff"),
        ("no", "where"),
        ("elsewhere", "when"),
    ):
        tab_to(page, f"button[value='{value}']")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/kiosk/report/{following}")
    tab_to(page, "button[value='today']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/report/more")
    tab_to(page, "#details")
    page.keyboard.type("Typed with a keypad.")
    tab_to(page, "main form .kiosk-button--primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/report/contact")
    tab_to(page, "button[value='anonymous']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/report/check")
    tab_to(page, ".kiosk-send")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/report/sent")
    report = the_report(services)
    assert [a.answer for a in report.answers if a.question == "concern"] == ["bullied"]
    details = REPORT_DETAILS.open_text(services.secrets.vault, report)
    assert details == "Typed with a keypad."
