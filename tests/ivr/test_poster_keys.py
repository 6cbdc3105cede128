"""The key a poster prints for a language is the key that chooses it on the phone line."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from posters.facts import PHONE_MENU_EXTENSION, gather_facts
from safeguarding.services import Services
from storage.models import Establishment
from storage.repositories.calls import find_call
from tests.ivr.conftest import AUTH_TOKEN, add_line
from tests.ivr.emulator import HangUp, Keys, TwilioEmulator
from translations.languages import LANGUAGES

ALL = ",".join(language.code for language in LANGUAGES)


# The first, the last of the first menu, and both sides of the star key's second menu.
@pytest.mark.parametrize("language", ["en", "ur", "pa", "vi"])
def test_pressing_the_printed_keys_chooses_the_posters_language(
    app: Flask, client: FlaskClient, services: Services, language: str
) -> None:
    line = add_line(services, languages=ALL)
    with services.db.transaction() as session:
        establishment = session.get(Establishment, line.establishment_id)
        assert establishment is not None
        facts = gather_facts(
            session, code=establishment.code, phone_menu=app.extensions[PHONE_MENU_EXTENSION]
        )
    keys = facts.menu_keys[language]
    assert keys  # many languages: there is a menu
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)
    log = phone.call([*(Keys(key) for key in keys), HangUp()])
    with services.db.transaction() as session:
        call = find_call(session, log.call_sid, pepper=services.secrets.code_pepper)
        assert call is not None
        assert call.language == language
