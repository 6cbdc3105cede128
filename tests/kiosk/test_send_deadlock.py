"""Send, chosen by PostgreSQL as a deadlock's victim, is run again and the report is sent:
the person at the kiosk sees their code, not "not sent" (tests/support/deadlock.py makes
the deadlock real). Each unit of work of a door is one transaction, so running it again
after the database rolled it back is safe; SQLite has one writer at a time and no
deadlocks."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from safeguarding.services import Services
from storage.models import Report
from tests.kiosk.journey import fill_report, send
from tests.kiosk.pages import Kiosk, code_on
from tests.support.deadlock import deadlock_with_the_next_writer

pytestmark = pytest.mark.postgres_only

KIOSK_DRAFTS = "SELECT id FROM kiosk_draft FOR UPDATE"


def test_send_chosen_as_a_deadlocks_victim_is_sent_all_the_same(
    kiosk: Kiosk, services: Services, establishment_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    fill_report(kiosk)
    caplog.set_level(logging.WARNING)
    with deadlock_with_the_next_writer(services, establishment_id, then=KIOSK_DRAFTS):
        code = code_on(send(kiosk))
    assert len(code) == 12
    with services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 1
    assert any("deadlock" in record.getMessage() for record in caplog.records)
