"""Twilio delivers a call's first webhook twice at the same moment (a retry on a slow
answer, two app servers): both deliveries end with the one call the first made.

Made real on PostgreSQL: the first delivery's transaction stays open until the server
shows the second one waiting on its lock (pg_stat_activity), so the second insert is really
held by the first and must then do nothing and find the first's call. SQLite runs one
writer at a time (BEGIN IMMEDIATE), so there the second simply comes after the first."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from safeguarding.call_sessions import open_call_on_line
from safeguarding.services import Services
from storage.models import CallSession
from tests.ivr.conftest import add_line
from tests.support.deadlock import wait_until_someone_waits

pytestmark = pytest.mark.postgres_only

CALL_SID = "CA" + "5" * 32


def _open(services: Services, number: str, nonce: str) -> int:
    with services.db.transaction() as session:
        call = open_call_on_line(
            session, dialled=number, call_sid=CALL_SID, nonce=nonce, at=services.clock.now(),
            pepper=services.secrets.code_pepper, vault=services.secrets.vault,
        )  # fmt: skip
        assert call is not None
        return call.id


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
        wait_until_someone_waits(services)  # the second insert is held by our row
        first_id = first.id
    racer.join(timeout=10)
    assert second == [first_id]
    with services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CallSession)) == 1
