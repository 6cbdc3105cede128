from __future__ import annotations

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
