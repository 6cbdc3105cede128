"""Engines, sessions and the one place that owns a transaction."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("safereport.storage")
T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Rows read per index when SQLite's statistics are refreshed: an approximate ANALYZE that
# stays cheap at millions of reports.
SQLITE_ANALYSIS_LIMIT = 1000
READ_ONLY = "safereport_read_only"  # execution option: a transaction that never writes
# PostgreSQL rolled the transaction back so that another could go on: a deadlock's victim
# (40P01) or a serialization failure (40001). The same work run again may well succeed.
ROLLED_BACK_FOR_ANOTHER = {"40P01": "deadlock", "40001": "serialization failure"}
UNIT_OF_WORK_ATTEMPTS = 3
RETRY_PAUSE_SECONDS = 0.1  # before a rolled-back transaction runs again


def rolled_back_for_another(error: BaseException) -> str | None:
    """What PostgreSQL said when it chose this transaction to roll back, or None."""
    if not isinstance(error, DBAPIError):
        return None
    return ROLLED_BACK_FOR_ANOTHER.get(getattr(error.orig, "sqlstate", None) or "")


def make_engine(url: str, *, prepared_statements: bool = True, **engine_options: Any) -> Engine:
    """An engine configured for durability: what we acknowledge survives a crash.

    ``prepared_statements=False`` stops psycopg preparing statements on the server (it
    prepares a query after its 5th use on a connection). A prepared statement belongs to one
    server connection, and PgBouncer in transaction mode hands each transaction whichever
    server connection is free, so a later EXECUTE meets a connection that never prepared it
    ("prepared statement ... does not exist")."""
    parsed = make_url(url)
    # Never put bound values in exception messages or logs: they can be personal data.
    engine_options.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **engine_options
        )
        _configure_sqlite(engine)
        return engine
    if not prepared_statements and parsed.get_driver_name() == "psycopg":
        connect_args = dict(engine_options.pop("connect_args", {}))
        connect_args["prepare_threshold"] = None
        engine_options["connect_args"] = connect_args
    return create_engine(url, pool_pre_ping=True, **engine_options)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed report survives power loss, not only a process crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front. A deferred transaction that reads and
        # then writes fails at once with SQLITE_BUSY when another writer got in between.
        # A read-only one (Database.reading) never writes, so it waits for no writer.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class Database:
    engine: Engine
    session_factory: sessionmaker[Session]

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        audit_key: bytes = b"",
        index_keys: dict[str, bytes] | None = None,
        active_index_key_id: str = "",
        prepared_statements: bool = True,
        **engine_options: Any,
    ) -> Database:
        """``audit_key`` keys the audit chains: every session carries it in ``info`` so that
        ``append_audit`` keeps its signature. Without it, appending an audit event fails.
        ``index_keys`` (every live blind-index key) ride along the same way, so that the
        rules can recognise a member of staff's name on a report (safeguarding.conflicts).
        ``prepared_statements=False``: for PgBouncer in transaction mode (``make_engine``)."""
        engine = make_engine(url, prepared_statements=prepared_statements, **engine_options)
        factory = sessionmaker(
            engine,
            expire_on_commit=False,
            info={
                "audit_key": audit_key,
                "index_keys": dict(index_keys or {}),
                "active_index": active_index_key_id,
            },
        )
        return cls(engine, factory)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self.session_factory() as session, session.begin():
            yield session

    def retrying(self, work: Callable[[], T]) -> T:
        """Run ``work`` (one transaction) again when PostgreSQL rolled it back so that
        another transaction could go on, up to UNIT_OF_WORK_ATTEMPTS times in all: a door
        would otherwise tell a person their report was not sent, or a caller that the line
        cannot take their call. The rollback undid everything it wrote, so it is safe.
        SQLite runs one writer at a time and never chooses a victim."""
        for _attempt in range(UNIT_OF_WORK_ATTEMPTS - 1):
            try:
                return work()
            except DBAPIError as error:
                why = rolled_back_for_another(error)
                if why is None:
                    raise
                log.warning("transaction rolled back by the database (%s); running it again", why)
                # Let the transaction that won finish first: run again at once, this one can
                # meet the winner's locks still held, and the sweep's SKIP LOCKED then
                # passes over a danger draft the winner had locked (seen in a test run).
                time.sleep(RETRY_PAUSE_SECONDS)
        return work()  # the last attempt: whatever it raises goes to the door

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads, and is rolled back. On SQLite it does not take the
        write lock, so it may run while the same thread holds a writing transaction."""
        with self.engine.connect() as connection:
            connection.execution_options(**{READ_ONLY: True})
            with Session(bind=connection, info=dict(self.session_factory.kw["info"])) as session:
                try:
                    yield session
                finally:
                    session.rollback()

    def refresh_planner_statistics(self) -> None:
        """SQLite keeps no statistics unless asked (PostgreSQL's autovacuum does it): without
        them the planner may start a query from every report. In a transaction of its own:
        through an autocommit connection SQLite skipped it silently."""
        if not self.is_sqlite:
            return
        with self.engine.begin() as connection:
            connection.execute(text(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}"))
            connection.execute(text("ANALYZE"))

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
