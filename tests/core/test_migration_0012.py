"""Migration 0012 on existing rows: kiosk reports get their kiosk's place, others none."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text

from safeguarding.services import Services
from storage.db import make_engine
from storage.migrate import alembic_config, upgrade
from storage.models import KioskDevice, Location
from tests.factories import new_establishment, submit


def test_upgrading_gives_old_kiosk_reports_their_kiosk_place(
    services: Services, database_url: str, database_kind: str
) -> None:
    if database_kind == "sqlite":
        # Going back past 0012 rebuilds the report table, which SQLite's foreign keys
        # (always on here) refuse once rows point at it. Going forward is ALTER TABLE ADD
        # COLUMN and an UPDATE, the same SQL as PostgreSQL runs below.
        pytest.skip("SQLite cannot downgrade past 0012 with rows; tested on PostgreSQL")
    establishment = new_establishment(services)
    with services.db.transaction() as session:
        device = session.scalars(select(KioskDevice)).one()
        wing = session.scalars(select(Location).where(Location.name == "B Wing")).one()
        device.location_id = wing.id
        device_id, wing_id = device.id, wing.id
    kiosk = submit(services, establishment, kiosk_device_id=device_id).report_id
    phone = submit(services, establishment, channel="phone").report_id
    services.db.dispose()
    plain = create_engine(database_url)
    try:
        config = alembic_config(plain)
        with plain.begin() as connection:
            config.attributes["connection"] = connection
            # Only this branch goes back: 0008_call_secrets, on another, cannot be undone.
            command.downgrade(config, "0012_someone_else_in_danger@-1")
        columns = {c["name"] for c in inspect(plain).get_columns("report")}
        assert "sent_from_location_id" not in columns
    finally:
        plain.dispose()
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            rows: dict[int, int | None] = dict(
                connection.execute(
                    text("SELECT id, sent_from_location_id FROM report ORDER BY id")
                ).all()
            )
            flags = connection.execute(text("SELECT someone_else_in_danger_now FROM report"))
            assert not any(flag for (flag,) in flags)
    finally:
        engine.dispose()
    assert rows == {kiosk: wing_id, phone: None}
