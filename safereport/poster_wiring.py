"""Hands the phone line's language menu to the posters, which may not import ivr: a poster
prints the key the line really uses for its language."""

from __future__ import annotations

from flask import Flask

from ivr.languages import phone_languages
from ivr.settings import EXTENSION, IvrSettings
from posters.facts import MenuKeys, PhoneMenu


def phone_menu(app: Flask) -> PhoneMenu:
    """The app's phone menu, read when asked: the settings can change after start (tests)."""

    def menu_keys(languages: list[str]) -> MenuKeys:
        settings: IvrSettings = app.extensions[EXTENSION]
        return phone_languages(
            languages,
            catalog_check=settings.catalog_check,
            renderer=settings.renderer,
            say_voices=settings.say_voices,
        ).menu_keys()

    return menu_keys
