"""Recordings: credentials go only to the configured API, only audio is kept, and voice
messages are deleted at Twilio through the outbox (retried until they are gone)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from ivr.recordings import (
    RecordingApi,
    check_api_base,
    make_recording_fetcher,
    recording_handlers,
)
from safeguarding.calls import RECORDING_FETCH_KIND
from safeguarding.clock import FixedClock
from safeguarding.recordings import RECORDING_DELETE_KIND
from safeguarding.services import Services
from safereport.config import Config
from safereport.worker import Worker
from speech.engine import synthesise_wav
from storage.models import AuditEvent, OutboxMessage, Recording
from tests.ivr.conftest import AUTH_TOKEN
from tests.ivr.emulator import TwilioEmulator
from tests.ivr.recording_server import RecordingStore, serving
from tests.ivr.test_recordings import call_with_message

HTML = b"<!doctype html><html><script src='/x.js'></script>read the restricted report</html>"


@pytest.fixture
def voice_message(tmp_path: Path) -> bytes:
    wav = tmp_path / "message.wav"
    synthesise_wav("Somebody hurt me on the landing.", "en", wav)
    return wav.read_bytes()


@pytest.fixture
def twilio_api(phone: TwilioEmulator) -> Iterator[tuple[RecordingStore, str]]:
    store = RecordingStore(phone.account_sid, AUTH_TOKEN)
    with serving(store) as base:
        phone.recording_base = base
        yield store, base


def api_of(store: RecordingStore, base: str) -> RecordingApi:
    return RecordingApi(store.account_sid, store.auth_token, base)


def recording(services: Services) -> Recording:
    with services.db.transaction() as session:
        found = session.scalars(select(Recording)).one()
        session.expunge(found)
        return found


def audit_actions(services: Services) -> list[str]:
    with services.db.transaction() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_credentials_go_to_the_configured_api_never_to_a_host_in_the_recording_url(
    phone: TwilioEmulator, services: Services, voice_message: bytes
) -> None:
    """12.10: the webhook's RecordingUrl named ``evil`` in a way urlsplit reads as Twilio."""
    twilio = RecordingStore(phone.account_sid, AUTH_TOKEN)
    evil = RecordingStore(phone.account_sid, AUTH_TOKEN)
    with serving(twilio) as base, serving(evil, host="127.0.0.2") as evil_base:
        phone.recording_base = f"{evil_base}\\@api.twilio.com"
        payload = call_with_message(phone, twilio, voice_message, services)
        evil.audio.update(twilio.audio)
        make_recording_fetcher(api_of(twilio, base))(services, payload)
    assert evil.requests == []  # not even a connection carrying the SID and token
    [(method, path, auth)] = twilio.requests
    sid = next(iter(twilio.audio))
    assert method == "GET" and auth is not None
    assert path == f"/2010-04-01/Accounts/{phone.account_sid}/Recordings/{sid}.wav"
    assert recording(services).status == "fetched"


def test_a_recording_sid_that_is_not_one_is_refused_without_a_request(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
) -> None:
    store, base = twilio_api
    payload = call_with_message(phone, store, voice_message, services)
    with services.db.transaction() as session:
        session.scalars(select(Recording)).one().provider_sid = "RE/../../Calls/CA1"
    make_recording_fetcher(api_of(store, base))(services, payload)
    assert store.requests == []
    assert recording(services).status == "refused"


@pytest.mark.parametrize(
    "base",
    [
        "http://api.twilio.com",  # plain http off this machine
        "https://evil\\@api.twilio.com",
        "https://evil@api.twilio.com",
        "https://api.twilio.com?x=@evil",
        "ftp://127.0.0.1",
    ],
)
def test_an_api_base_that_could_send_credentials_elsewhere_is_refused(base: str) -> None:
    with pytest.raises(ValueError):
        check_api_base(base)


def test_a_web_page_posing_as_a_recording_is_refused_and_logged_without_its_content(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """12.3: a text/html "recording" was stored and then served inline to the lead."""
    store, base = twilio_api
    store.content_type = "text/html"
    payload = call_with_message(phone, store, HTML, services)
    with caplog.at_level(logging.DEBUG):
        make_recording_fetcher(api_of(store, base), delete_from_provider=True)(services, payload)
    refused = recording(services)
    assert refused.status == "refused" and refused.audio_sealed is None
    assert "recording.refused" in audit_actions(services)
    assert f"recording {refused.id} refused" in caplog.text
    assert "restricted" not in caplog.text and "script" not in caplog.text
    with services.db.transaction() as session:  # left at Twilio for someone to look at
        kinds = session.scalars(select(OutboxMessage.kind)).all()
    assert RECORDING_DELETE_KIND not in kinds


def test_the_type_kept_is_the_one_sniffed_not_the_one_claimed(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
) -> None:
    store, base = twilio_api
    store.content_type = "text/html"  # a WAV, claimed to be a web page
    payload = call_with_message(phone, store, voice_message, services)
    make_recording_fetcher(api_of(store, base))(services, payload)
    assert recording(services).content_type == "audio/wav"


def test_deleting_at_twilio_is_on_in_production_and_off_in_the_demo(
    config: Config,
) -> None:
    assert config.delete_recordings_at_provider is True
    assert config.with_changes(demo=True).delete_recordings_at_provider is False
    env = {"SAFEREPORT_DELETE_RECORDINGS_AT_TWILIO": "false"}
    assert Config.from_env(env).delete_recordings_at_provider is False
    env = {"SAFEREPORT_DELETE_RECORDINGS_AT_TWILIO": "true"}
    assert Config.from_env(env).with_changes(demo=True).delete_recordings_at_provider is True


def test_a_misconfigured_account_stops_recordings_not_the_worker(
    config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    """Alerts share the worker: a bad Account SID or API base must not stop them."""
    for changes in (
        {"twilio_account_sid": "SK" + "0" * 32},
        {"twilio_account_sid": "AC" + "0" * 32, "twilio_api_base": "http://api.twilio.com"},
    ):
        configured = config.with_changes(twilio_auth_token="token", **changes)
        assert recording_handlers(configured, base_url="http://127.0.0.1:1") == {}
    assert "voice messages are not fetched" in caplog.text


def worker_for(config: Config, services: Services, store: RecordingStore, base: str) -> Worker:
    configured = config.with_changes(
        twilio_account_sid=store.account_sid, twilio_auth_token=store.auth_token,
        twilio_api_base=base,
    )  # fmt: skip
    return Worker(services, recording_handlers(configured, base_url="http://127.0.0.1:1"))


def run_until_idle(worker: Worker) -> None:
    while worker.run_once():
        pass


def test_the_delete_is_sent_once_the_recording_is_sealed(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
    config: Config,
) -> None:
    store, base = twilio_api
    call_with_message(phone, store, voice_message, services)
    sid = next(iter(store.audio))
    run_until_idle(worker_for(config, services, store, base))
    assert [(m, p) for m, p, _ in store.requests] == [
        ("GET", f"/2010-04-01/Accounts/{store.account_sid}/Recordings/{sid}.wav"),
        ("DELETE", f"/2010-04-01/Accounts/{store.account_sid}/Recordings/{sid}"),
    ]
    assert store.deleted == [sid] and all(auth for _, _, auth in store.requests)
    sealed = recording(services)
    assert sealed.audio_sealed is not None and sealed.provider_deleted_at is not None
    assert audit_actions(services)[-2:] == ["recording.fetched", "recording.deleted_at_provider"]


def test_a_failed_delete_is_retried_not_forgotten(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
    config: Config,
    clock: FixedClock,
) -> None:
    store, base = twilio_api
    call_with_message(phone, store, voice_message, services)
    sid = next(iter(store.audio))
    store.failing_deletes = 2
    worker = worker_for(config, services, store, base)
    run_until_idle(worker)
    assert store.deleted == [] and recording(services).provider_deleted_at is None
    with services.db.transaction() as session:
        waiting = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == RECORDING_DELETE_KIND)
        ).one()
        assert waiting.delivered_at is None and "503" in (waiting.last_error or "")
    for _ in range(2):
        clock.advance(timedelta(minutes=16))  # past the longest backoff
        run_until_idle(worker)
    assert store.deleted == [sid]
    assert recording(services).provider_deleted_at is not None
    deletes = [r for r in store.requests if r[0] == "DELETE"]
    assert len(deletes) == 3


def test_recordings_sealed_before_deleting_was_on_are_deleted_by_the_sweep(
    phone: TwilioEmulator,
    twilio_api: tuple[RecordingStore, str],
    services: Services,
    voice_message: bytes,
    config: Config,
) -> None:
    from safereport.worker_setup import build_worker

    store, base = twilio_api
    call_with_message(phone, store, voice_message, services)
    sid = next(iter(store.audio))
    old = config.with_changes(delete_recordings_at_twilio=False)
    run_until_idle(worker_for(old, services, store, base))
    assert store.deleted == [] and recording(services).audio_sealed is not None
    configured = config.with_changes(
        twilio_account_sid=store.account_sid, twilio_auth_token=store.auth_token,
        twilio_api_base=base, digest_hour_utc=24,
    )  # fmt: skip
    worker = build_worker(configured, services, base_url="http://127.0.0.1:1")
    worker.handlers = {k: v for k, v in worker.handlers.items() if k.startswith("recording.")}
    run_until_idle(worker)
    assert store.deleted == [sid]
    assert recording(services).provider_deleted_at is not None
    assert RECORDING_FETCH_KIND in worker.handlers
