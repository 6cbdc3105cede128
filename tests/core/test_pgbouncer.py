"""Behind a real PgBouncer in transaction mode (loopback, in front of the test PostgreSQL):
with ``SAFEREPORT_DATABASE_PREPARED_STATEMENTS=false`` intake, the kiosk and the outbox
work; with psycopg's prepared statements left on, a query lands on a server connection
that never prepared it, which is why the setting exists (docs/deployment.md)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from safeguarding.enrolment import issue_kiosk_enrolment
from safeguarding.services import Services
from safereport.config import Config
from safereport.worker import Worker
from storage.db import make_engine
from storage.migrate import is_current, upgrade
from storage.models import KioskDevice, OutboxMessage, Report
from tests.factories import new_establishment, submit
from tests.kiosk.journey import fill_report, send
from tests.kiosk.pages import Kiosk, code_on
from tests.support import pgbouncer

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        not pgbouncer.available(), reason="no pgbouncer binary (apt-get install pgbouncer)"
    ),
]


@pytest.fixture
def bouncer(database_url: str) -> Iterator[pgbouncer.PgBouncer]:
    running = pgbouncer.PgBouncer(database_url, pool_size=3).start()
    yield running
    running.stop()


@pytest.fixture
def config(tmp_path: Path, database_url: str, bouncer: pgbouncer.PgBouncer) -> Config:
    """Every connection of the app (services, app, client fixtures) goes through PgBouncer."""
    return Config(
        instance_path=tmp_path / "instance",
        database_url=bouncer.url_for(database_url),
        database_prepared_statements=False,
        testing=True,
    )


def test_the_setting_is_read_from_the_environment() -> None:
    base = {"SAFEREPORT_INSTANCE_PATH": "/tmp/x"}
    assert Config.from_env(base).database_prepared_statements is True
    off = {**base, "SAFEREPORT_DATABASE_PREPARED_STATEMENTS": "false"}
    assert Config.from_env(off).database_prepared_statements is False


def _interleaved(url: str, *, prepared_statements: bool) -> None:
    """One client runs a query often enough for psycopg to prepare it (5 uses), while a
    second client holds the server connection it was prepared on: the next use goes to
    another server connection."""
    engine = make_engine(url, prepared_statements=prepared_statements, pool_size=2)
    try:
        with engine.connect() as first:
            for n in range(6):
                first.execute(text("SELECT CAST(:n AS integer) + 1"), {"n": n}).scalar()
                first.commit()
            with engine.connect() as second:
                second.execute(text("SELECT 1"))  # BEGIN: holds the freed server connection
                for n in range(6):
                    first.execute(text("SELECT CAST(:n AS integer) + 1"), {"n": n}).scalar()
                    first.commit()
                second.rollback()
    finally:
        engine.dispose()


def test_prepared_statements_break_behind_transaction_pooling_and_the_setting_avoids_it(
    config: Config,
) -> None:
    with pytest.raises(DBAPIError, match="prepared statement"):
        _interleaved(config.database_url, prepared_statements=True)
    _interleaved(config.database_url, prepared_statements=False)


def test_db_upgrade_runs_through_pgbouncer_on_an_empty_database(
    bouncer: pgbouncer.PgBouncer,
) -> None:
    """Migrations (DDL under a transaction-level advisory lock) need no direct connection."""
    admin = make_url(os.environ["SAFEREPORT_TEST_POSTGRES_URL"])
    name = f"sr_bouncer_{uuid.uuid4().hex[:10]}"
    created = create_engine(admin, isolation_level="AUTOCOMMIT")
    with created.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    empty = admin.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(bouncer.url_for(empty), prepared_statements=False)
    try:
        upgrade(engine)
        assert is_current(engine)
    finally:
        engine.dispose()
        with created.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        created.dispose()


def test_intake_through_pgbouncer_writes_whole_reports(services: Services) -> None:
    establishment_id = new_establishment(services)
    receipts = [submit(services, establishment_id) for _ in range(12)]  # past psycopg's 5
    with services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 12
        alerts = session.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "alert.new_report")
        ).all()
    assert {f"alert.new_report:{r.report_id}" for r in receipts} == set(alerts)


def test_a_kiosk_sends_reports_through_pgbouncer(client: FlaskClient, services: Services) -> None:
    establishment_id = new_establishment(services, languages="en")
    with services.db.transaction() as session:
        device = session.scalars(
            select(KioskDevice).where(KioskDevice.establishment_id == establishment_id)
        ).one()
        token = issue_kiosk_enrolment(
            session, device=device, pepper=services.secrets.code_pepper,
            clock=services.clock, actor="test",
        )  # fmt: skip
    assert client.post("/kiosk/enrol", data={"token": token}).status_code == 303
    kiosk = Kiosk(client)
    codes = set()
    for _ in range(3):
        fill_report(kiosk)
        codes.add(code_on(send(kiosk)))
        kiosk.post("/kiosk/finish", {})
    assert len(codes) == 3 and all(codes)
    with services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 3


def test_the_outbox_is_claimed_and_delivered_through_pgbouncer(services: Services) -> None:
    establishment_id = new_establishment(services)
    for _ in range(7):
        submit(services, establishment_id)
    delivered: list[dict[str, Any]] = []
    worker = Worker(services, {"alert.new_report": lambda _s, payload: delivered.append(payload)})
    while worker.run_once(limit=3):
        pass
    assert len(delivered) == 7
    with services.db.transaction() as session:
        undelivered = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "alert.new_report", OutboxMessage.delivered_at.is_(None))
        )
    assert undelivered == 0
