from __future__ import annotations

from pathlib import Path

from babel import Locale

from translations.languages import LANGUAGES, font_stylesheets

STATIC = Path(__file__).resolve().parents[2] / "safereport" / "static"


def test_the_registry_agrees_with_babel_on_direction() -> None:
    for language in LANGUAGES:
        assert Locale.parse(language.code).text_direction == language.direction, language.code


def test_the_first_twelve_languages_are_all_there() -> None:
    assert [language.code for language in LANGUAGES] == [
        "en", "cy", "sq", "pl", "ro", "lt", "pt", "ar", "ur", "pa", "vi", "so",
    ]  # fmt: skip


def test_every_language_has_fonts_for_its_script_on_a_bare_kiosk() -> None:
    for language in LANGUAGES:
        for path in font_stylesheets(language):
            css = STATIC / path
            assert css.exists(), path
            for line in css.read_text().splitlines():
                if "url(./" in line:
                    font = line.split("url(./", 1)[1].split(")", 1)[0]
                    assert (css.parent / font).stat().st_size > 1000
    assert font_stylesheets(next(lang for lang in LANGUAGES if lang.code == "pa"))[-1].endswith(
        "gurmukhi.css"
    )


def test_scripts_that_need_a_font_get_one() -> None:
    needs = {"ar", "ur", "pa"}
    assert {language.code for language in LANGUAGES if language.script_font} == needs
