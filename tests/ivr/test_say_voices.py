"""An establishment chooses Twilio's <Say> voice per language; its calls then speak with it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.twiml.voice_response import VoiceResponse

from ivr.settings import IvrSettings
from ivr.twiml import Speaker
from safeguarding.services import Services
from speech.inventory import PromptLine
from speech.render import SpeechRenderer
from speech.say_voices import VoiceProblem, read_say_voices, voice_problem, write_say_voices
from storage.models import Establishment, Report
from tests.ivr.conftest import AUTH_TOKEN, add_line
from tests.ivr.emulator import HangUp, Keys, TwilioEmulator
from tests.ivr.test_call_flow import REPORT_ABOUT_ME_NO_STAFF, assert_clean
from tests.ivr.test_languages import every_catalog, record_every_prompt


def choose_voices(services: Services, establishment_id: int, voices: dict[str, str]) -> None:
    with services.db.transaction() as session:
        establishment = session.get(Establishment, establishment_id)
        assert establishment is not None
        establishment.say_voices = write_say_voices(voices)


def says(body: str) -> list[dict[str, str]]:
    root = ET.fromstring(body)  # noqa: S314
    return [dict(say.attrib) for say in root.iter("Say")]


def test_a_language_with_a_voice_is_said_by_twilio_and_the_others_are_played(
    client: FlaskClient, services: Services
) -> None:
    line = add_line(services, languages="en,cy")
    choose_voices(services, line.establishment_id, {"cy": "Polly.Gwyneth"})
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)
    log = phone.call([Keys("2"), *REPORT_ABOUT_ME_NO_STAFF])
    assert_clean(log)
    menu = log.exchanges[0].body
    # The menu: English entry played, the Welsh entry said by Gwyneth in cy-GB.
    assert "/audio/prompts/en/" in menu
    assert says(menu) == [{"language": "cy-GB", "voice": "Polly.Gwyneth"}]
    after_menu = log.heard[menu.count("<Play>") + 1 :]
    assert any(h.verb == "Say" for h in after_menu)
    assert all(h.language == "cy-GB" for h in after_menu if h.verb == "Say")
    # Nothing of ours is played in Welsh (only the caller's own message, to listen back).
    assert not any("/audio/prompts/" in h.value for h in after_menu if h.verb == "Play")
    assert all(
        say == {"language": "cy-GB", "voice": "Polly.Gwyneth"}
        for exchange in log.exchanges[1:]
        for say in says(exchange.body)
    )
    with services.db.transaction() as session:
        assert session.scalars(select(Report.language)).one() == "cy"


def test_another_establishment_keeps_its_own_audio(client: FlaskClient, services: Services) -> None:
    with_voice = add_line(services, languages="cy")
    without = add_line(services, languages="cy")
    choose_voices(services, with_voice.establishment_id, {"cy": "Polly.Gwyneth"})
    said = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=with_voice.number).call([HangUp()])
    played = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=without.number).call([HangUp()])
    assert says(said.exchanges[0].body) and not said.played()
    assert not says(played.exchanges[0].body)
    assert all("/audio/prompts/cy/" in url for url in played.played())


def test_a_recorded_prompt_beats_the_twilio_voice(
    app: Flask, client: FlaskClient, services: Services, renderer: SpeechRenderer, tmp_path: Path
) -> None:
    line = add_line(services, languages="cy")
    choose_voices(services, line.establishment_id, {"cy": "Polly.Gwyneth"})
    record_every_prompt(app, services, "cy", tmp_path)
    log = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number).call([HangUp()])
    assert log.played() and not says(log.exchanges[0].body)


def test_somali_cannot_be_given_a_twilio_voice(
    client: FlaskClient, services: Services, ivr_settings: IvrSettings
) -> None:
    """Twilio has no Somali voice: a stored one is ignored, so Somali stays left out until
    every prompt is recorded, and a caller never hears Somali text read by another voice."""
    ivr_settings.catalog_check = every_catalog
    line = add_line(services, languages="en,so")
    choose_voices(services, line.establishment_id, {"so": "Polly.Amy"})
    with services.db.transaction() as session:
        establishment = session.get(Establishment, line.establishment_id)
        assert establishment is not None
        assert read_say_voices(establishment.say_voices) == {}
    log = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number).call([HangUp()])
    assert not any("/audio/prompts/so/" in url for url in log.played())
    assert not says(log.exchanges[0].body)


@pytest.mark.parametrize(
    ("language", "voice", "problem"),
    [
        ("cy", "Polly.Gwyneth", None),
        ("en", "Polly.Amy-Neural", None),
        ("cy", "Google.cy-GB-Standard-A", None),
        ("pl", "Google.pl-PL-Wavenet-B", None),
        ("cy", "Google.en-GB-Standard-A", VoiceProblem.OTHER_LANGUAGE),
        ("cy", "Gwyneth", VoiceProblem.NOT_A_VOICE_NAME),
        ("cy", "Polly.gwyneth", VoiceProblem.NOT_A_VOICE_NAME),
        ("cy", "Polly.Gwyneth<Play>", VoiceProblem.NOT_A_VOICE_NAME),
        ("cy", "", VoiceProblem.NOT_A_VOICE_NAME),
        ("so", "Polly.Amy", VoiceProblem.LANGUAGE_NOT_SPOKEN),
        ("sq", "Polly.Amy", VoiceProblem.LANGUAGE_NOT_SPOKEN),
        ("xx", "Polly.Amy", VoiceProblem.LANGUAGE_NOT_SPOKEN),
    ],
)
def test_voice_names_are_checked(language: str, voice: str, problem: VoiceProblem | None) -> None:
    assert voice_problem(language, voice) == problem


def test_twilio_s_voice_is_given_phone_numbers_digit_by_digit(renderer: SpeechRenderer) -> None:
    """As our own voice is (speech.numbers): "116 123" said as thousands cannot be dialled."""
    response = VoiceResponse()
    speaker = Speaker(renderer, {"en": "Polly.Amy"})
    samaritans = PromptLine("goodbye.samaritans", "You can call Samaritans free on 116 123.")
    speaker.say(response, "en", [samaritans])
    [said] = [say.text for say in ET.fromstring(str(response)).iter("Say")]  # noqa: S314
    assert said == "You can call Samaritans free on 1 1 6, 1 2 3."
