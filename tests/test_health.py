from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from safeguarding.services import Services
from storage.db import Database


def test_healthz_reports_ok_with_a_database_round_trip(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_is_unreachable(
    client: FlaskClient, services: Services
) -> None:
    # Point the running app at a database that cannot be opened.
    working = services.db
    services.db = Database.connect("sqlite:////nonexistent-dir/cannot/open.db")
    working.dispose()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}


def test_liveness_needs_no_database(client: FlaskClient, services: Services) -> None:
    services.db = Database.connect("sqlite:////nonexistent-dir/cannot/open.db")
    response = client.get("/healthz/live")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_ready_when_the_database_is_migrated(client: FlaskClient) -> None:
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "migrations": "current"}


def test_not_ready_while_migrations_are_behind(
    client: FlaskClient, services: Services, tmp_path: Path
) -> None:
    services.db = Database.connect(f"sqlite:///{tmp_path / 'not-migrated.db'}")
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "ok", "migrations": "behind"}


def test_not_ready_when_the_database_is_unreachable(
    client: FlaskClient, services: Services
) -> None:
    services.db = Database.connect("sqlite:////nonexistent-dir/cannot/open.db")
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable"}
