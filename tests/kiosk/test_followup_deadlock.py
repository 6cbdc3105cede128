"""Coming back with a code to add words, then saying "I am in danger now", or answering
"Are you safe now?" with "No": each is one transaction, run again when PostgreSQL chooses
it as a deadlock's victim (tests/support/deadlock.py makes the deadlock real), so the
person sees their words added and what to do now, not an error page; the report is made
immediate once."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import Report, TimelineEvent
from tests.factories import submit
from tests.kiosk.pages import Kiosk
from tests.kiosk.test_followup import open_with_code
from tests.kiosk.test_safe_now import SAFE_NOW, a_named_report, asked, report_of
from tests.support.deadlock import deadlock_with_the_next_writer

pytestmark = pytest.mark.postgres_only

KIOSK_DRAFTS = "SELECT id FROM kiosk_draft FOR UPDATE"


def test_words_added_and_danger_said_as_a_deadlocks_victims_are_kept_all_the_same(
    kiosk: Kiosk, services: Services, establishment_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    receipt = submit(services, establishment_id, concerns=["made_to_pay"])
    open_with_code(kiosk, receipt.code)
    kiosk.get("/kiosk/code/add")  # the form and its token, read beforehand
    caplog.set_level(logging.WARNING)
    with deadlock_with_the_next_writer(services, establishment_id, then=KIOSK_DRAFTS):
        added = kiosk.submit("/kiosk/code/add", {"details": "They said they will do it again."})
    assert added.location == "/kiosk/code/danger"
    kiosk.follow(added)
    with deadlock_with_the_next_writer(services, establishment_id, then=KIOSK_DRAFTS):
        kiosk.post("/kiosk/code/danger", {"answer": "yes"}, status=200)
    page = kiosk.page
    assert page is not None and page.h1 == "Thank you. We have added this to your report."
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None and report.priority == "immediate"
        kinds = session.scalars(
            select(TimelineEvent.kind).where(TimelineEvent.report_id == receipt.report_id)
        ).all()
    assert kinds.count("reporter_added_information") == 1, kinds  # added once, not twice
    assert kinds.count("in_danger_again") == 1, kinds
    deadlocks = [r for r in caplog.records if "deadlock" in r.getMessage()]
    assert len(deadlocks) == 2, [r.getMessage() for r in caplog.records]


def test_not_safe_now_said_as_a_deadlocks_victim_is_kept_and_acted_on(
    kiosk: Kiosk,
    services: Services,
    establishment_id: int,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    report_id, code = a_named_report(services, establishment_id)
    clock.advance(timedelta(days=31))  # the first check-in is due: the kiosk asks
    asked(kiosk, code)
    caplog.set_level(logging.WARNING)
    with deadlock_with_the_next_writer(services, establishment_id, then=KIOSK_DRAFTS):
        kiosk.post(SAFE_NOW, {"answer": "no"}, status=200)
    page = kiosk.page
    assert page is not None and "Tell any officer straight away." in page.text
    report = report_of(services, report_id)
    assert (report.priority, report.in_danger_now) == ("immediate", True)
    assert any("deadlock" in record.getMessage() for record in caplog.records)
