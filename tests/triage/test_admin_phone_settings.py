"""The phone-line settings of an establishment: a Twilio voice per language, and whether the
caller's number is kept. Administrators only; bad voice names are refused clearly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from speech.say_voices import read_say_voices
from storage.models import AuditEvent, Establishment
from tests.support.pages import parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import csrf, page_at, signed_in_client

BASE = "/triage/admin/establishments"


def settings_form(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    return {
        "csrf_token": csrf(client),
        "name": "HMP Testing",
        "kiosk_idle_seconds": "90",
        "languages": ["en", "cy", "so"],
        "confirm_unreviewed": "yes",  # Somali's translation is not reviewed (docs/triage.md)
        **fields,
    }


def stored(services: Services, establishment: int) -> Establishment:
    with services.db.transaction() as session:
        found = session.get(Establishment, establishment)
        assert found is not None
        return found


def test_an_admin_chooses_a_twilio_voice_for_welsh_and_keeps_caller_numbers(
    admin_client: FlaskClient, services: Services, establishment: int
) -> None:
    path = f"{BASE}/{establishment}"
    page = page_at(admin_client, path)
    assert {"say_voice-cy", "keep_caller_number"} <= set(page.fields())
    assert "say_voice-so" not in page.fields()  # Twilio has no Somali voice
    assert not page.is_checked("keep_caller_number")
    assert not stored(services, establishment).keep_caller_number  # off by default

    saved = admin_client.post(
        path,
        data=settings_form(
            admin_client, **{"say_voice-cy": " Polly.Gwyneth ", "keep_caller_number": "yes"}
        ),
    )
    assert saved.status_code == 302
    found = stored(services, establishment)
    assert read_say_voices(found.say_voices) == {"cy": "Polly.Gwyneth"}
    assert found.keep_caller_number
    again = page_at(admin_client, path)
    assert again.value("say_voice-cy") == "Polly.Gwyneth"
    assert again.is_checked("keep_caller_number")
    with services.db.transaction() as session:
        detail = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "admin.establishment_updated")
        ).one()
    assert json.loads(detail)["say_voices"] == ["cy"]
    assert json.loads(detail)["keep_caller_number"] is True

    # Back to our own audio, and numbers no longer kept.
    cleared = admin_client.post(path, data=settings_form(admin_client, **{"say_voice-cy": ""}))
    assert cleared.status_code == 302
    found = stored(services, establishment)
    assert read_say_voices(found.say_voices) == {} and not found.keep_caller_number


@pytest.mark.parametrize(
    ("field", "voice", "message"),
    [
        ("say_voice-cy", "Gwyneth", "Enter a Twilio voice name like Polly.Gwyneth"),
        ("say_voice-cy", "Google.en-GB-Standard-A", "Choose one for cy-GB."),
        ("say_voice-so", "Polly.Amy", "Twilio has no voice for this language."),
    ],
)
def test_a_bad_voice_is_refused_with_a_clear_message_and_nothing_changes(
    admin_client: FlaskClient, services: Services, establishment: int, field: str, voice: str,
    message: str,
) -> None:  # fmt: skip
    refused = admin_client.post(
        f"{BASE}/{establishment}",
        data=settings_form(admin_client, name="Renamed", **{field: voice}),
    )
    assert refused.status_code == 400
    assert message in parse(refused).problems()[field]  # its link leads to the row
    found = stored(services, establishment)
    assert found.name != "Renamed" and read_say_voices(found.say_voices) == {}


@pytest.mark.parametrize("role", ["lead", "deputy", "governor", "auditor"])
def test_only_admins_change_phone_settings(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int,
    role: str,
) -> None:  # fmt: skip
    client = signed_in_client(app, services, staff(role), clock)
    refused = client.post(
        f"{BASE}/{establishment}",
        data=settings_form(
            client, **{"say_voice-cy": "Polly.Gwyneth", "keep_caller_number": "yes"}
        ),
    )
    assert refused.status_code in (403, 404)
    found = stored(services, establishment)
    assert not found.keep_caller_number and read_say_voices(found.say_voices) == {}
