"""A real PostgreSQL deadlock with a door's transaction as its victim.

A helper transaction locks what the door's transaction will want last (the audit chain's
heads), waits until the door's transaction waits on it (pg_stat_activity), then asks for
what the door's transaction already holds (its draft or call row). PostgreSQL checks for a
deadlock once, when a transaction has waited ``deadlock_timeout``, and rolls back the one
that finds it. The door's transactions check after DOOR_CHECKS_AFTER and the helper after
HELPER_CHECKS_AFTER, so the door is the victim whenever the helper starts waiting within
DOOR_CHECKS_AFTER of the door (on a loaded machine the watcher was once more than the
default second late, and the helper was rolled back instead)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, event, text
from sqlalchemy.exc import DBAPIError

from safeguarding.services import Services
from storage.repositories.audit import append_audit

AUDIT_HEADS = "SELECT chain FROM audit_chain_head FOR UPDATE"
DOOR_CHECKS_AFTER = "3s"
HELPER_CHECKS_AFTER = "20s"
WAITING_ON_A_LOCK = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock'
"""


@dataclass
class Helper:
    took_second_lock: bool = False
    was_the_victim: bool = False
    errors: list[BaseException] = field(default_factory=list)


@contextmanager
def deadlock_with_the_next_writer(
    services: Services, establishment_id: int, *, then: str
) -> Iterator[Helper]:
    """While the block runs, the next transaction to want the establishment's audit chain
    head is made a deadlock's victim once (``then``: SQL locking rows it holds by then)."""
    with services.db.transaction() as session:  # the head exists: there is a row to lock
        append_audit(
            session, at=services.clock.now(), actor="test", action="test.chain_started",
            establishment_id=establishment_id,
        )  # fmt: skip
    helper = Helper()
    holding = threading.Event()

    def run() -> None:
        try:
            with services.db.engine.connect() as connection, connection.begin() as work:
                connection.exec_driver_sql(f"SET LOCAL deadlock_timeout = '{HELPER_CHECKS_AFTER}'")
                connection.execute(text(AUDIT_HEADS))
                holding.set()
                wait_until_someone_waits(services)
                try:
                    connection.execute(text(then))
                    helper.took_second_lock = True
                except DBAPIError:
                    helper.was_the_victim = True
                work.rollback()
        except BaseException as error:  # reported by the test, not lost in the thread
            helper.errors.append(error)
            holding.set()

    def door_checks_late(connection: Connection) -> None:
        connection.exec_driver_sql(f"SET LOCAL deadlock_timeout = '{DOOR_CHECKS_AFTER}'")

    event.listen(services.db.engine, "begin", door_checks_late)
    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert holding.wait(10)
        yield helper
    finally:
        thread.join(timeout=60)
        event.remove(services.db.engine, "begin", door_checks_late)
    assert not helper.errors, helper.errors
    assert helper.took_second_lock and not helper.was_the_victim


def wait_until_someone_waits(services: Services, seconds: float = 10.0) -> None:
    """Until a transaction in the test database waits on a lock. Each look in its own
    transaction: PostgreSQL keeps one snapshot of pg_stat_activity for a whole
    transaction, so a watcher in one transaction never sees a later waiter."""
    deadline = time.monotonic() + seconds
    autocommit = services.db.engine.execution_options(isolation_level="AUTOCOMMIT")
    with autocommit.connect() as watcher:
        while watcher.execute(text(WAITING_ON_A_LOCK)).scalar_one() == 0:
            assert time.monotonic() < deadline, "nobody waited on a lock"
            time.sleep(0.01)
