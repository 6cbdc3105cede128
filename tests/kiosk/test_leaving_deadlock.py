"""A prisoner who said they are in danger leaves the kiosk, and the transaction that files
their answer is chosen by PostgreSQL as a deadlock's victim (tests/support/deadlock.py
makes it real): on Leave now, at the next touch after the draft expired, and in the
worker's sweep. Each is run again and the answer filed then, rather than kept for a later
sweep (minutes later) while the draft's row lock held the other transaction up. The screen
blanks as always."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.config import Config
from safereport.worker_setup import build_worker
from tests.kiosk.pages import Kiosk
from tests.kiosk.test_leaving_in_danger import (
    alerts,
    assert_the_officer_sees_nothing,
    drafts,
    quick_exit,
    reports,
    say_i_am_in_danger,
)
from tests.kiosk.test_privacy import LIFETIME
from tests.support.deadlock import deadlock_with_the_next_writer

pytestmark = pytest.mark.postgres_only

KIOSK_DRAFTS = "SELECT id FROM kiosk_draft FOR UPDATE"


def test_leaving_in_danger_as_a_deadlocks_victim_files_the_report_at_once(
    kiosk: Kiosk, services: Services, establishment_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    say_i_am_in_danger(kiosk, typed=True)
    caplog.set_level(logging.WARNING)
    with deadlock_with_the_next_writer(services, establishment_id, then=KIOSK_DRAFTS):
        screen = quick_exit(kiosk)
    [report] = reports(services)  # now, not at the sweep
    assert report.priority == "immediate" and report.in_danger_now
    assert alerts(services) == ["alert.new_report"]
    assert drafts(services) == 0
    assert_the_officer_sees_nothing(kiosk, screen)
    assert any("deadlock" in record.getMessage() for record in caplog.records)


def test_an_expired_danger_draft_filed_at_the_next_touch_as_a_deadlocks_victim(
    kiosk: Kiosk,
    services: Services,
    establishment_id: int,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    say_i_am_in_danger(kiosk)
    clock.advance(LIFETIME + timedelta(seconds=1))
    caplog.set_level(logging.WARNING)
    with deadlock_with_the_next_writer(services, establishment_id, then=KIOSK_DRAFTS):
        response = kiosk.client.get("/kiosk/report/what")
    assert response.status_code == 303 and response.location == "/kiosk/"
    [report] = reports(services)
    assert report.priority == "immediate" and drafts(services) == 0
    assert any("deadlock" in record.getMessage() for record in caplog.records)


def test_an_expired_danger_draft_filed_by_the_worker_as_a_deadlocks_victim(
    kiosk: Kiosk,
    services: Services,
    establishment_id: int,
    clock: FixedClock,
    config: Config,
    caplog: pytest.LogCaptureFixture,
) -> None:
    say_i_am_in_danger(kiosk)
    worker = build_worker(config.with_changes(digest_hour_utc=24), services, base_url="http://x")
    worker.run_once()  # the sweeps that are due at start, before the draft expires
    clock.advance(LIFETIME + timedelta(minutes=1))
    caplog.set_level(logging.WARNING)
    with deadlock_with_the_next_writer(services, establishment_id, then=KIOSK_DRAFTS):
        worker.run_once()
    [report] = reports(services)
    assert report.priority == "immediate" and drafts(services) == 0
    assert any("deadlock" in record.getMessage() for record in caplog.records)
