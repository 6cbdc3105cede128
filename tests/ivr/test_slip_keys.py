"""The printed slip's phone keys are the keys that reach "type your code" on that
establishment's line (issue 19): a prisoner who presses exactly what the slip says, and then
types the code, hears their report's status. The slip once said "press 3" where 3 chose
Albanian."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.ivr.conftest import AUTH_TOKEN, add_line
from tests.ivr.emulator import HangUp, Keys, TwilioEmulator
from tests.ivr.transcript import transcript
from tests.triage.helpers import csrf_from, make_staff, signed_in_client
from tests.triage.test_staff_reports import answers, code_on
from translations.bidi import LEFT_TO_RIGHT_ISOLATE, POP_DIRECTIONAL_ISOLATE
from translations.languages import LANGUAGES

ALL = ",".join(language.code for language in LANGUAGES)
# English last: ten languages, so English is behind the star key on this line.
ENGLISH_LAST = "cy,sq,pl,ro,lt,pt,ar,ur,pa,en"
_SLIP_PHONE = re.compile(r'id="slip-phone"[^>]*>(.*?)</', re.S)
_ISOLATED = re.compile(f"{LEFT_TO_RIGHT_ISOLATE}([^{POP_DIRECTIONAL_ISOLATE}]*)")
_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def slip_for(
    app: Flask, services: Services, clock: FixedClock, establishment_id: int, language: str
) -> tuple[str, str]:
    """The slip's phone sentence and the code, for a report a lead enters in ``language``."""
    lead = make_staff(services, role="lead", establishment_ids=[establishment_id])
    client = signed_in_client(app, services, lead, clock)
    form = client.get(f"/triage/reports/new?establishment={establishment_id}")
    html = form.get_data(as_text=True)
    key = _KEY.search(html)
    assert form.status_code == 200 and key is not None
    fields = answers(services, establishment_id, language=language)
    data = {"csrf_token": csrf_from(html), "submission_key": key.group(1), **fields}
    slip = client.post("/triage/reports/new", data=data).get_data(as_text=True)
    sentence = _SLIP_PHONE.search(slip)
    assert sentence is not None, "the slip says nothing about the phone"
    return sentence.group(1), code_on(slip)


def press_what_the_slip_says(
    app: Flask, number: str, keys: list[str], code: str, language: str
) -> list[str]:
    phone = TwilioEmulator(app.test_client(), auth_token=AUTH_TOKEN, to=number)
    log = phone.call([*(Keys(key) for key in keys), Keys(code + "#"), HangUp()])
    return transcript(app, log, [language])


def reached_the_report(heard: list[str]) -> bool:
    """The caller was asked for a code and then heard the report's status."""
    if "lookup.type" not in heard:
        return False
    return any(said.startswith("status.") for said in heard[heard.index("lookup.type") :])


@pytest.mark.parametrize(("languages", "language"), [(ALL, "pl"), (ALL, "ur"), ("pa", "pa")])
def test_the_slips_keys_reach_the_code_on_that_line(
    app: Flask, services: Services, clock: FixedClock, languages: str, language: str
) -> None:
    line = add_line(services, languages=languages)
    sentence, code = slip_for(app, services, clock, line.establishment_id, language)
    number, *keys = _ISOLATED.findall(sentence)
    assert number.replace(" ", "").isdigit()
    assert all(key.isdigit() for key in keys) and keys, sentence
    heard = press_what_the_slip_says(app, line.number, keys, code, language)
    assert reached_the_report(heard), (sentence, " ".join(heard))


def test_a_language_behind_the_star_key_says_so(
    app: Flask, services: Services, clock: FixedClock
) -> None:
    line = add_line(services, languages=ENGLISH_LAST)
    sentence, code = slip_for(app, services, clock, line.establishment_id, "en")
    assert "Press the star key, then" in sentence
    _number, *digits = _ISOLATED.findall(sentence)
    heard = press_what_the_slip_says(app, line.number, ["*", *digits], code, "en")
    assert reached_the_report(heard), (sentence, " ".join(heard))
    assert len(digits) == 2, sentence  # English's key behind the star, then the code key


def test_a_language_the_line_does_not_speak_gets_no_keys(
    app: Flask, services: Services, clock: FixedClock
) -> None:
    # Somali has neither a Twilio voice nor recorded prompts here: the line cannot speak it.
    line = add_line(services, languages="en,so")
    sentence, _code = slip_for(app, services, clock, line.establishment_id, "so")
    _number, *keys = _ISOLATED.findall(sentence)
    assert keys == [], sentence
