"""Recorded prompts belong to an establishment and live in the database: one prison's
administrator cannot change what another prison's callers hear, every app server plays
the same recording, a replaced recording is never served stale, and a damaged local copy
is fetched again from the database."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.app import create_app
from safereport.config import Config
from safereport.services import build_services
from safereport.worker_setup import build_worker
from speech.engine import synthesise_wav
from speech.prompt_audio import EXTENSION, PromptAudio, PromptSource
from storage.models import AuditEvent, OutboxMessage
from storage.models import PromptAudio as StoredAudio
from tests.alerts.live import BASE, run_until_idle
from tests.ivr.conftest import AUTH_TOKEN, add_line
from tests.ivr.emulator import HangUp, TwilioEmulator
from tests.triage.helpers import csrf, make_staff, signed_in_client

PROMPT = "start.danger"
_PLAYED_RECORDING = re.compile(r"/audio/prompts/en/([0-9a-f]{32})\.rec\.mp3")


def page(establishment_id: int) -> str:
    return f"/triage/admin/phone-prompts/{establishment_id}"


def text_of(app: Flask, language: str, prompt_id: str) -> str:
    audio: PromptAudio = app.extensions[EXTENSION]
    with app.app_context():
        line = audio.line(language, prompt_id)
    assert line is not None
    return line.text


def reading(app: Flask, language: str, tmp_path: Path, *, slow: bool = False) -> bytes:
    """A person reading the prompt (espeak here); ``slow`` is a second, different take."""
    wav = tmp_path / f"take-{language}-{slow}.wav"
    synthesise_wav(text_of(app, language, PROMPT), "pl" if slow else "en", wav)
    return wav.read_bytes()


def upload(client: FlaskClient, establishment_id: int, language: str, data: bytes) -> Any:
    return client.post(
        f"{page(establishment_id)}/{language}/{PROMPT}",
        data={"csrf_token": csrf(client), "recording": (io.BytesIO(data), "take.wav")},
        content_type="multipart/form-data",
    )


def sources(app: Flask, language: str, establishment_id: int) -> PromptSource:
    audio: PromptAudio = app.extensions[EXTENSION]
    with app.app_context():
        states = audio.states(language, establishment_id)
    return next(state.source for state in states if state.line.id == PROMPT)


def notices(services: Services) -> list[dict[str, Any]]:
    with services.db.transaction() as session:
        rows = session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.kind == "staff.prompt_notice")
        )
        return [json.loads(row) for row in rows]


def test_an_admin_of_prison_a_changes_nothing_prison_b_hears(
    app: Flask, services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    prison_a = add_line(services, languages="en,so")
    prison_b = add_line(services, languages="en,so")
    admin_a = make_staff(services, role="admin", establishment_ids=[prison_a.establishment_id])
    other_admin_a = make_staff(
        services, role="admin", establishment_ids=[prison_a.establishment_id]
    )
    lead_a = make_staff(services, role="lead", establishment_ids=[prison_a.establishment_id])
    make_staff(services, role="deputy", establishment_ids=[prison_a.establishment_id])
    lead_b = make_staff(services, role="lead", establishment_ids=[prison_b.establishment_id])
    client = signed_in_client(app, services, admin_a, clock)

    sent = upload(client, prison_a.establishment_id, "so", reading(app, "so", tmp_path))
    assert sent.status_code == 302
    assert sources(app, "so", prison_a.establishment_id) == PromptSource.RECORDED
    assert sources(app, "so", prison_b.establishment_id) == PromptSource.MISSING
    b_page = client.get(f"{page(prison_b.establishment_id)}/so")
    assert b_page.status_code == 404  # not an establishment this admin administers

    told = sorted(notice["to_staff_id"] for notice in notices(services))
    assert told == sorted([other_admin_a.id, lead_a.id])  # not the deputy, not prison B
    assert lead_b.id not in told and admin_a.id not in told
    [notice] = [n for n in notices(services) if n["to_staff_id"] == lead_a.id]
    assert notice["establishment_id"] == prison_a.establishment_id
    assert (notice["event"], notice["language"]) == ("recorded", "so")
    with services.db.transaction() as session:
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "admin.prompt_recorded")
        )
        assert event.establishment_id == prison_a.establishment_id
        assert event.chain == prison_a.establishment_id


def test_an_admin_of_b_cannot_change_a_and_the_refusal_is_audited(
    app: Flask, services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    prison_a = add_line(services, languages="en,so")
    prison_b = add_line(services, languages="en,so")
    admin_a = make_staff(services, role="admin", establishment_ids=[prison_a.establishment_id])
    admin_b = make_staff(services, role="admin", establishment_ids=[prison_b.establishment_id])
    upload(signed_in_client(app, services, admin_a, clock), prison_a.establishment_id, "so",
           reading(app, "so", tmp_path))  # fmt: skip
    before = len(notices(services))
    intruder = signed_in_client(app, services, admin_b, clock)

    replaced = upload(
        intruder, prison_a.establishment_id, "so", reading(app, "so", tmp_path, slow=True)
    )
    removed = intruder.post(
        f"{page(prison_a.establishment_id)}/so/{PROMPT}/remove", data={"csrf_token": csrf(intruder)}
    )
    missing = upload(intruder, 999_999, "so", reading(app, "so", tmp_path))
    assert [replaced.status_code, removed.status_code, missing.status_code] == [404, 404, 404]
    assert sources(app, "so", prison_a.establishment_id) == PromptSource.RECORDED
    assert len(notices(services)) == before  # nobody was told of a change that did not happen
    with services.db.transaction() as session:
        denied = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "admin.prompt_denied")
        ).all()
        recorded = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "admin.prompt_recorded")
        ).all()
    assert len(denied) == 3 and len(recorded) == 1
    assert {event.actor for event in denied} == {f"staff:{admin_b.id}"}
    # The same for a prison that exists and one that does not: the log is no oracle.
    assert {event.chain for event in denied} == {0}
    details = [json.loads(event.detail) for event in denied]
    assert [d["requested"] for d in details] == [prison_a.establishment_id] * 2 + [999_999]


@pytest.fixture
def second_server(
    config: Config, services: Services, clock: FixedClock, tmp_path: Path
) -> Iterator[Flask]:
    """Another app server: its own instance folder (and audio cache), the same database and
    the same keys (as servers of one installation share them)."""
    other = config.with_changes(instance_path=tmp_path / "server-2", twilio_auth_token=AUTH_TOKEN)
    other.instance_path.mkdir(mode=0o700)
    shutil.copy(config.keyfile_path, other.keyfile_path)
    built = build_services(other, clock=clock)
    yield create_app(other, services=built)
    built.db.dispose()


@pytest.fixture
def first_server(config: Config, services: Services) -> Flask:
    return create_app(config.with_changes(twilio_auth_token=AUTH_TOKEN), services=services)


def played_recording(app: Flask, number: str) -> str:
    """The name of the recording the first menu plays for the prompt, on this server."""
    log = TwilioEmulator(app.test_client(), auth_token=AUTH_TOKEN, to=number).call([HangUp()])
    found = _PLAYED_RECORDING.findall(log.exchanges[0].body)
    assert len(found) == 1, log.exchanges[0].body
    return str(found[0])


def stored_digests(services: Services) -> set[str]:
    with services.db.transaction() as session:
        return set(session.scalars(select(StoredAudio.sha256)))


def test_a_prompt_uploaded_through_one_server_is_heard_through_the_other_and_kept_fresh(
    first_server: Flask, second_server: Flask, services: Services, clock: FixedClock,
    tmp_path: Path,
) -> None:  # fmt: skip
    line = add_line(services, languages="en")
    admin = make_staff(services, role="admin", establishment_ids=[line.establishment_id])
    client = signed_in_client(first_server, services, admin, clock)
    assert second_server.config["SECRET_KEY"] == first_server.config["SECRET_KEY"]

    assert (
        upload(
            client, line.establishment_id, "en", reading(first_server, "en", tmp_path)
        ).status_code
        == 302
    )
    [first] = stored_digests(services)
    assert played_recording(second_server, line.number) == first[:32]

    # Replaced through the first server: the second plays the new take at once.
    assert (
        upload(
            client, line.establishment_id, "en", reading(first_server, "en", tmp_path, slow=True)
        ).status_code
        == 302
    )
    [second] = stored_digests(services)  # the old take is no longer kept
    assert second != first
    assert played_recording(second_server, line.number) == second[:32]
    heard = second_server.test_client().get(f"/audio/prompts/en/{second[:32]}.rec.mp3")
    assert heard.status_code == 200 and len(heard.data) > 1000


def test_a_damaged_or_deleted_cache_on_a_server_is_rebuilt_from_the_database(
    first_server: Flask, second_server: Flask, services: Services, clock: FixedClock,
    tmp_path: Path,
) -> None:  # fmt: skip
    line = add_line(services, languages="en")
    admin = make_staff(services, role="admin", establishment_ids=[line.establishment_id])
    client = signed_in_client(first_server, services, admin, clock)
    upload(client, line.establishment_id, "en", reading(first_server, "en", tmp_path))
    [digest] = stored_digests(services)
    assert played_recording(second_server, line.number) == digest[:32]
    cache = second_server.extensions["safereport.config"].audio_cache_path
    copy = cache / "recorded" / f"{digest}.wav"
    rendered = sorted((cache / "en").glob(f"{digest[:32]}.rec.*"))
    assert copy.exists() and rendered

    # Someone on the server overwrites the local copy and deletes what was rendered from it.
    copy.write_bytes(b"RIFF" + b"\0" * 4000)
    for path in rendered:
        path.unlink()
    assert played_recording(second_server, line.number) == digest[:32]
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == digest  # fetched again
    heard = second_server.test_client().get(f"/audio/prompts/en/{digest[:32]}.rec.mp3")
    assert heard.status_code == 200 and len(heard.data) > 1000


def test_the_establishments_admins_and_lead_are_emailed_about_a_change(
    app: Flask, config: Config, services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    line = add_line(services, languages="en,so")
    admin = make_staff(services, role="admin", establishment_ids=[line.establishment_id])
    lead = make_staff(services, role="lead", establishment_ids=[line.establishment_id])
    client = signed_in_client(app, services, admin, clock)
    upload(client, line.establishment_id, "so", reading(app, "so", tmp_path))
    client.post(
        f"{page(line.establishment_id)}/so/{PROMPT}/remove", data={"csrf_token": csrf(client)}
    )
    run_until_idle(build_worker(config.with_changes(demo=True), services, base_url=BASE))
    sent = [
        json.loads(each)
        for each in (config.instance_path / "demo-alerts.jsonl").read_text().splitlines()
    ]
    assert [(each["to"], each["subject"]) for each in sent] == [
        (lead.email, "A change to what callers hear")
    ] * 2
    assert "Soomaali at HMP Testing has changed: new recordings" in sent[0]["body"]
    assert "a recording was removed" in sent[1]["body"]
