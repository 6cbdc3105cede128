"""Handover notes (issue 15.6) as the people on each shift use them, and as a curious
colleague, an administrator and a database thief would try them."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent, HandoverNote
from tests.core.test_storage import _raw_database_bytes
from tests.support.pages import Page, parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import csrf, page_at, signed_in_client

NOTE = "Report 41: cell move booked for 10:00 (marker-handover-7Q)."


def client_for(app: Flask, services: Services, staff: StaffFactory, clock: FixedClock,
               role: str, places: list[int] | None = None) -> FlaskClient:  # fmt: skip
    return signed_in_client(app, services, staff(role, places), clock)


def write(client: FlaskClient, **fields: str) -> tuple[int, Page]:
    data = {"csrf_token": csrf(client, "/triage/handover-note"), **fields}
    response = client.post("/triage/handover-note", data=data, follow_redirects=True)
    return response.status_code, parse(response)


def notes_on_queue(client: FlaskClient) -> str:
    return page_at(client, "/triage/queue").region("handover-notes")


def notes(services: Services) -> list[HandoverNote]:
    with services.db.transaction() as session:
        return list(session.scalars(select(HandoverNote)))


def test_the_next_shift_reads_the_note_for_a_day_and_other_prisons_never(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock,
    establishment: int, other_establishment: int,
) -> None:  # fmt: skip
    lead = client_for(app, services, staff, clock, "lead")
    code, page = write(lead, note_text=NOTE, note_audience="general")
    assert code == 200 and page.flashes == [
        "Handover note saved. Colleagues here will see it for 24 hours."
    ]
    deputy = client_for(app, services, staff, clock, "deputy")
    auditor = client_for(app, services, staff, clock, "auditor")
    elsewhere = client_for(app, services, staff, clock, "lead", [other_establishment])
    assert NOTE in notes_on_queue(deputy) and NOTE in notes_on_queue(auditor)
    assert NOTE not in notes_on_queue(elsewhere)
    clock.advance(timedelta(hours=24, minutes=1))
    next_day = client_for(app, services, staff, clock, "deputy")  # signed in afresh
    assert NOTE not in notes_on_queue(next_day)


def test_a_note_about_staff_stays_with_those_who_read_the_restricted_queue(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = client_for(app, services, staff, clock, "lead")
    assert write(lead, note_text=NOTE, note_audience="restricted")[0] == 200
    governor = client_for(app, services, staff, clock, "governor")
    deputy = client_for(app, services, staff, clock, "deputy")
    assert NOTE in notes_on_queue(governor)
    assert NOTE not in notes_on_queue(deputy)
    # A deputy is not asked, and cannot choose, an audience they cannot read themselves:
    # a forged choice is ignored and the note is for those who read what they read.
    assert not page_at(deputy, "/triage/handover-note").has_id("note_audience")
    assert write(deputy, note_text="Mine", note_audience="restricted")[0] == 200
    assert [note.audience for note in notes(services)] == ["restricted", "general"]


def test_a_bad_note_is_refused_with_a_message_and_keeps_what_was_typed(
    lead_client: FlaskClient, services: Services
) -> None:
    code, page = write(lead_client, note_text="   ", note_audience="general")
    assert code == 400 and page.problems() == {"note_text": "Write the note."}
    long_note = "x" * 2001
    code, page = write(lead_client, note_text=long_note)
    assert code == 400 and page.problems() == {
        "note_text": "The note must be 2000 characters or fewer.",
        "note_audience": "Choose who may read the note.",
    }
    assert page.by_id("note_text").text == long_note
    response = lead_client.post("/triage/handover-note", data={"note_text": NOTE})
    assert response.status_code == 400  # no CSRF token: refused
    assert notes(services) == []


def test_only_those_who_work_cases_write_notes(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    for role in ("auditor", "admin"):
        client = client_for(app, services, staff, clock, role)
        assert client.get("/triage/handover-note").status_code == 403
    assert notes(services) == []


def test_the_words_are_sealed_and_every_reading_is_on_record(
    lead_client: FlaskClient, services: Services, database_kind: str, database_url: str
) -> None:
    write(lead_client, note_text=NOTE, note_audience="general")
    notes_on_queue(lead_client)
    with services.db.transaction() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    actions = [event.action for event in events]
    assert "handover.note_written" in actions and "handover.notes_read" in actions
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert len(raw) > 10_000 and b"handover.note_written" in raw  # we read the stored rows
    assert b"marker-handover-7Q" not in raw


def test_an_independent_reviewers_note_stays_with_independent_reviewers(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    """The independent reviewer works the reports that name the lead or a governor: their
    handover must reach the next reviewer and never the lead or governor it may be about."""
    reviewer = client_for(app, services, staff, clock, "reviewer")
    assert not page_at(reviewer, "/triage/handover-note").has_id("note_audience")
    assert write(reviewer, note_text=NOTE, note_audience="general")[0] == 200  # forged: ignored
    assert [note.audience for note in notes(services)] == ["independent"]
    next_reviewer = client_for(app, services, staff, clock, "reviewer")
    assert NOTE in notes_on_queue(next_reviewer)
    for role in ("lead", "governor", "deputy", "auditor"):
        assert NOTE not in notes_on_queue(client_for(app, services, staff, clock, role)), role
