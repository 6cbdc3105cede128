"""'Are you safe now?' and what follows a "No", in every language the kiosk offers: no
axe-core violation, no character drawn as a box, no text cut off or spilling out, right to
left where the language is (the checks of test_screens.py's walk, which cannot reach this
question: it needs a check-in due, a month after the report)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import Browser

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.factories import new_establishment, submit
from tests.kiosk.browser.conftest import open_kiosk
from tests.kiosk.browser.glyphs import FontFiles, missing_glyphs
from tests.kiosk.browser.overflow import overflowing_text
from tests.kiosk.browser.test_screens import AXE, axe_violations
from tests.kiosk.browser.test_wishes import picture
from translations.languages import BY_CODE, offerable_languages

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", offerable_languages())
def test_are_you_safe_now_in_every_language(
    browser: Browser,
    live_server: str,
    services: Services,
    clock: FixedClock,
    font_files: FontFiles,
    language: str,
) -> None:
    every_language = new_establishment(services, languages=",".join(offerable_languages()))
    receipt = submit(services, every_language, concerns=["hurting_me"])
    clock.advance(timedelta(days=31))  # the first check-in is due
    kiosk = open_kiosk(browser, live_server, services, every_language, bypass_csp=True)
    kiosk.context.add_init_script(path=AXE)
    page = kiosk.page
    found: dict[str, list[object]] = {}

    def check(screen: str) -> None:
        page.wait_for_load_state("load")
        assert page.get_attribute("html", "dir") == BY_CODE[language].direction, screen
        problems: list[object] = [str(box) for box in missing_glyphs(page, font_files)]
        problems += [str(spill) for spill in overflowing_text(page)]
        problems += axe_violations(page)
        if problems:
            found[screen] = problems

    page.click(f"button[name=language][value={language}]")
    page.click("a[href='/kiosk/code']")
    page.fill("#code", receipt.code)
    page.click("button[name=key][value=check]")
    page.wait_for_url("**/kiosk/code/safe-now")
    check("safe_now")
    picture(page, "safer-no")
    page.locator(".kiosk-urgent").wait_for()
    check("safe_now_not_safe")
    kiosk.context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
