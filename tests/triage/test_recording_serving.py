"""A recording is served so that nothing in it can run in a member of staff's browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from speech.engine import synthesise_wav
from storage.models import Recording
from storage.sealed_fields import RECORDING_AUDIO
from tests.factories import submit
from tests.triage.helpers import page_at

SCRIPT_PAGE = b"<!doctype html><script src='/triage/reports/9/recordings/2'></script>"


def stored_recording(
    services: Services, establishment: int, clock: FixedClock, audio: bytes, claimed: str
) -> str:
    """A recording as an earlier worker kept it: with the type the server claimed."""
    report_id = submit(services, establishment, channel="phone", concerns=["staff_bad"]).report_id
    with services.db.transaction() as session:
        recording = Recording(
            report_id=report_id,
            content_type=claimed,
            status="fetched",
            created_at=clock.now(),
        )
        session.add(recording)
        RECORDING_AUDIO.seal(services.secrets.vault, recording, audio)  # bound to its row
        session.flush()
        return f"/triage/reports/{report_id}/recordings/{recording.id}"


@pytest.mark.parametrize("claimed", ["text/html", "application/javascript", "audio/wav"])
def test_a_web_page_stored_as_a_recording_is_a_sandboxed_download(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    clock: FixedClock,
    claimed: str,
) -> None:
    """12.3: on fe26a51 this page was served inline as text/html and ran as the lead."""
    path = stored_recording(services, establishment, clock, SCRIPT_PAGE, claimed)
    response = lead_client.get(path)
    assert response.status_code == 200 and response.data == SCRIPT_PAGE
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_real_audio_plays_inline_with_its_sniffed_type_and_still_sandboxed(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    wav = tmp_path / "message.wav"
    synthesise_wav("They took my canteen again.", "en", wav)
    path = stored_recording(services, establishment, clock, wav.read_bytes(), "text/html")
    response = lead_client.get(path)
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    assert response.headers["Content-Disposition"] == "inline"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_refused_recording_says_so_on_the_case_page_instead_of_not_yet(
    lead_client: FlaskClient, services: Services, establishment: int, clock: FixedClock
) -> None:
    """A lead must not wait for a voice message that will never arrive."""
    report_id = submit(services, establishment, channel="phone", concerns=["staff_bad"]).report_id
    with services.db.transaction() as session:
        session.add(Recording(report_id=report_id, status="refused", created_at=clock.now()))
    [message] = page_at(lead_client, f"/triage/reports/{report_id}").list_under("Voice messages")
    assert message.text.startswith(
        "Voice message 1 was not kept: what arrived was not a sound recording."
    )
    assert "not available yet" not in message.text
