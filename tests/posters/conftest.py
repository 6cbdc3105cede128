"""An establishment that offers every language, with two phone lines, kiosks on its wings
and a BSL video, and the facts a poster prints about it."""

from __future__ import annotations

import pytest
from flask import Flask

from posters.facts import PHONE_MENU_EXTENSION, PosterFacts, gather_facts
from safeguarding.services import Services
from storage.models import Establishment, KioskDevice, PhoneLine
from tests.conftest import START
from tests.factories import make_establishment
from tests.support.bsl import give_video
from translations.languages import LANGUAGES

ALL = [language.code for language in LANGUAGES]
SECOND_NUMBER = "+441632960999"


@pytest.fixture
def establishment(services: Services) -> Establishment:
    with services.db.transaction() as session:
        found = make_establishment(session, name="HMP Poster Test", languages=",".join(ALL))
        wings = {location.name: location.id for location in found.locations}
        session.add_all(
            [
                KioskDevice(
                    establishment_id=found.id, location_id=wings["B Wing"],
                    label="B Wing kiosk", created_at=START,
                ),
                # Revoked: no longer there, so never on a poster.
                KioskDevice(
                    establishment_id=found.id, location_id=wings["Healthcare"],
                    label="Healthcare kiosk", created_at=START, revoked_at=START,
                ),
                PhoneLine(establishment_id=found.id, number=SECOND_NUMBER, created_at=START),
            ]
        )  # fmt: skip
        session.flush()
        session.expunge_all()
        return found


@pytest.fixture
def facts(app: Flask, services: Services, establishment: Establishment) -> PosterFacts:
    # A signed kiosk screen: the poster then says so, which makes it the longest it gets.
    give_video(services, establishment.id, "menu")
    with services.db.transaction() as session:
        return gather_facts(
            session, code=establishment.code, phone_menu=app.extensions[PHONE_MENU_EXTENSION]
        )
