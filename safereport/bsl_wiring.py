"""Hands the kiosk's BSL sentences to the administrators' BSL videos page (which may not
import the kiosk): for an establishment, every slot that takes a video and the English
sentence it signs."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask_babel import force_locale

from kiosk.bsl import bsl_sentences
from kiosk.context import place_of_establishment
from safeguarding.services import Services
from translations.languages import SOURCE_LANGUAGE


def bsl_lines(
    services: Callable[[], Services], app: Callable[[], Flask]
) -> Callable[[int], list[tuple[str, str]]]:
    def lines(establishment_id: int) -> list[tuple[str, str]]:
        with services().db.reading() as session:
            place = place_of_establishment(session, establishment_id)
        with app().app_context(), force_locale(SOURCE_LANGUAGE):
            return bsl_sentences(place)

    return lines
