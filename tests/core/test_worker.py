from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.config import Config
from safereport.worker import LEASE, Worker, backoff
from safereport.worker_setup import build_worker
from storage.models import OutboxMessage
from storage.repositories.outbox import claim_messages, enqueue_message
from tests.factories import new_establishment, submit


def enqueue(services: Services, kind: str, n: int) -> None:
    with services.db.transaction() as session:
        enqueue_message(
            session, kind=kind, dedupe_key=f"{kind}:{n}", payload={"n": n}, at=services.clock.now()
        )


def messages(services: Services) -> list[OutboxMessage]:
    with services.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_failing_delivery_is_retried_with_backoff_until_it_succeeds(
    services: Services, clock: FixedClock
) -> None:
    enqueue(services, "test.kind", 1)
    calls: list[dict[str, Any]] = []

    def flaky(_services: Services, payload: dict[str, Any]) -> None:
        calls.append(payload)
        if len(calls) < 3:
            raise ConnectionError("smtp server went away")

    worker = Worker(services, {"test.kind": flaky})
    assert worker.run_once() == 1
    [message] = messages(services)
    assert message.delivered_at is None and message.attempts == 1
    assert message.last_error == "ConnectionError: smtp server went away"
    assert worker.run_once() == 0  # not due until the backoff has passed
    clock.advance(backoff(1))
    assert worker.run_once() == 1
    clock.advance(backoff(2))
    assert worker.run_once() == 1
    [message] = messages(services)
    assert message.delivered_at == clock.now() and message.attempts == 3
    assert calls == [{"n": 1}] * 3
    assert worker.run_once() == 0


def test_a_message_claimed_by_a_worker_that_died_is_delivered_after_the_lease(
    services: Services, clock: FixedClock
) -> None:
    enqueue(services, "test.kind", 1)
    with services.db.transaction() as session:  # a worker claims it, then is killed
        assert len(claim_messages(
            session, kinds={"test.kind"}, now=clock.now(), lease=LEASE, limit=10
        )) == 1  # fmt: skip
    delivered: list[int] = []
    worker = Worker(services, {"test.kind": lambda _s, p: delivered.append(p["n"])})
    assert worker.run_once() == 0
    clock.advance(LEASE)
    assert worker.run_once() == 1
    assert delivered == [1]


def test_messages_without_a_handler_wait_rather_than_being_dropped(services: Services) -> None:
    enqueue(services, "alert.new_report", 1)
    assert Worker(services, {"other": lambda _s, _p: None}).run_once() == 0
    [message] = messages(services)
    assert message.attempts == 0 and message.delivered_at is None


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [5, 10, 20]
    assert backoff(30) == timedelta(minutes=15)


@pytest.mark.one_database  # SQLite's own: on PostgreSQL autovacuum keeps the statistics
def test_the_worker_keeps_sqlites_planner_statistics_at_start_and_every_six_hours(
    services: Services, config: Config, clock: FixedClock
) -> None:
    """A prison's SQLite database grows for years; nothing else would ever run ANALYZE,
    and without statistics SQLite planned the queue's counts from every report."""
    submit(services, new_establishment(services))
    worker = build_worker(config.with_changes(digest_hour_utc=24), services, base_url="http://x")

    def statistics() -> set[str]:
        with services.db.engine.connect() as connection:
            kept = connection.execute(
                text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            ).first()
            if kept is None:
                return set()
            return set(connection.execute(text("SELECT idx FROM sqlite_stat1")).scalars())

    assert "ix_report_queue_due" not in statistics()
    worker.run_once()
    assert "ix_report_queue_due" in statistics()
    with services.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM sqlite_stat1"))
    clock.advance(timedelta(hours=5))
    worker.run_once()
    assert statistics() == set()  # not due yet
    clock.advance(timedelta(hours=1, minutes=1))
    worker.run_once()
    assert "ix_report_queue_due" in statistics()
