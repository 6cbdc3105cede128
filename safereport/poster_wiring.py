"""Hands the phone line's language menu to the posters, which may not import ivr: a poster
prints the key the line really uses for its language."""

from __future__ import annotations

from flask import Flask

from ivr.flow import FOLLOW_UP_KEY
from ivr.languages import phone_languages
from ivr.settings import EXTENSION, IvrSettings
from posters.facts import MenuKeys, PhoneMenu
from speech.say_voices import read_say_voices
from storage.models import Establishment
from triage.slip import FollowUpKeys


def phone_menu(app: Flask) -> PhoneMenu:
    """The app's phone menu, read when asked: the settings can change after start (tests)."""

    def menu_keys(establishment: Establishment) -> MenuKeys:
        settings: IvrSettings = app.extensions[EXTENSION]
        return phone_languages(
            list(establishment.language_codes),
            catalog_check=settings.catalog_check,
            renderer=settings.renderer.scoped(establishment.id),
            say_voices=read_say_voices(establishment.say_voices),
        ).menu_keys()

    return menu_keys


def follow_up_keys(menu: PhoneMenu) -> FollowUpKeys:
    """Every key a caller presses, per language, from the first menu to typing a code: the
    language's keys (none when the line speaks one language), then the start menu's key."""

    def keys(establishment: Establishment) -> dict[str, tuple[str, ...]]:
        return {
            language: (*language_keys, FOLLOW_UP_KEY)
            for language, language_keys in menu(establishment).items()
        }

    return keys
