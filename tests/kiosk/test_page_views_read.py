"""A kiosk page view only reads: it takes no write lock and keeps the draft alive by writing
its last-seen time at most every TOUCH_EVERY (safeguarding.drafts), while the idle wipe
still ends the draft on time."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine import make_url

from safeguarding.clock import FixedClock
from safeguarding.drafts import TOUCH_EVERY, draft_lifetime
from safeguarding.services import Services
from storage.models import KioskDraft
from tests.kiosk.journey import start_report
from tests.kiosk.pages import Kiosk

SECOND = TOUCH_EVERY / TOUCH_EVERY.total_seconds()


def the_draft(services: Services) -> KioskDraft | None:
    with services.db.reading() as session:
        row = session.scalars(select(KioskDraft)).one_or_none()
        if row is not None:
            session.expunge(row)
        return row


def times(services: Services) -> tuple[datetime, datetime]:
    row = the_draft(services)
    assert row is not None
    return row.last_seen_at, row.expires_at


@pytest.fixture
def statements(services: Services) -> Iterator[list[str]]:
    """Every statement the app sends from now on, BEGIN included."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(services.db.engine, "before_cursor_execute", record)


def test_a_page_view_writes_nothing_until_the_keep_alive_is_due(
    kiosk: Kiosk, services: Services, clock: FixedClock, statements: list[str]
) -> None:
    start_report(kiosk)
    started = clock.now()
    assert times(services) == (started, started + draft_lifetime(90))
    clock.advance(TOUCH_EVERY - SECOND)
    statements.clear()
    kiosk.get("/kiosk/report/danger")
    kiosk.get("/kiosk/menu")
    writes = [s for s in statements if s.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert not [s for s in statements if "FOR UPDATE" in s.upper() or "IMMEDIATE" in s.upper()]
    assert times(services) == (started, started + draft_lifetime(90))
    clock.advance(SECOND)
    kiosk.get("/kiosk/report/danger")
    assert times(services) == (clock.now(), clock.now() + draft_lifetime(90))


def test_a_page_view_is_three_reads(kiosk: Kiosk, clock: FixedClock, statements: list[str]) -> None:
    """The device with its establishment's place_version (one read: the place itself comes
    from the cache), whether any draft has expired, and the draft: three round trips on
    PostgreSQL, where each costs most (issue 18)."""
    start_report(kiosk)
    kiosk.get("/kiosk/menu")  # the place cached
    clock.advance(SECOND)
    statements.clear()
    kiosk.get("/kiosk/report/danger")
    reads = [s for s in statements if s.split()[0].upper() == "SELECT"]
    assert len(reads) == 3, reads
    assert "place_version" in reads[0] and "kiosk_device" in reads[0]


def test_the_idle_wipe_counts_from_the_last_keep_alive(
    kiosk: Kiosk, services: Services, clock: FixedClock
) -> None:
    start_report(kiosk)
    started = clock.now()
    clock.advance(TOUCH_EVERY - SECOND)
    kiosk.get("/kiosk/report/danger")  # not kept alive: too soon
    clock.advance(draft_lifetime(90) - TOUCH_EVERY)  # one second before it expires
    kiosk.get("/kiosk/report/danger")  # kept alive
    assert times(services)[0] == started + draft_lifetime(90) - SECOND
    clock.advance(draft_lifetime(90))  # exactly when it expires
    response = kiosk.client.get("/kiosk/report/danger")
    assert response.status_code == 303 and response.location == "/kiosk/"
    assert the_draft(services) is None


def test_a_draft_viewed_too_soon_to_keep_alive_still_expires_on_time(
    kiosk: Kiosk, services: Services, clock: FixedClock
) -> None:
    start_report(kiosk)
    clock.advance(TOUCH_EVERY - SECOND)
    kiosk.get("/kiosk/report/danger")
    clock.advance(draft_lifetime(90) - TOUCH_EVERY + SECOND)  # its expiry, from its start
    response = kiosk.client.get("/kiosk/report/danger")
    assert response.status_code == 303 and response.location == "/kiosk/"
    assert the_draft(services) is None


def test_a_page_view_needs_no_write_lock(
    kiosk: Kiosk, services: Services, database_kind: str, clock: FixedClock
) -> None:
    if database_kind != "sqlite":
        pytest.skip("the write lock is SQLite's; PostgreSQL's page views are checked above")
    start_report(kiosk)
    clock.advance(TOUCH_EVERY - SECOND)
    path = make_url(str(services.db.engine.url)).database
    assert path is not None
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        assert "danger" in kiosk.get("/kiosk/report/danger").text.lower()
        kiosk.get("/kiosk/menu")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
