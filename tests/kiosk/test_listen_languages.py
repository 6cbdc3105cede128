"""Every kiosk screen has audio in every language the kiosk offers Listen in.

Somali has no computer voice. It stays offered at the kiosk (people read it), and Listen
is shown in Somali only once every sentence the kiosk says has a recording for that
establishment (its own, or the installation's): never a button that is silent on some
screens. Recordings are the phone line's, kept in the database (docs/kiosk.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from safeguarding.services import Services
from speech.engine import synthesise_wav
from speech.prompt_audio import EXTENSION, PromptAudio
from tests.factories import new_establishment, submit
from tests.kiosk.audio import assert_speech
from tests.kiosk.conftest import enrolment_token
from tests.kiosk.journey import ANSWERS, answer, send, start_report
from tests.kiosk.pages import Kiosk
from tests.support.prompts import store_prompt
from translations.languages import offerable_languages

# Every screen Listen reads, reached as a person reaches it.
REPORT_SCREENS = ["menu", *ANSWERS, "check", "warning", "not_sent", "too_many"]
FOLLOW_UP_SCREENS = ["code", "status", "add", "added"]
# What the person wants (issue 15.1), after Sent and when coming back.
WISHES_SCREENS = ["wishes_wants", "wishes_sharing", "wishes_thanks"]
FEELINGS_SCREENS = ["feelings_did_we", "feelings_safer", "feelings_thanks"]


def enrol(client: FlaskClient, services: Services, establishment_id: int) -> Kiosk:
    response = client.post(
        "/kiosk/enrol", data={"token": enrolment_token(services, establishment_id)}
    )
    assert response.status_code == 303
    driver = Kiosk(client)
    driver.get("/kiosk/")
    return driver


def heard(kiosk: Kiosk, screen: str) -> int:
    response = kiosk.client.get(f"/kiosk/listen/{screen}")
    if response.status_code == 200:
        assert_speech(response.get_data())
    return response.status_code


def walk(kiosk: Kiosk, services: Services, establishment_id: int, language: str) -> dict[str, int]:
    """Every screen in ``language``: whether the page offers Listen, and what Listen gives."""
    found: dict[str, int] = {}
    menu = start_report(kiosk, language)
    found["button"] = len(menu.by_class("kiosk-listen"))
    for screen in REPORT_SCREENS:
        if screen in ANSWERS:
            kiosk.get(f"/kiosk/report/{screen}")
        found[screen] = heard(kiosk, screen)
        if screen in ANSWERS:
            answer(kiosk, screen, ANSWERS[screen])
    send(kiosk)
    found["sent"] = heard(kiosk, "sent")
    kiosk.submit("/kiosk/report/wishes", {"answer": ["stop"]})
    for screen in WISHES_SCREENS:
        found[screen] = heard(kiosk, screen)
    receipt = submit(services, establishment_id)
    start_report(kiosk, language)
    kiosk.submit("/kiosk/code", {"code": receipt.code, "key": "check"})
    for screen in [*FOLLOW_UP_SCREENS, *FEELINGS_SCREENS]:
        found[screen] = heard(kiosk, screen)
    return found


def record_every_kiosk_sentence(
    app: Flask, services: Services, establishment_id: int, tmp: Path
) -> None:
    """A person reads each sentence (espeak here): the digits once for every establishment
    (the installation's defaults), the rest as this establishment's own."""
    audio: PromptAudio = app.extensions[EXTENSION]
    with app.test_request_context():
        lines = audio.more("so", establishment_id)
    assert len(lines) > 100
    for number, line in enumerate(lines):
        wav = tmp / f"{number}.wav"
        synthesise_wav(line.text, "en", wav)
        shared = line.id.startswith("kiosk.digit.")
        store_prompt(
            services, wav, text=line.text, language="so", prompt_id=line.id,
            establishment_id=None if shared else establishment_id,
        )  # fmt: skip


@pytest.mark.one_database  # audio: the same whatever the database
def test_every_kiosk_screen_has_audio_in_every_language_that_offers_listen(
    app: Flask, client: FlaskClient, services: Services, tmp_path: Path
) -> None:
    prison = new_establishment(services, languages="en,cy,so")
    other = new_establishment(services, languages="en,so")
    kiosk = enrol(client, services, prison)
    start = kiosk.get("/kiosk/")
    speakers = [button.attrs["data-listen"] for button in start.by_class("kiosk-speak")]
    assert speakers == ["/kiosk/listen/language/en", "/kiosk/listen/language/cy"]  # not Somali
    for language in ("en", "cy"):
        walked = walk(kiosk, services, prison, language)
        assert walked.pop("button") == 1, language
        assert set(walked.values()) == {200}, (language, walked)

    somali = walk(kiosk, services, prison, "so")
    assert somali.pop("button") == 0  # offered for reading, but no Listen without audio
    assert set(somali.values()) == {404}

    record_every_kiosk_sentence(app, services, prison, tmp_path)
    somali = walk(kiosk, services, prison, "so")
    assert somali.pop("button") == 1
    assert set(somali.values()) == {200}, somali  # every screen has audio in Somali now
    start = kiosk.get("/kiosk/")
    assert "/kiosk/listen/language/so" in [
        b.attrs["data-listen"] for b in start.by_class("kiosk-speak")
    ]

    # Another prison's kiosk hears only the installation's Somali (the digits): no Listen.
    elsewhere = enrol(app.test_client(), services, other)
    assert walk(elsewhere, services, other, "so")["button"] == 0


def test_the_prompts_page_and_the_script_list_kiosk_sentences(
    app: Flask, services: Services
) -> None:
    prison = new_establishment(services, languages="en,so")
    audio: PromptAudio = app.extensions[EXTENSION]
    with app.test_request_context():
        every = audio.lines("so", prison)
        phone_only = audio.inventory("so")
        shared = audio.lines("so", None)
    ids = {line.id for line in every}
    assert {"kiosk.menu.title", "kiosk.check.title", "kiosk.what.choice.bullied"} <= ids
    assert any(
        line.id.startswith("kiosk.where.choice.") and line.id[-1].isdigit() for line in every
    )
    assert len(every) > len(shared) > len(phone_only)  # the wings are this prison's own
    kiosk_only = every[len(phone_only) :]
    assert not {line.text for line in kiosk_only} & {line.text for line in phone_only}


def test_listen_is_offered_in_every_language_with_audio_for_every_screen_and_no_other(
    client: FlaskClient, services: Services
) -> None:
    """Every language the kiosk can offer: Listen is shown exactly where every sentence has
    audio (a computer voice here, for all but Somali), and then its menu is spoken."""
    offered = offerable_languages()
    prison = new_establishment(services, languages=",".join(offered))
    kiosk = enrol(client, services, prison)
    shown = {}
    for language in offered:
        menu = start_report(kiosk, language)
        shown[language] = bool(menu.by_class("kiosk-listen"))
        if shown[language]:
            assert heard(kiosk, "menu") == 200, language
    assert shown == {language: language != "so" for language in offered}
