"""The missing-glyph check catches a character no font can draw, also inside a cluster, and
passes correct pages in the scripts that need shaping or web fonts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright

from safeguarding.services import Services
from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.factories import new_establishment
from tests.kiosk.browser.conftest import KioskBrowser, open_kiosk
from tests.kiosk.browser.glyphs import (
    FontFiles,
    boxes_in,
    missing_glyphs,
    needs_glyph,
    rendered_texts,
)
from translations.languages import has_catalog, offerable_languages

pytestmark = pytest.mark.browser

NO_FONT = "\U0010fffd"  # private use: no font anywhere has it
KAWI_LETTER_A = "\U00011f04"  # a real script (Unicode 15) that no font here covers
KAWI_VOWEL_SIGN_I = "\U00011f36"  # a combining mark: it joins the letter before it
# A sentence in each script that needs shaping or a web font, as the kiosk's catalogs
# write it; the missing mark is planted inside a cluster, on a letter the font does have.
SCRIPTS = {
    "ar": ("هل أنت في خطر الآن؟", "ب"),
    "ur": ("کیا آپ اس وقت خطرے میں ہیں؟", "ک"),
    "pa": ("ਕੀ ਤੁਸੀਂ ਇਸ ਵੇਲੇ ਖ਼ਤਰੇ ਵਿੱਚ ਹੋ?", "ਕ"),
    "vi": ("Bạn có đang gặp nguy hiểm ngay lúc này không?", "ệ"),
}
# What a locked-down kiosk may have: Debian's fontconfig depends on fonts-dejavu-core.
BARE_FONTS = Path("/usr/share/fonts/truetype/dejavu")
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""
SERVED = {"ar": "NotoSansArabic-", "ur": "NotoNastaliqUrdu-", "pa": "NotoSansGurmukhi-"}
SCREEN = "what"  # the longest question: 14 choices, each a sentence and a picture's name


@pytest.fixture
def every_language(
    browser: Browser, live_server: str, services: Services
) -> Iterator[KioskBrowser]:
    establishment = new_establishment(services, languages=",".join(offerable_languages()))
    kiosk = open_kiosk(browser, live_server, services, establishment, bypass_csp=True)
    yield kiosk
    kiosk.context.close()


def plant(page: Page, text: str, *, lang: str) -> None:
    """Add a paragraph to the page's main content, in the page's own styles."""
    page.evaluate(
        """([text, lang]) => {
          const p = document.createElement('p');
          p.className = 'govuk-body-l planted';
          p.lang = lang;
          p.textContent = text;
          document.querySelector('main').append(p);
        }""",
        [text, lang],
    )


def open_question(kiosk: KioskBrowser, language: str) -> None:
    page = kiosk.page
    page.goto(kiosk.url("/kiosk/"))
    page.click(f"button[name=language][value={language}]")
    page.click("a[href='/kiosk/report/danger']")
    page.click("main button[name=answer][value='no']")
    page.wait_for_url(f"**/kiosk/report/{SCREEN}")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("language", list(SCRIPTS))
def test_a_character_no_font_has_is_found_and_correct_text_is_not(
    every_language: KioskBrowser, font_files: FontFiles, language: str
) -> None:
    if not has_catalog(language):
        pytest.skip("no catalog yet")
    page = every_language.page
    open_question(every_language, language)
    assert missing_glyphs(page, font_files) == []
    sentence, letter = SCRIPTS[language]
    plant(page, sentence, lang=language)
    assert missing_glyphs(page, font_files) == []  # shaped, joined, in Nastaliq: all drawn
    plant(page, f"{sentence} {NO_FONT}", lang=language)
    plant(page, f"{letter}{KAWI_VOWEL_SIGN_I} {KAWI_LETTER_A}", lang=language)
    found = missing_glyphs(page, font_files)
    assert {box.character for box in found} == {NO_FONT, KAWI_VOWEL_SIGN_I, KAWI_LETTER_A}
    assert all(box.fonts for box in found)  # drawn, as a box, with some font


def test_text_that_is_not_shown_is_not_checked(
    every_language: KioskBrowser, font_files: FontFiles
) -> None:
    page = every_language.page
    page.wait_for_load_state("load")
    plant(page, NO_FONT, lang="en")
    page.evaluate("document.querySelector('.planted').hidden = true")
    assert missing_glyphs(page, font_files) == []
    page.evaluate("document.querySelector('.planted').hidden = false")
    assert [box.character for box in missing_glyphs(page, font_files)] == [NO_FONT]


def test_spaces_and_invisible_controls_need_no_glyph() -> None:
    for character in " \u00a0\n\u2066\u2069\u200d\u200c\u00ad\ufe0f":
        assert not needs_glyph(character), hex(ord(character))
    for character in "a\u0a15\u0644\u06d2\u1ec7?":
        assert needs_glyph(character)


@pytest.fixture
def bare_browser(playwright: Playwright, tmp_path: Path) -> Iterator[Browser]:
    """Chromium that sees only DejaVu, none of the machine's Noto fonts."""
    config = tmp_path / "fonts.conf"
    config.write_text(FONTS_CONF.format(fonts=BARE_FONTS, cache=tmp_path / "fontconfig"))
    launched = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
    )
    yield launched
    launched.close()


def test_a_kiosk_with_only_the_default_fonts_draws_every_language_with_the_served_fonts(
    bare_browser: Browser, live_server: str, services: Services, font_files: FontFiles
) -> None:
    establishment = new_establishment(services, languages=",".join(offerable_languages()))
    kiosk = open_kiosk(bare_browser, live_server, services, establishment, bypass_csp=True)
    problems: dict[str, list[str]] = {}
    machine_fonts: set[str] = set()
    # The start screen names every language; then the scripts the machine's Noto fonts
    # would otherwise draw (Vietnamese: DejaVu's Latin must carry its stacked accents).
    for language in ["start", *[code for code in SCRIPTS if has_catalog(code)]]:
        if language != "start":
            open_question(kiosk, language)
        texts = rendered_texts(kiosk.page)
        used = {(font["postScriptName"], font["isCustomFont"]) for _, f in texts for font in f}
        machine_fonts |= {name for name, custom in used if not custom}
        found = [str(box) for text, f in texts for box in boxes_in(text, f, font_files)]
        served = SERVED.values() if language == "start" else [SERVED.get(language, "")]
        found += [
            f"nothing drawn with the served {font}* font: {sorted(used)}"
            for font in served
            if font and not any(custom and name.startswith(font) for name, custom in used)
        ]
        if found:
            problems[language] = found
    kiosk.context.close()
    assert problems == {}, "\n".join(f"{lang}: {p}" for lang, ps in problems.items() for p in ps)
    assert machine_fonts and all(name.startswith("DejaVu") for name in machine_fonts)


# The @font-face families a page made the browser load; a face whose unicode-range the
# page never uses stays "unloaded". With only DejaVu, local() finds nothing: loaded means
# fetched from the kiosk (or the browser's cache of it).
FAMILIES_LOADED = """() => document.fonts.ready.then(fonts => [...fonts]
  .filter(face => face.status !== 'unloaded')
  .map(face => face.family.replaceAll('"', '')))"""
FAMILY = {"en": None, "ar": "Kiosk Arabic", "ur": "Kiosk Urdu", "pa": "Kiosk Gurmukhi"}


def test_a_bare_kiosk_loads_only_the_font_of_the_pages_script(
    bare_browser: Browser, live_server: str, services: Services
) -> None:
    establishment = new_establishment(services, languages=",".join(offerable_languages()))
    kiosk = open_kiosk(bare_browser, live_server, services, establishment, bypass_csp=True)
    loaded: dict[str, set[str]] = {}
    for language in [code for code in FAMILY if has_catalog(code)]:
        open_question(kiosk, language)
        loaded[language] = set(kiosk.page.evaluate(FAMILIES_LOADED))
    kiosk.context.close()
    assert loaded == {language: {FAMILY[language]} - {None} for language in loaded}, loaded
