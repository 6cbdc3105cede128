"""Hands the kiosk's sentences to the prompts page and ``safereport audio`` (which may not
import the kiosk), so that kiosk sentences are recorded like the phone line's."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask_babel import force_locale

from kiosk.context import place_of_establishment
from kiosk.prompts import kiosk_inventory, respond_times
from safeguarding.services import Services
from speech.inventory import Everywhere, PlaceInventory, PromptLine
from storage.repositories.installation import establishment_ids


def kiosk_lines(services: Callable[[], Services], app: Callable[[], Flask]) -> PlaceInventory:
    """The kiosk's sentences in a language at an establishment (None: those all share),
    translated inside ``app`` (a request's app, or a bare one on the command line)."""

    def lines(language: str, establishment_id: int | None) -> list[PromptLine]:
        found = services()
        with found.db.reading() as session:
            place = place_of_establishment(session, establishment_id)
        with app().app_context(), force_locale(language):
            return kiosk_inventory(place, respond_times(found.policy))

    return lines


def kiosk_lines_everywhere(
    services: Callable[[], Services], app: Callable[[], Flask]
) -> Everywhere:
    """Every sentence Listen can say at every establishment, in those of ``languages`` it
    offers at its kiosks, each (language, sentence) once: ``audio build`` renders them so
    that nobody waits for speech to be made the first time they touch Listen."""

    def every(languages: list[str]) -> list[tuple[str, PromptLine]]:
        found = services()
        with found.db.reading() as session:
            places = [place_of_establishment(session, each) for each in establishment_ids(session)]
        wanted = set(languages)
        work: dict[tuple[str, str], PromptLine] = {}
        with app().app_context():
            for place in places:
                for code in (code for code in place.language_codes if code in wanted):
                    with force_locale(code):
                        for line in kiosk_inventory(place, respond_times(found.policy)):
                            work.setdefault((code, line.text), line)
        return [(code, line) for (code, _text), line in work.items()]

    return every
