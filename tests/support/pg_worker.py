"""One PostgreSQL database per test worker, put back to the migrated template's state
before each test instead of copied afresh.

``CREATE DATABASE ... TEMPLATE`` took 0.4 s a test on the 2-core machine (a checkpoint and
some hundred files each time), over a thousand times a run. Here each worker copies the
template once, keeps a snapshot of the rows the migrations wrote (schema ``sr_seed``), and
before each test: ends every other connection to it (a test's engine left open, a thread),
deletes every row with triggers and foreign keys off (``session_replication_role``),
writes the snapshot back and restarts every sequence where the template had it. What a
fresh copy gives a test, rows and ids alike, at a fraction of the cost.

A test that changes the schema (a migration test going down and up, a trigger a failure
test adds and a failing test leaves behind) would leak into the next; so the catalog is
fingerprinted after each reset and the database is copied afresh from the template
whenever it differs.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

SEED_SCHEMA = "sr_seed"

# Everything a test's DDL could change, with oids: an object dropped and made again counts
# as a change, so the database is rebuilt rather than trusted.
_FINGERPRINT = """
SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) FROM (
  SELECT c.oid::text || c.relname || c.relkind::text FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL SELECT t.oid::text || t.tgname || t.tgenabled::text FROM pg_trigger t
  UNION ALL SELECT p.oid::text || p.proname FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace
  UNION ALL SELECT a.attrelid::text || a.attname || a.atttypid::text || a.attnotnull::text
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT o.oid::text || o.conname FROM pg_constraint o
    WHERE o.connamespace = 'public'::regnamespace
  UNION ALL SELECT d.oid::text || pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
    JOIN pg_class c ON c.oid = d.adrelid WHERE c.relnamespace = 'public'::regnamespace
) AS catalog(item)
"""

_OTHERS_OUT = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Table names below come from the catalog (pg_tables), quoted: never from a test's input.
def _public(table: str) -> str:
    return f"public.{_quoted(table)}"


def _seed(table: str) -> str:
    return f"{SEED_SCHEMA}.{_quoted(table)}"


def _has_rows(connection: Connection, table: str) -> bool:
    return bool(connection.execute(text(f"SELECT EXISTS (TABLE {_public(table)})")).scalar())


class WorkerDatabase:
    """This worker's database, made from ``template`` on the server ``admin`` names."""

    def __init__(self, admin: Engine, admin_url: str, template: str, worker: str) -> None:
        self._admin, self._template = admin, template
        self.name = f"sr_worker_{worker}_{uuid.uuid4().hex[:8]}"
        self.url = make_url(admin_url).set(database=self.name).render_as_string(False)
        self._engine: Engine | None = None
        self._fingerprint = ""
        self._build()

    def fresh(self) -> str:
        """The database's URL, its rows and sequences as the template has them."""
        assert self._engine is not None
        with self._engine.connect() as connection:
            connection.execute(text(_OTHERS_OUT))
            connection.execute(text(f"SELECT {SEED_SCHEMA}.put_back()"))
            same = connection.execute(text(_FINGERPRINT)).scalar_one() == self._fingerprint
        if not same:
            self.drop()
            self._build()
        return self.url

    def drop(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {_quoted(self.name)} WITH (FORCE)"))

    def _build(self) -> None:
        with self._admin.connect() as connection:
            connection.execute(
                text(
                    f"CREATE DATABASE {_quoted(self.name)} "
                    f"TEMPLATE {_quoted(self._template)} STRATEGY FILE_COPY"
                )
            )
        # One connection kept for the resets; pinged first, as a fault test may restart the
        # server under it.
        self._engine = create_engine(
            self.url, isolation_level="AUTOCOMMIT", poolclass=StaticPool, pool_pre_ping=True
        )
        with self._engine.connect() as connection:
            _install_put_back(connection)
            self._fingerprint = connection.execute(text(_FINGERPRINT)).scalar_one()


def _install_put_back(connection: Connection) -> None:
    """Snapshot the migrated rows and sequences into SEED_SCHEMA, and a function that puts
    every table back to them in one round trip."""
    tables = list(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).scalars()
    )
    connection.execute(text(f"CREATE SCHEMA {SEED_SCHEMA}"))
    seeded = [table for table in tables if _has_rows(connection, table)]
    for table in seeded:
        connection.execute(text(f"CREATE TABLE {_seed(table)} AS TABLE {_public(table)}"))
    sequences = connection.execute(
        text(
            "SELECT sequencename, coalesce(last_value, start_value), last_value IS NOT NULL "
            "FROM pg_sequences WHERE schemaname = 'public'"
        )
    ).all()
    body = ["PERFORM set_config('session_replication_role', 'replica', true);"]
    body += [f"DELETE FROM {_public(table)};" for table in tables]  # noqa: S608 (names from the catalog)
    body += [f"INSERT INTO {_public(table)} TABLE {_seed(table)};" for table in seeded]
    body += [
        f"PERFORM setval('public.{_quoted(name)}', {value}, {str(called).lower()});"
        for name, value, called in sequences
    ]
    body.append("PERFORM set_config('session_replication_role', 'origin', true);")
    connection.execute(
        text(
            f"CREATE FUNCTION {SEED_SCHEMA}.put_back() RETURNS void LANGUAGE plpgsql AS $body$\n"
            "BEGIN\n" + "\n".join(body) + "\nEND\n$body$"
        )
    )
