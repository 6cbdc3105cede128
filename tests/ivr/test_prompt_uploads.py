"""Recording every Somali prompt on the administrators' page puts Somali on the phone."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from speech.engine import synthesise_wav
from speech.prompt_audio import EXTENSION, PromptAudio
from tests.ivr.conftest import AUTH_TOKEN, add_line
from tests.ivr.emulator import HangUp, Keys, TwilioEmulator
from tests.ivr.test_call_flow import REPORT_ABOUT_ME_NO_STAFF, assert_clean
from tests.triage.helpers import csrf, make_staff, signed_in_client


def test_somali_is_offered_once_every_prompt_is_uploaded(
    app: Flask, client: FlaskClient, services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    line = add_line(services, languages="en,so")
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)
    before = phone.call([HangUp()])
    assert not any("/audio/prompts/so/" in url for url in before.played())

    admin = make_staff(services, role="admin", establishment_ids=[line.establishment_id])
    admin_client = signed_in_client(app, services, admin, clock)
    audio: PromptAudio = app.extensions[EXTENSION]
    with app.app_context():
        prompts = audio.inventory("so")
    token = csrf(admin_client)
    for number, prompt in enumerate(prompts):
        wav = tmp_path / f"{number}.wav"
        synthesise_wav(prompt.text, "en", wav)  # a person reading the sentence
        sent = admin_client.post(
            f"/triage/admin/phone-prompts/{line.establishment_id}/so/{prompt.id}",
            data={"csrf_token": token, "recording": (io.BytesIO(wav.read_bytes()), "p.wav")},
            content_type="multipart/form-data",
        )
        assert sent.status_code == 302, prompt.id
        if number == len(prompts) - 2:  # one prompt still missing: not offered yet
            almost = phone.call([HangUp()])
            assert not any("/audio/prompts/so/" in url for url in almost.played())

    # At once, not after the phone line's one-minute language cache.
    log = phone.call([Keys("2"), *REPORT_ABOUT_ME_NO_STAFF])
    assert_clean(log)
    assert "/audio/prompts/so/" in log.exchanges[0].body
    menu = log.exchanges[0].body.count("<Play>")
    assert all(
        "/audio/prompts/so/" in url for url in log.played()[menu:] if "/audio/prompts/" in url
    )
