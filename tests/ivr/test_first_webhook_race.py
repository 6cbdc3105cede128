"""Twilio delivers a call's first webhook twice at the same moment (a retry on a slow
answer, two app servers): both deliveries end with the one call the first made.

Made real on PostgreSQL: the first delivery's transaction stays open until the server
shows the second one waiting on its lock (pg_stat_activity), so the second insert is really
held by the first and must then do nothing and find the first's call. SQLite runs one
writer at a time (BEGIN IMMEDIATE), so there the second simply comes after the first."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from safeguarding.call_sessions import open_call_on_line
from safeguarding.services import Services
from storage.models import CallSession
from tests.ivr.conftest import add_line

pytestmark = pytest.mark.postgres_only

CALL_SID = "CA" + "5" * 32
WAITING_ON_A_LOCK = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock'
"""


def _open(services: Services, number: str, nonce: str) -> int:
    with services.db.transaction() as session:
        call = open_call_on_line(
            session, dialled=number, call_sid=CALL_SID, nonce=nonce, at=services.clock.now(),
            pepper=services.secrets.code_pepper, vault=services.secrets.vault,
        )  # fmt: skip
        assert call is not None
        return call.id


def _wait_until_someone_waits(services: Services, seconds: float = 10.0) -> None:
    """Each look in its own transaction: PostgreSQL keeps one snapshot of pg_stat_activity
    for a whole transaction, so a watcher in one transaction never sees a later waiter."""
    deadline = time.monotonic() + seconds
    autocommit = services.db.engine.execution_options(isolation_level="AUTOCOMMIT")
    with autocommit.connect() as watcher:
        while watcher.execute(text(WAITING_ON_A_LOCK)).scalar_one() == 0:
            assert time.monotonic() < deadline, "the second delivery never waited"
            time.sleep(0.01)


def test_two_first_webhooks_at_once_make_one_call(services: Services) -> None:
    line = add_line(services)
    second: list[int] = []
    with services.db.transaction() as session:
        first = open_call_on_line(
            session, dialled=line.number, call_sid=CALL_SID, nonce="first",
            at=services.clock.now(), pepper=services.secrets.code_pepper,
            vault=services.secrets.vault,
        )  # fmt: skip
        assert first is not None
        session.flush()
        racer = threading.Thread(target=lambda: second.append(_open(services, line.number, "2")))
        racer.start()
        _wait_until_someone_waits(services)  # the second insert is held by our row
        first_id = first.id
    racer.join(timeout=10)
    assert second == [first_id]
    with services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CallSession)) == 1
