"""A webhook chosen by PostgreSQL as a deadlock's victim is run again: the caller who
pressed 1 for danger hears that their report is made, not that the line cannot take their
call (tests/support/deadlock.py makes the deadlock real). A webhook is one transaction, so
running it again after the database rolled it back is safe."""

from __future__ import annotations

import logging
from contextlib import ExitStack

import pytest
from flask import Flask
from sqlalchemy import select

from safeguarding.services import Services
from storage.models import Report
from tests.ivr.conftest import Line
from tests.ivr.emulator import HangUp, Keys, TwilioEmulator, Wait
from tests.ivr.transcript import transcript
from tests.support.deadlock import deadlock_with_the_next_writer

pytestmark = pytest.mark.postgres_only

CALL_SESSIONS = "SELECT id FROM call_session FOR UPDATE"


def test_the_danger_key_chosen_as_a_deadlocks_victim_still_makes_the_report(
    app: Flask,
    phone: TwilioEmulator,
    line: Line,
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    with ExitStack() as during_the_key:

        def deadlock_the_next_webhook() -> None:
            during_the_key.enter_context(
                deadlock_with_the_next_writer(services, line.establishment_id, then=CALL_SESSIONS)
            )

        log = phone.call([Wait(deadlock_the_next_webhook), Keys("1"), HangUp()])
    assert not log.problems and log.ended_by == "caller"
    heard = transcript(app, log, ["en"])
    assert "danger.sent" in heard and "cannot_take" not in " ".join(heard)
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
    assert report.in_danger_now and report.priority == "immediate"
    assert any("deadlock" in record.getMessage() for record in caplog.records)
