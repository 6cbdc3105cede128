"""What a poster says about an establishment: its numbers, its kiosks' places, and the key
the phone line really uses for each language."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from posters.facts import PHONE_MENU_EXTENSION, PosterFacts, UnknownEstablishment, gather_facts
from safeguarding.services import Services
from storage.models import Establishment, PhoneLine
from tests.factories import make_establishment
from tests.posters.conftest import ALL


def test_the_facts_are_the_establishments_numbers_and_kiosk_places(
    facts: PosterFacts, establishment: Establishment
) -> None:
    assert facts.name == "HMP Poster Test"
    assert facts.languages == tuple(ALL)  # every language has a catalog
    assert len(facts.phone_numbers) == 2
    assert facts.phone_numbers[1] == "01632 960999"  # as dialled from inside
    # The kiosk with no wing is named by its label; the revoked one is left out.
    assert facts.kiosk_places == ("B Wing", "A Wing kiosk")


def test_the_keys_are_the_phone_menus_keys(facts: PosterFacts) -> None:
    """The phone line's scheme: languages in the establishment's order, keys 1 to 9, then
    the star key opens the rest. Somali has neither a voice nor recordings: not offered."""
    first_page = {code: (str(key),) for key, code in enumerate(ALL[:9], start=1)}
    assert facts.menu_keys == first_page | {"pa": ("*", "1"), "vi": ("*", "2")}
    assert "so" not in facts.menu_keys


def test_one_phone_language_means_no_menu(app: Flask, services: Services) -> None:
    with services.db.transaction() as session:
        found = make_establishment(session, languages="cy")
        keys = _facts(app, session, found.code).menu_keys
    assert keys == {"cy": ()}


def test_an_unknown_establishment_is_refused(app: Flask, services: Services) -> None:
    with services.db.transaction() as session, pytest.raises(UnknownEstablishment):
        _facts(app, session, "NOPE")


def _facts(app: Flask, session: Session, code: str) -> PosterFacts:
    return gather_facts(session, code=code, phone_menu=app.extensions[PHONE_MENU_EXTENSION])


def test_a_london_line_is_printed_in_its_national_groups(app: Flask, services: Services) -> None:
    with services.db.transaction() as session:
        found = make_establishment(session, languages="en")
        line = session.scalars(
            select(PhoneLine).where(PhoneLine.establishment_id == found.id)
        ).one()
        line.number = "+442079460000"
        session.flush()
        numbers = _facts(app, session, found.code).phone_numbers
    assert numbers == ("020 7946 0000",)
