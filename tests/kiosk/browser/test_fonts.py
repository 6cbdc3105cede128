"""Every script a language on the start screen needs is available, even on a bare kiosk."""

from __future__ import annotations

import pytest

import kiosk.context
from safeguarding.services import Services
from storage.models import Establishment
from tests.kiosk.browser.conftest import KioskBrowser
from translations.languages import BY_CODE

pytestmark = pytest.mark.browser

SCRIPTS = {"ar": "Kiosk Arabic", "ur": "Kiosk Urdu", "pa": "Kiosk Gurmukhi"}


@pytest.fixture
def many_scripts_offered(
    monkeypatch: pytest.MonkeyPatch, services: Services, establishment_id: int
) -> None:
    """Offer Arabic, Urdu and Punjabi before their catalogs exist (names are in the registry)."""
    monkeypatch.setattr(kiosk.context, "has_catalog", lambda code: True)
    with services.db.transaction() as session:
        establishment = session.get(Establishment, establishment_id)
        assert establishment is not None
        establishment.languages = "en,ar,ur,pa"


@pytest.mark.usefixtures("many_scripts_offered")
def test_the_start_screen_has_fonts_for_arabic_urdu_and_punjabi(
    kiosk_browser: KioskBrowser,
) -> None:
    page = kiosk_browser.page
    page.goto(kiosk_browser.url("/kiosk/"))
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    for code, family in SCRIPTS.items():
        name = BY_CODE[code].native_name
        assert page.locator(f"li[lang={code}] .kiosk-choice__text").inner_text() == name
        loaded = page.evaluate(
            '([family, text]) => document.fonts.load(`700 32px "${family}"`, text)'
            ".then(faces => faces.length)",
            [family, name],
        )
        assert loaded >= 1, code
    for font in ("noto-sans-arabic-arabic-400-normal", "noto-nastaliq-urdu-arabic-400-normal"):
        response = page.request.get(kiosk_browser.url(f"/kiosk/static/fonts/{font}.woff2"))
        assert response.status == 200 and response.headers["content-type"] == "font/woff2"
        assert response.body().startswith(b"wOF2") and len(response.body()) > 40_000
