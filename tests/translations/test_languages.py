from __future__ import annotations

from babel import Locale

from translations.languages import LANGUAGES


def test_the_registry_agrees_with_babel_on_direction() -> None:
    for language in LANGUAGES:
        assert Locale.parse(language.code).text_direction == language.direction, language.code


def test_the_first_twelve_languages_are_all_there() -> None:
    assert [language.code for language in LANGUAGES] == [
        "en", "cy", "sq", "pl", "ro", "lt", "pt", "ar", "ur", "pa", "vi", "so",
    ]  # fmt: skip


def test_native_names_are_written_in_their_own_script() -> None:
    names = {language.code: language.native_name for language in LANGUAGES}
    assert names["cy"] == Locale.parse("cy").display_name == "Cymraeg"
    for code in ("ar", "ur", "pa"):  # as Babel's locale data writes them
        assert names[code] == Locale.parse(code).display_name
