"""Migration 0041 on a database with reports in it: every existing report gets its running
deadline at once, and the triggers that keep the wing counts (0037) still fire afterwards
(on SQLite, rebuilding the report table would have dropped them silently)."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from sqlalchemy import create_engine, inspect, text

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.db import make_engine
from storage.migrate import alembic_config, upgrade
from tests.core.test_place_day_counts import assert_true, wings
from tests.factories import new_establishment, submit

COUNT_TRIGGERS = {
    "sqlite": {
        "report_category_counted",
        "report_category_uncounted",
        "report_category_recounted",
        "report_place_recounted",
    },
    "postgresql": {"report_category_counted", "report_place_recounted"},
}


def _triggers(connection: object, kind: str) -> set[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        if kind == "sqlite"
        else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    )
    return set(connection.execute(text(query)).scalars())  # type: ignore[attr-defined]


def test_existing_reports_get_their_deadline_and_the_wing_counts_keep_working(
    services: Services, database_url: str, database_kind: str, clock: FixedClock
) -> None:
    here = new_establishment(services)
    a_wing, b_wing = wings(services, here)[:2]
    immediate = submit(services, here, location_id=a_wing, concerns=["hurting_myself"]).report_id
    standard = submit(services, here, location_id=a_wing, concerns=["bullied"]).report_id
    received = clock.now()
    services.db.dispose()
    plain = create_engine(database_url)
    try:
        config = alembic_config(plain)
        with plain.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0041_report_due_at@-1")
        assert "due_at" not in {c["name"] for c in inspect(plain).get_columns("report")}
        with plain.begin() as connection:  # a report acknowledged before the upgrade
            connection.execute(
                text("UPDATE report SET status = 'acknowledged' WHERE id = :id"),
                {"id": immediate},
            )
    finally:
        plain.dispose()
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.begin() as connection:
            assert _triggers(connection, database_kind) >= COUNT_TRIGGERS[database_kind]
            due: dict[int, object] = dict(
                connection.execute(text("SELECT id, due_at FROM report")).all()
            )
            # The wing counts follow a report moved to another wing, after the migration.
            connection.execute(
                text("UPDATE report SET location_id = :wing WHERE id = :id"),
                {"wing": b_wing, "id": standard},
            )
    finally:
        engine.dispose()
    assert_true(services)
    expected: dict[int, object] = {
        immediate: received + timedelta(hours=4),
        standard: received + timedelta(days=3),
    }
    if database_kind == "sqlite":  # SQLite hands back the stored text, not a datetime
        expected = {key: f"{value:%Y-%m-%d %H:%M:%S.%f}" for key, value in expected.items()}
    assert due == expected
