"""Recordings are fetched from a loopback stand-in for Twilio into sealed storage."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from ivr.recordings import RecordingApi, RecordingFetchError, make_recording_fetcher
from safeguarding.services import Services
from safereport.config import Config
from safereport.worker_setup import build_worker
from speech.engine import synthesise_wav
from storage.models import OutboxMessage, Recording, Report
from storage.sealed_fields import RECORDING_AUDIO
from tests.ivr.conftest import AUTH_TOKEN, Line
from tests.ivr.emulator import Keys, Speak, TwilioEmulator
from tests.ivr.recording_server import RecordingStore, serving
from tests.ivr.test_call_flow import REPORT_ABOUT_ME_NO_STAFF

Handler = Callable[[Services, dict[str, Any]], None]


@pytest.fixture
def voice_message(tmp_path: Path) -> bytes:
    wav = tmp_path / "message.wav"
    synthesise_wav("Someone on my wing takes my canteen every week.", "en", wav)
    return wav.read_bytes()


@pytest.fixture
def twilio_api(phone: TwilioEmulator) -> Iterator[tuple[RecordingStore, str]]:
    store = RecordingStore(phone.account_sid, AUTH_TOKEN)
    with serving(store) as base:
        phone.recording_base = base
        yield store, base


def call_with_message(
    phone: TwilioEmulator, store: RecordingStore, audio: bytes, services: Services
) -> dict[str, int]:
    log = phone.call(REPORT_ABOUT_ME_NO_STAFF)
    for sid in log.recordings:
        store.audio[sid] = audio
    with services.db.transaction() as session:
        message = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "recording.fetch")
        ).one()
        payload: dict[str, int] = json.loads(message.payload)
    return payload


def fetcher(store: RecordingStore, base: str, **options: bool) -> Handler:
    """The worker's handler, with the loopback server as Twilio's API base."""
    api = RecordingApi(store.account_sid, store.auth_token, base)
    return make_recording_fetcher(api, **options)


def test_the_outbox_payload_holds_ids_only(
    phone: TwilioEmulator, twilio_api: tuple[RecordingStore, str], services: Services
) -> None:
    store, base = twilio_api
    payload = call_with_message(phone, store, b"RIFF", services)
    assert set(payload) == {"recording_id", "report_id"}
    assert all(isinstance(value, int) for value in payload.values())
    with services.db.transaction() as session:
        raw = session.scalars(select(OutboxMessage.payload)).all()
    assert not any(base in text or "Recordings" in text for text in raw)


def test_a_recording_is_fetched_into_sealed_storage(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
) -> None:
    store, base = twilio_api
    payload = call_with_message(phone, store, voice_message, services)
    handler = fetcher(store, base)
    handler(services, payload)
    handler(services, payload)  # delivered again: fetched once
    assert [method for method, _path, _auth in store.requests] == ["GET"]
    with services.db.transaction() as session:
        recording = session.scalars(select(Recording)).one()
        assert recording.status == "fetched" and recording.fetched_at is not None
        assert recording.audio_sealed is not None
        assert voice_message not in recording.audio_sealed  # sealed, not stored in the clear
        opened = RECORDING_AUDIO.open(services.secrets.vault, recording)
    assert opened == voice_message


def test_a_recording_still_processing_is_tried_again(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
) -> None:
    store, base = twilio_api
    payload = call_with_message(phone, store, voice_message, services)
    store.not_ready[next(iter(store.audio))] = 1
    handler = fetcher(store, base)
    with pytest.raises(RecordingFetchError):
        handler(services, payload)
    with services.db.transaction() as session:
        assert session.scalars(select(Recording.status)).one() == "pending"
    handler(services, payload)
    with services.db.transaction() as session:
        assert session.scalars(select(Recording.status)).one() == "fetched"


def test_credentials_never_follow_a_redirect_to_another_host(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
) -> None:
    store, base = twilio_api
    payload = call_with_message(phone, store, voice_message, services)
    with serving(store, host="127.0.0.2") as media:
        store.redirect_to = media
        fetcher(store, base)(services, payload)
    media_requests = [r for r in store.requests if r[1].startswith("/media/")]
    assert len(media_requests) == 1 and media_requests[0][2] is None


def test_a_follow_up_message_is_fetched_onto_the_existing_report(
    client: FlaskClient,
    line: Line,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
) -> None:
    from tests.ivr.test_follow_up import a_report_with_a_message

    store, base = twilio_api
    report_id, code = a_report_with_a_message(services, line)
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number, recording_base=base)
    phone.account_sid = store.account_sid
    log = phone.call([Keys("3"), Keys(code + "#"), Keys("1"), Speak(8), Keys("2")])
    store.audio[log.recordings[0]] = voice_message
    with services.db.transaction() as session:
        payload = json.loads(session.scalars(select(OutboxMessage.payload)).all()[-1])
    fetcher(store, base)(services, payload)
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None and report.recordings[0].status == "fetched"


def test_the_deployed_worker_fetches_recordings(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
    config: Config,
) -> None:
    """The fetcher is wired into `safereport worker`, under the configured API base."""
    store, base = twilio_api
    call_with_message(phone, store, voice_message, services)
    sid = next(iter(store.audio))
    worker_config = config.with_changes(
        twilio_account_sid=store.account_sid,
        twilio_auth_token=store.auth_token,
        twilio_api_base=base,
        digest_hour_utc=24,
    )
    worker = build_worker(worker_config, services, base_url="http://127.0.0.1:5000")
    while worker.run_once():
        pass
    with services.db.transaction() as session:
        recording = session.scalars(select(Recording)).one()
        assert recording.status == "fetched" and recording.audio_sealed is not None
        # Outside the demo, deleting at Twilio is on by default: sealed here, gone there.
        assert recording.provider_deleted_at is not None
    assert store.deleted == [sid]
