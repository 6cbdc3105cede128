"""Where to send help: after "in danger" the caller chooses their wing by key, then may say
their name and cell (sealed); the wing becomes the report's place and goes into the page."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from safeguarding.alerts import start_paging
from safeguarding.call_wing import place_report
from safeguarding.services import Services
from safereport.notify.messages import AlertText, compose
from storage.models import (
    CallSession,
    Establishment,
    Location,
    OnCallContact,
    OutboxMessage,
    Recording,
    Report,
)
from storage.sealed_fields import RECORDING_SOURCE_URL
from tests.core.test_storage import _raw_database_bytes
from tests.ivr.conftest import AUTH_TOKEN, Line, add_line
from tests.ivr.emulator import HangUp, Input, Keys, SayNothing, Silence, Speak, TwilioEmulator
from tests.ivr.test_call_flow import assert_clean, only_report
from tests.ivr.transcript import transcript

DANGER_SOMEONE_ELSE: list[Input] = [Keys("1"), Keys("2")]


def wing_id(services: Services, establishment_id: int, name: str) -> int:
    with services.db.transaction() as session:
        return session.scalars(
            select(Location.id).where(
                Location.establishment_id == establishment_id, Location.name == name
            )
        ).one()


def add_on_call(services: Services, establishment_id: int) -> None:
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment_id, chain_position=1, role="lead",
                display_name="Lena Lead", email="lead@prison.example", phone="+447700900001",
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )  # fmt: skip


def pages(services: Services, report_id: int) -> list[AlertText]:
    """Page the chain as the worker does, and the words of every message that would go."""
    with services.db.transaction() as session:
        start_paging(session, report_id=report_id, policy=services.policy, clock=services.clock)
    return words_of(services)


def words_of(services: Services) -> list[AlertText]:
    texts = []
    with services.db.transaction() as session:
        for message in session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind.like("notify.%"))
        ):
            _, text = compose(session, json.loads(message.payload), base_url="https://x.example")
            texts.append(text)
    return texts


def names_wing(services: Services, establishment_id: int, value: bool) -> None:
    with services.db.transaction() as session:
        establishment = session.get(Establishment, establishment_id)
        assert establishment is not None
        establishment.immediate_alert_names_wing = value


def test_the_wing_chosen_becomes_the_place_and_the_page_names_it(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    add_on_call(services, line.establishment_id)
    log = phone.call([*DANGER_SOMEONE_ELSE, Keys("2"), SayNothing(), HangUp()])
    assert_clean(log)
    heard = transcript(app, log, ["en"])
    asked = heard.index("wing.question")
    assert heard.index("danger.someone_else") < asked < heard.index("name.ask")
    menu = heard[asked : asked + 8]
    # Each wing's name (the establishment's own words, not a prompt) before its key.
    assert menu == ["wing.question", "?", "wing.key.1", "?", "wing.key.2", "?", "wing.key.3",
                    "wing.not_sure"]  # fmt: skip
    report = only_report(services)
    assert report.location_id == wing_id(services, line.establishment_id, "B Wing")
    assert report.priority == "immediate" and report.someone_else_in_danger_now
    assert "wing_chosen" in [event.kind for event in report.events]
    for text in pages(services, report.id):
        assert "B Wing" in text.sms and "B Wing" in text.voice and "B Wing" in text.body


def test_an_establishment_can_leave_the_wing_out_of_the_page(
    phone: TwilioEmulator, services: Services, line: Line
) -> None:
    names_wing(services, line.establishment_id, False)
    add_on_call(services, line.establishment_id)
    phone.call([*DANGER_SOMEONE_ELSE, Keys("2"), SayNothing(), HangUp()])
    report = only_report(services)
    assert report.location_id is not None  # still the report's place, for the case page
    texts = pages(services, report.id)
    assert texts and all("Wing" not in text.sms + text.voice + text.body for text in texts)


def test_a_page_that_went_before_the_wing_is_followed_by_the_wing(
    phone: TwilioEmulator, services: Services, line: Line
) -> None:
    """The caller hangs up at the wing question: the report is kept, marked, paged; a wing
    given later (here by the rules directly) reaches the person paged by text and email."""
    add_on_call(services, line.establishment_id)
    phone.call([*DANGER_SOMEONE_ELSE, HangUp()])
    report = only_report(services)
    assert report.priority == "immediate" and report.location_id is None
    assert "call_ended_early" in [event.kind for event in report.events]
    first = pages(services, report.id)
    assert first and all("Wing" not in text.sms for text in first)
    a_wing = wing_id(services, line.establishment_id, "A Wing")
    with services.db.transaction() as session:
        found = session.get(Report, report.id)
        assert found is not None
        place_report(session, report=found, location_id=a_wing, at=services.clock.now())
        place_report(session, report=found, location_id=a_wing, at=services.clock.now())
        kinds = session.scalars(select(OutboxMessage.kind)).all()
    assert kinds.count("notify.sms") == 2 and kinds.count("notify.voice") == 1  # no 2nd call
    after = words_of(services)
    assert len(after) == 5 and all("A Wing" in text.sms for text in after)
    updates = [text for text in after if text.subject.endswith(": A Wing")]
    assert len(updates) == 2  # the update, by text and email


def test_a_wrong_key_at_the_wing_is_asked_again_in_the_callers_language(
    app: Flask, client: FlaskClient, services: Services
) -> None:
    line = add_line(services, languages="cy")
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)
    log = phone.call([Keys("1"), Keys("1"), Keys("5"), Keys("3"), SayNothing(), HangUp()])
    heard = transcript(app, log, ["cy"])
    wrong = heard.index("common.wrong_key")
    assert heard.index("wing.question") < wrong < len(heard) - heard[::-1].index("wing.question")
    assert all("/audio/prompts/cy/" in url or "/audio/prompts/en/" in url for url in log.played())
    report = only_report(services)
    assert report.priority == "immediate" and report.in_danger_now  # nothing lost
    assert report.location_id == wing_id(services, line.establishment_id, "Healthcare")


def test_not_sure_and_silence_move_on_without_a_wing(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("1"), Keys("1"), Keys("*"), SayNothing(), HangUp()])
    assert "name.ask" in transcript(app, log, ["en"])
    assert only_report(services).location_id is None


def test_silence_at_the_wing_asks_twice_then_moves_on(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("1"), Keys("1"), Silence(), Silence(), SayNothing(), HangUp()])
    heard = transcript(app, log, ["en"])
    assert heard.count("wing.question") == 2 and "name.ask" in heard
    assert "danger.continue" in heard


def test_more_than_seven_wings_go_on_a_second_page(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    with services.db.transaction() as session:
        session.add_all(
            Location(establishment_id=line.establishment_id, name=f"Unit {n}", position=n)
            for n in range(4, 10)
        )
    log = phone.call([Keys("1"), Keys("1"), Keys("8"), Keys("2"), SayNothing(), HangUp()])
    heard = transcript(app, log, ["en"])
    assert "wing.more" in heard and "wing.key.7" in heard
    assert only_report(services).location_id == wing_id(services, line.establishment_id, "Unit 9")


def test_the_name_and_cell_are_sealed_and_kept_when_the_caller_hangs_up(
    phone: TwilioEmulator,
    services: Services,
    database_kind: str,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    log = phone.call([Keys("1"), Keys("1"), Keys("1"), HangUp(after_speaking=8)])
    report = only_report(services)
    assert report.priority == "immediate" and report.location_id is not None
    assert [(r.kind, r.duration_seconds) for r in report.recordings] == [("name", 8)]
    assert "name_recording" in [event.kind for event in report.events]
    [sid] = log.recordings
    with services.db.transaction() as session:
        recording = session.scalars(select(Recording)).one()
        url = RECORDING_SOURCE_URL.open_text(services.secrets.vault, recording)
        fetches = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "recording.fetch")
        ).all()
    assert url is not None and sid in url and len(fetches) == 1
    assert sid not in caplog.text
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert b"A Wing" in raw  # we really read the stored data
    assert url.encode() not in raw  # sealed, as a voice message's (its id is plain there too)


def test_the_name_recording_is_not_the_voice_message(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    """Listening back and recording again act on the voice message, never the name."""
    script: list[Input] = [Keys("1"), Keys("1"), Keys("1"), Speak(12)]
    script += [Keys("1"), Keys("2"), Keys("1"), Keys("2"), Keys("2"), Speak(30)]
    log = phone.call([*script, Keys("3"), Speak(20), Keys("2"), Keys("5"), HangUp()])
    report = only_report(services)
    kept = sorted((r.kind, r.duration_seconds, r.replaced) for r in report.recordings)
    assert kept == [("message", 20, False), ("message", 30, True), ("name", 12, False)]
    assert log.ended_by == "caller"  # at "what do you want to happen?", after the code


def test_a_forged_wing_webhook_changes_nothing(
    client: FlaskClient, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    log = phone.call([Keys("1"), Keys("1")])  # then the script runs out at the wing
    with services.db.transaction() as session:
        call = session.scalars(select(CallSession)).one()
        turn = call.turn
    assert call.step == "wing"
    url = f"http://localhost/ivr/wing?t={turn}&lang=en"
    params = {**phone.base_params(log.call_sid), "Digits": "2"}
    forged = RequestValidator("not-the-token").compute_signature(url, params)
    response = client.post(url, data=params, headers={"X-Twilio-Signature": forged})
    assert response.status_code == 403
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    changed = {**params, "Digits": "3"}
    response = client.post(url, data=changed, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert only_report(services).location_id is None
    response = client.post(url, data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200  # the real one, signed as Twilio signs it, counts
    assert only_report(services).location_id == wing_id(services, line.establishment_id, "B Wing")
