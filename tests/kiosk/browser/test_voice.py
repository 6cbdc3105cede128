"""Say it instead of typing, in Chromium with a fake microphone (issue 17.1).

Chromium's ``--use-fake-device-for-media-stream`` gives a microphone that plays a tone, so
MediaRecorder records real, checkable audio. Only this file's browser has it: every other
test's kiosk has no microphone, and so never shows the voice choice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright
from sqlalchemy import func, select

from safeguarding.drafts import WARNING_SECONDS
from safeguarding.kiosk_voice import check_voice
from safeguarding.services import Services
from storage.models import KioskDraft, Recording, Report
from storage.sealed_fields import RECORDING_AUDIO
from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.factories import new_establishment
from tests.kiosk.browser.conftest import KioskBrowser, open_kiosk
from tests.kiosk.browser.glyphs import FontFiles, missing_glyphs
from tests.kiosk.browser.overflow import overflowing_text
from tests.kiosk.browser.test_screens import axe_violations
from translations.languages import offerable_languages

pytestmark = pytest.mark.browser

IDLE_MS = 90 * 1000
SCREENSHOTS = Path(__file__).parents[3] / "docs" / "screenshots" / "kiosk-voice"
SCREENSHOT_LANGUAGES = ("en", "ar")
PANEL = "#kiosk-voice"


@pytest.fixture(scope="module")
def microphone_browser(playwright: Playwright) -> Iterator[Browser]:
    flags = [*CHROMIUM_FLAGS, "--use-fake-device-for-media-stream"]
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
    yield launched
    launched.close()


def _kiosk(
    browser: Browser,
    live_server: str,
    services: Services,
    establishment_id: int,
    *,
    allow: bool,
    for_axe: bool = False,
) -> Iterator[KioskBrowser]:
    # axe-core is added as a script of the page, which the kiosk's policy refuses.
    opened = open_kiosk(browser, live_server, services, establishment_id, bypass_csp=for_axe)
    if allow:
        opened.context.grant_permissions(["microphone"], origin=live_server)
    yield opened
    opened.context.close()


@pytest.fixture
def with_microphone(
    microphone_browser: Browser, live_server: str, services: Services, establishment_id: int
) -> Iterator[KioskBrowser]:
    yield from _kiosk(microphone_browser, live_server, services, establishment_id, allow=True)


@pytest.fixture
def with_microphone_for_axe(
    microphone_browser: Browser, live_server: str, services: Services, establishment_id: int
) -> Iterator[KioskBrowser]:
    yield from _kiosk(
        microphone_browser, live_server, services, establishment_id, allow=True, for_axe=True
    )


@pytest.fixture
def microphone_refused(
    microphone_browser: Browser, live_server: str, services: Services, establishment_id: int
) -> Iterator[KioskBrowser]:
    yield from _kiosk(microphone_browser, live_server, services, establishment_id, allow=False)


def to_more(kiosk: KioskBrowser, danger: str = "no", language: str = "en") -> None:
    page = kiosk.page
    page.click(f"button[name=language][value={language}]")
    page.click("a[href='/kiosk/report/danger']")
    page.click(f"main button[name=answer][value='{danger}']")
    page.check("input[value=threatening_me]")
    page.click("main form .kiosk-button--primary")
    for value in ("no", "me", "not_sure", "elsewhere", "today"):
        page.click(f"main button[name=answer][value='{value}']")
    page.wait_for_url("**/kiosk/report/more")
    page.wait_for_load_state("load")


def record(kiosk: KioskBrowser, *, real_ms: int = 1500) -> None:
    page = kiosk.page
    page.locator(PANEL).wait_for(state="visible")
    page.click("[data-voice-record]")
    page.locator("[data-voice-stop]").wait_for(state="visible")
    page.wait_for_timeout(real_ms)  # MediaRecorder records in real time, not the page's clock


def record_and_save(kiosk: KioskBrowser) -> None:
    record(kiosk, real_ms=800)
    kiosk.page.click("[data-voice-stop]")
    kiosk.page.locator("[data-voice-saved]").wait_for(state="visible")


def anonymous_and_send(kiosk: KioskBrowser) -> None:
    kiosk.page.wait_for_url("**/kiosk/report/contact")
    kiosk.page.click("main button[name=answer][value='anonymous']")
    kiosk.page.click("main form button.kiosk-button--primary")  # Send
    kiosk.page.wait_for_url("**/kiosk/report/sent")


def stored(services: Services) -> tuple[int, int, list[bytes]]:
    """(reports, drafts, the recordings' audio)."""
    with services.db.transaction() as session:
        reports = session.scalar(select(func.count(Report.id))) or 0
        drafts = session.scalar(select(func.count(KioskDraft.id))) or 0
        audio = [
            RECORDING_AUDIO.open(services.secrets.vault, r) or b""
            for r in session.scalars(select(Recording))
        ]
    return reports, drafts, audio


def test_record_listen_back_and_send_with_the_report(
    with_microphone: KioskBrowser, services: Services
) -> None:
    page = with_microphone.page
    to_more(with_microphone)
    record_and_save(with_microphone)
    assert page.locator("[data-voice-play]").is_visible()
    assert page.locator("[data-voice-again]").is_visible()
    assert page.evaluate("document.querySelectorAll('audio[autoplay]').length") == 0
    page.click("[data-voice-play]")  # never out loud by surprise: headphones first
    page.locator("#kiosk-headphones").wait_for(state="visible")
    page.click("[data-headphones-ok]")
    page.wait_for_function(  # it plays, from memory: nothing is fetched for it
        "document.querySelector('[data-voice-play]').getAttribute('aria-pressed') === 'true'"
    )
    assert page.get_attribute("[data-voice-play]", "data-listen-recording", timeout=1000) != ""
    assert (page.text_content(".kiosk-sound-note") or "") == ""  # no "no sound" note
    page.click("main form .kiosk-button--primary")  # Continue, nothing typed
    anonymous_and_send(with_microphone)
    reports, _drafts, [audio] = stored(services)
    assert reports == 1 and check_voice(audio) in ("audio/webm", "audio/ogg")
    assert with_microphone.csp_errors == []


def test_the_voice_panel_has_no_axe_violation_in_each_state(
    with_microphone_for_axe: KioskBrowser,
) -> None:
    page = with_microphone_for_axe.page
    to_more(with_microphone_for_axe)
    page.locator(PANEL).wait_for(state="visible")
    assert axe_violations(page) == []
    record(with_microphone_for_axe)
    assert axe_violations(page) == []  # recording
    page.click("[data-voice-stop]")
    page.locator("[data-voice-saved]").wait_for(state="visible")
    assert axe_violations(page) == []  # saved: listen, record again, delete


def test_continue_while_recording_saves_it_first(
    with_microphone: KioskBrowser, services: Services
) -> None:
    to_more(with_microphone)
    record(with_microphone)
    with_microphone.page.click("main form .kiosk-button--primary")  # Continue, still recording
    anonymous_and_send(with_microphone)
    assert len(stored(services)[2]) == 1


def test_quick_exit_while_recording_discards_it(
    with_microphone: KioskBrowser, services: Services
) -> None:
    page = with_microphone.page
    to_more(with_microphone, danger="yes")
    record(with_microphone)
    page.click("[data-quick-exit]")
    page.wait_for_url("**/kiosk/ready")
    page.wait_for_timeout(1000)  # a late upload would arrive now
    reports, drafts, audio = stored(services)
    assert (reports, drafts, audio) == (1, 0, [])  # the danger answer kept; the recording not


def test_the_idle_wipe_while_recording_discards_it(
    with_microphone: KioskBrowser, services: Services
) -> None:
    page = with_microphone.page
    to_more(with_microphone)
    record(with_microphone)
    page.clock.run_for(IDLE_MS + 1000)
    assert page.locator("#kiosk-warning").is_visible()  # recording is not touching
    page.clock.run_for((WARNING_SECONDS + 1) * 1000)
    page.wait_for_url("**/kiosk/ready")
    page.wait_for_timeout(1000)
    assert stored(services) == (0, 0, [])


def test_in_danger_a_saved_recording_stays_with_the_report_on_leaving(
    with_microphone: KioskBrowser, services: Services
) -> None:
    page = with_microphone.page
    to_more(with_microphone, danger="yes")
    record_and_save(with_microphone)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("**/kiosk/ready")
    reports, drafts, audio = stored(services)
    assert (reports, drafts, len(audio)) == (1, 0, 1)


def test_permission_refused_says_so_and_typing_still_works(
    microphone_refused: KioskBrowser, services: Services
) -> None:
    page = microphone_refused.page
    to_more(microphone_refused)
    page.click("[data-voice-record]")
    problem = page.locator("[data-voice-problem]")
    problem.wait_for(state="visible")
    assert problem.text_content() == "The kiosk cannot use the microphone. You can type instead."
    page.fill("#details", "He takes my canteen.")
    page.click("main form .kiosk-button--primary")
    page.wait_for_url("**/kiosk/report/contact")


def test_without_a_microphone_the_choice_is_not_shown(kiosk_browser: KioskBrowser) -> None:
    to_more(kiosk_browser)
    kiosk_browser.page.wait_for_timeout(500)  # the device check has answered
    assert not kiosk_browser.page.locator(PANEL).is_visible()
    assert kiosk_browser.page.locator("#details").is_visible()


@pytest.mark.parametrize("language", offerable_languages())
def test_the_voice_panel_in_every_language(
    microphone_browser: Browser,
    live_server: str,
    services: Services,
    font_files: FontFiles,
    language: str,
) -> None:
    """The panel as it is first shown and once a message is saved, in each language: no
    axe-core violation, no character drawn as a box, no text spilling out."""
    every_language = new_establishment(services, languages=",".join(offerable_languages()))
    kiosk = open_kiosk(microphone_browser, live_server, services, every_language, bypass_csp=True)
    kiosk.context.grant_permissions(["microphone"], origin=live_server)
    page = kiosk.page
    to_more(kiosk, language=language)
    problems: dict[str, list[object]] = {}
    for state in ("offered", "saved"):
        if state == "saved":
            record_and_save(kiosk)
        page.locator(PANEL).wait_for(state="visible")
        if language in SCREENSHOT_LANGUAGES:  # docs/kiosk.md, "Say it instead of typing"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{language}-{state}.png"), full_page=True)
        found: list[object] = [str(box) for box in missing_glyphs(page, font_files)]
        found += [str(spill) for spill in overflowing_text(page)]
        found += axe_violations(page)
        if found:
            problems[state] = found
    kiosk.context.close()
    assert problems == {}
