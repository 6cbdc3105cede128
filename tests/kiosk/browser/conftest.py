"""Browser tests: the app served on 127.0.0.1 by werkzeug in a thread, driven through
Playwright's Python API in Debian's Chromium (never ``playwright install``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright
from werkzeug.serving import make_server

import kiosk.context
from safeguarding.services import Services
from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.kiosk.browser.contact_sheet import ContactSheet
from tests.kiosk.browser.glyphs import FontFiles
from tests.kiosk.conftest import enrolment_token
from translations.languages import offerable_languages

VIEWPORT = {"width": 1280, "height": 1024}
# Waiting for a screen's Listen audio: on a cold cache the server speaks it sentence by
# sentence (espeak-ng), which took more than 10 s on the 2-core machine under a full run.
# What a test checks is that the audio comes, whole and not silent, not how fast.
LISTEN_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def font_files() -> FontFiles:
    return FontFiles()


@pytest.fixture(scope="session")
def contact_sheet() -> Iterator[ContactSheet]:
    """docs/contact-sheet.png, written at the end of a run that walked every language."""
    sheet = ContactSheet()
    yield sheet
    languages = offerable_languages()
    if sheet.complete(languages):
        sheet.write(languages)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@dataclass
class KioskBrowser:
    """A fresh browser profile enrolled as the establishment's kiosk."""

    context: BrowserContext
    page: Page
    base: str
    csp_errors: list[str]

    def url(self, path: str) -> str:
        return self.base + path

    def path(self) -> str:
        return self.page.url.removeprefix(self.base)


def open_kiosk(
    browser: Browser,
    base: str,
    services: Services,
    establishment_id: int,
    *,
    javascript: bool = True,
    bypass_csp: bool = False,
    has_touch: bool = False,
) -> KioskBrowser:
    # Enrolment needs its landing page's script (the token is after "#"): a kiosk without
    # JavaScript is enrolled in a scripted profile first and takes its cookies.
    enrolled = None if javascript else _enrolled_cookies(browser, base, services, establishment_id)
    context = browser.new_context(
        viewport=VIEWPORT,  # type: ignore[arg-type]
        java_script_enabled=javascript,
        bypass_csp=bypass_csp,
        has_touch=has_touch,
        locale="en-GB",
        storage_state=enrolled,  # type: ignore[arg-type]
    )
    context.set_default_timeout(10_000)
    # Nothing leaves loopback: see CHROMIUM_FLAGS (the browser's cache stays on).
    page = context.new_page()
    # The page's timers run only when a test moves this clock, so a slow machine can never
    # trip the inactivity wipe in the middle of a test.
    page.clock.install()
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    if enrolled is None:
        # The token is after "#": the landing page's script posts it, then the start loads.
        page.goto(f"{base}/kiosk/enrol#{enrolment_token(services, establishment_id)}")
        page.wait_for_url(f"{base}/kiosk/")
    else:
        page.goto(f"{base}/kiosk/")
    return KioskBrowser(context, page, base, errors)


def _enrolled_cookies(
    browser: Browser, base: str, services: Services, establishment_id: int
) -> dict[str, object]:
    context = browser.new_context(locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{base}/kiosk/enrol#{enrolment_token(services, establishment_id)}")
        page.wait_for_url(f"{base}/kiosk/")
        return dict(context.storage_state())
    finally:
        context.close()


@pytest.fixture
def kiosk_browser(
    browser: Browser, live_server: str, services: Services, establishment_id: int
) -> Iterator[KioskBrowser]:
    opened = open_kiosk(browser, live_server, services, establishment_id)
    yield opened
    opened.context.close()


@pytest.fixture
def arabic_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offer Arabic before its catalog exists: the words stay English, but everything the
    layout takes from the language registry (lang, dir, fonts) follows the choice."""
    monkeypatch.setattr(kiosk.context, "has_catalog", lambda code: code in ("en", "ar"))
