"""The deadline the queue shows and sorts by is report.due_at, which the database computes
(migration 0041). It must be the deadline running now after everything that changes a
report's status, priority or clocks, whoever changes it: a lead acknowledging, triaging,
escalating, closing or reopening; the paged officer pressing 1; a prisoner saying they are
in danger again; a policy file changed between two reports; a database administrator
editing a row by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text, update
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from safeguarding.access import Role, StaffPrincipal
from safeguarding.actions import (
    STATUSES,
    ActionContext,
    acknowledge,
    change_status,
    close,
    escalate,
    next_deadline,
)
from safeguarding.alerts import acknowledge_alert
from safeguarding.checkins import at_least_high
from safeguarding.clock import FixedClock
from safeguarding.new_information import note_new_information, reporter_in_danger
from safeguarding.policy import load_policy
from safeguarding.services import Services
from storage.models import Report
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import page_at, signed_in_client
from tests.triage.test_queue import queue_ids

IMMEDIATE = ["hurting_myself"]  # acknowledge within 15 minutes, triage within 4 hours
STANDARD = ["bullied"]  # no acknowledge clock, triage within 3 days


def lead_of(establishment_id: int) -> StaffPrincipal:
    return StaffPrincipal(1, Role.LEAD, frozenset({establishment_id}), "Lena Lead")


@contextmanager
def editing(services: Services, report_id: int) -> Iterator[tuple[Session, Report]]:
    """The report, to change (or read) in one transaction."""
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        yield session, report


def stored(services: Services, report_id: int) -> Report:
    """The report as a fresh read of the database gives it."""
    with editing(services, report_id) as (session, report):
        session.expunge(report)
        return report


def due_at(services: Services, report_id: int) -> datetime | None:
    return stored(services, report_id).due_at


def act(
    services: Services, clock: FixedClock, report_id: int, action: object, **kw: object
) -> None:
    """A lead of the report's establishment does ``action`` (from safeguarding.actions)."""
    with editing(services, report_id) as (session, report):
        lead = lead_of(report.establishment_id)
        action(ActionContext(session, lead, clock, services.secrets.vault), report, **kw)  # type: ignore[operator]


def reporter(services: Services, clock: FixedClock, report_id: int, step: object) -> None:
    """The prisoner adds to their report at the kiosk (safeguarding.new_information)."""
    with editing(services, report_id) as (session, report):
        step(session, report=report, channel="kiosk", policy=services.policy, clock=clock)  # type: ignore[operator]


def test_the_database_applies_the_same_rule_as_safeguarding_for_every_status(
    services: Services, establishment: int
) -> None:
    """A database administrator sets each status by hand: the stored deadline is still the
    one safeguarding.actions.next_deadline gives, with and without an acknowledge clock."""
    reports = [
        submit(services, establishment, concerns=IMMEDIATE).report_id,
        submit(services, establishment, concerns=STANDARD).report_id,
    ]
    for status in STATUSES:
        with services.db.transaction() as session:
            session.execute(update(Report).where(Report.id.in_(reports)).values(status=status))
        for report_id in reports:
            report = stored(services, report_id)
            assert report.due_at == next_deadline(report), (status, report_id)
            assert (report.queue_rank is None) == (status == "closed")


def test_acknowledging_moves_the_deadline_to_triage(
    services: Services, establishment: int, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, concerns=IMMEDIATE).report_id
    received = clock.now()
    assert due_at(services, report_id) == received + timedelta(minutes=15)
    act(services, clock, report_id, acknowledge)
    assert due_at(services, report_id) == received + timedelta(hours=4)


def test_the_paged_officer_pressing_1_moves_the_deadline_to_triage(
    services: Services, establishment: int, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, concerns=IMMEDIATE).report_id
    with services.db.transaction() as session:
        assert acknowledge_alert(
            session, report_id=report_id, by="staff:9", via="call", clock=clock
        )
    assert due_at(services, report_id) == clock.now() + timedelta(hours=4)


def test_triage_stops_the_clock_and_the_report_is_no_longer_overdue(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, concerns=STANDARD).report_id
    act(services, clock, report_id, change_status, status="investigating")
    assert due_at(services, report_id) is None
    clock.advance(timedelta(days=4))  # past the triage deadline it no longer has
    client = signed_in_client(app, services, staff("lead"), clock)
    assert queue_ids(page_at(client, "/triage/queue")) == [report_id]
    assert queue_ids(page_at(client, "/triage/queue?overdue=1")) == []


def test_escalating_to_the_governor_keeps_the_deadline(
    services: Services, establishment: int, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, concerns=IMMEDIATE).report_id
    before = due_at(services, report_id)
    act(services, clock, report_id, escalate, reason="Needs the governor tonight.")
    assert due_at(services, report_id) == before is not None


def test_closing_clears_the_deadline_and_reopening_restores_the_running_one(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, concerns=STANDARD).report_id
    triage_due = clock.now() + timedelta(days=3)
    act(services, clock, report_id, close, outcome="resolved_internally")
    assert due_at(services, report_id) is None
    client = signed_in_client(app, services, staff("lead"), clock)
    assert queue_ids(page_at(client, "/triage/queue")) == []
    # A lead reopens it as acknowledged: the triage clock it had runs again.
    act(services, clock, report_id, change_status, status="acknowledged")
    assert due_at(services, report_id) == triage_due
    clock.advance(timedelta(days=4))
    client = signed_in_client(app, services, staff("lead"), clock)  # a new shift
    assert queue_ids(page_at(client, "/triage/queue?overdue=1")) == [report_id]


def test_a_reporter_adding_to_a_closed_case_reopens_it_with_fresh_clocks(
    services: Services, establishment: int, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, concerns=STANDARD).report_id
    act(services, clock, report_id, close, outcome="resolved_internally")
    clock.advance(timedelta(days=10))
    reporter(services, clock, report_id, note_new_information)
    assert due_at(services, report_id) == clock.now() + timedelta(days=3)


def test_a_prisoner_in_danger_again_goes_up_with_a_15_minute_deadline(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    quiet = submit(services, establishment, concerns=STANDARD).report_id
    clock.advance(timedelta(minutes=1))
    other = submit(services, establishment, concerns=STANDARD).report_id
    urgent = submit(services, establishment, concerns=IMMEDIATE).report_id
    act(services, clock, quiet, change_status, status="investigating")
    clock.advance(timedelta(hours=1))
    reporter(services, clock, quiet, reporter_in_danger)
    assert due_at(services, quiet) == clock.now() + timedelta(minutes=15)
    client = signed_in_client(app, services, staff("lead"), clock)
    # Now immediate: above the standard report, below the immediate one due sooner.
    assert queue_ids(page_at(client, "/triage/queue")) == [urgent, quiet, other]


def test_raising_the_priority_moves_the_report_up_the_queue(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    older = submit(services, establishment, concerns=STANDARD).report_id
    clock.advance(timedelta(minutes=1))
    raised = submit(services, establishment, concerns=STANDARD).report_id
    client = signed_in_client(app, services, staff("lead"), clock)
    assert queue_ids(page_at(client, "/triage/queue")) == [older, raised]
    with editing(services, raised) as (_session, report):
        at_least_high(report)  # a retaliation check-in found them not safe
    assert stored(services, raised).priority == "high"
    assert queue_ids(page_at(client, "/triage/queue")) == [raised, older]


def test_a_changed_policy_applies_to_reports_received_after_it(
    services: Services, establishment: int, clock: FixedClock, tmp_path: Path
) -> None:
    """Deadlines are fixed when a report arrives (or its clocks restart), never read from
    the policy later, so the stored due time needs nothing when the policy file changes."""
    before = submit(services, establishment, concerns=STANDARD).report_id
    faster = tmp_path / "policy.toml"
    faster.write_text('[priorities.standard]\ntriage_within = "1d"\n')
    services.policy = load_policy(faster)  # a restart with the new file
    after = submit(services, establishment, concerns=STANDARD).report_id
    assert due_at(services, before) == clock.now() + timedelta(days=3)
    assert due_at(services, after) == clock.now() + timedelta(days=1)


def test_a_database_administrator_editing_status_or_deadlines_cannot_make_the_queue_lie(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, concerns=STANDARD).report_id
    soon = clock.now() + timedelta(hours=1)
    with services.db.transaction() as session:  # as in psql
        session.execute(text("UPDATE report SET triage_due_at = :at WHERE id = :id"),
                        {"at": soon, "id": report_id})  # fmt: skip
    assert due_at(services, report_id) == soon
    clock.advance(timedelta(hours=2))
    client = signed_in_client(app, services, staff("lead"), clock)
    assert queue_ids(page_at(client, "/triage/queue?overdue=1")) == [report_id]
    with services.db.transaction() as session:
        session.execute(text("UPDATE report SET status = 'waiting' WHERE id = :id"),
                        {"id": report_id})  # fmt: skip
    assert queue_ids(page_at(client, "/triage/queue?overdue=1")) == []
    assert queue_ids(page_at(client, "/triage/queue")) == [report_id]
    # The stored deadline itself cannot be set by hand.
    with pytest.raises(DatabaseError), services.db.transaction() as session:
        session.execute(text("UPDATE report SET due_at = :at WHERE id = :id"),
                        {"at": soon, "id": report_id})  # fmt: skip
