"""The wing in immediate pages (the setting itself: test_admin_alert_wing), and the caller's
name-and-cell recording on the case page with the same player and type rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.alerts import start_paging
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.notify.messages import compose
from speech.engine import synthesise_wav
from storage.models import (
    Establishment,
    OnCallContact,
    OutboxMessage,
    Recording,
    Report,
)
from storage.sealed_fields import RECORDING_AUDIO
from tests.conftest import START
from tests.factories import submit
from tests.triage.helpers import page_at
from tests.triage.test_sent_from import place, put_kiosk

BASE = "/triage/admin/establishments"


def test_the_name_and_cell_recording_is_labelled_and_played_like_a_voice_message(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    wav = tmp_path / "name.wav"
    synthesise_wav("Sam, cell two one four.", "en", wav)
    report_id = submit(services, establishment, channel="phone", concerns=["staff_bad"]).report_id
    with services.db.transaction() as session:
        recording = Recording(
            report_id=report_id, kind="name", content_type="text/html", status="fetched",
            created_at=clock.now(),
        )  # fmt: skip
        session.add(recording)
        RECORDING_AUDIO.seal(services.secrets.vault, recording, wav.read_bytes())
        session.flush()
        path = f"/triage/reports/{report_id}/recordings/{recording.id}"
    case = page_at(lead_client, f"/triage/reports/{report_id}")
    [message] = case.list_under("Voice messages")
    assert case.by_id(f"name-recording-{path.rsplit('/', 1)[1]}").inside(message)
    assert message.text == "Name and cell, as the caller said them"
    assert [audio.attrs["src"] for audio in case.inside(message, "audio")] == [path]
    response = lead_client.get(path)
    assert response.status_code == 200 and response.mimetype == "audio/wav"  # sniffed
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


def page_words(services: Services, report_id: int) -> str:
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=session.get(Report, report_id).establishment_id,  # type: ignore[union-attr]
                chain_position=1, role="lead", display_name="Lena Lead",
                email="lead@prison.example", phone="+447700900001", created_at=START,
            )
        )  # fmt: skip
        session.flush()
        start_paging(session, report_id=report_id, policy=services.policy, clock=services.clock)
        texts = [
            compose(session, json.loads(m.payload), base_url="https://x.example")[1]
            for m in session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind.like("notify.%"))
            )
        ]
    assert len(texts) == 3
    return "\n".join(f"{t.subject}\n{t.body}\n{t.sms}\n{t.voice}" for t in texts)


@pytest.mark.parametrize("names", [True, False])
def test_a_kiosk_page_names_the_kiosks_wing_unless_turned_off(
    services: Services, establishment: int, names: bool
) -> None:
    """A reporter in danger at a kiosk is where the kiosk stands, whatever "where" says."""
    b_wing, healthcare = (place(services, establishment, n) for n in ("B Wing", "Healthcare"))
    device = put_kiosk(services, establishment, b_wing)
    with services.db.transaction() as session:
        found = session.get(Establishment, establishment)
        assert found is not None
        found.immediate_alert_names_wing = names
    report_id = submit(
        services, establishment, kiosk_device_id=device, in_danger_now=True, concerns=[],
        location_id=healthcare, details="He has a blade in cell 4",
    ).report_id  # fmt: skip
    words = page_words(services, report_id)
    assert ("B Wing" in words) is names and "Healthcare" not in words
    assert "blade" not in words  # never what was reported
