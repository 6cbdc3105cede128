"""Fixtures for the phone line: an app with a known auth token, a line, an emulator."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from ivr.settings import EXTENSION, IvrSettings
from safeguarding.prompt_recordings import StoredPrompts
from safeguarding.services import Services
from safereport.app import create_app
from safereport.config import Config
from speech.render import SpeechRenderer
from storage.models import (
    AuditEvent,
    CallSession,
    OutboxMessage,
    PhoneLine,
    Recording,
    Report,
    TimelineEvent,
)
from tests.factories import make_establishment
from tests.ivr.emulator import TwilioEmulator

AUTH_TOKEN = "test-twilio-auth-token-0123456789"


@pytest.fixture(scope="session")
def audio_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One audio cache for the whole run, shared by every pytest-xdist worker (each worker's
    base directory is inside the run's): prompts are rendered once, as in production, where
    the workers of one server share the cache and its file locks."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "audio-cache"
    shared.mkdir(exist_ok=True)
    return shared


@pytest.fixture
def renderer(audio_cache: Path, services: Services) -> SpeechRenderer:
    """The installation's renderer over the test database (rendered files are named by the
    recording's hash, so one cache serves every test)."""
    return SpeechRenderer(audio_cache, recordings=StoredPrompts(services.db))


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Config:
    return Config(
        instance_path=tmp_path / "instance",
        database_url=database_url,
        twilio_auth_token=AUTH_TOKEN,
        testing=True,
    )


@pytest.fixture
def ivr_settings(renderer: SpeechRenderer) -> IvrSettings:
    return IvrSettings(auth_token=AUTH_TOKEN, public_base_url=None, renderer=renderer)


@pytest.fixture
def app(config: Config, services: Services, ivr_settings: IvrSettings) -> Flask:
    built = create_app(config, services=services)
    built.extensions[EXTENSION] = ivr_settings
    return built


@dataclass(frozen=True)
class Line:
    establishment_id: int
    number: str


def add_line(services: Services, languages: str = "en") -> Line:
    with services.db.transaction() as session:
        establishment = make_establishment(session, languages=languages)
        line = session.scalars(
            select(PhoneLine).where(PhoneLine.establishment_id == establishment.id)
        ).one()
        return Line(establishment.id, line.number)


@pytest.fixture
def line(services: Services) -> Line:
    return add_line(services)


@pytest.fixture
def phone(client: FlaskClient, line: Line) -> Iterator[TwilioEmulator]:
    yield TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)


def row_counts(services: Services) -> dict[str, int]:
    """How many rows each table the phone line writes to holds."""
    tables = (CallSession, Report, Recording, TimelineEvent, AuditEvent, OutboxMessage)
    with services.db.transaction() as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table)) or 0
            for table in tables
        }


@pytest.fixture
def demo_config(config: Config) -> Config:
    return config.with_changes(demo=True, twilio_auth_token=None)


@pytest.fixture
def demo_app(demo_config: Config, services: Services, renderer: object) -> Flask:
    app = create_app(demo_config, services=services)
    app.extensions[EXTENSION].renderer = renderer  # the shared prompt cache
    return app
