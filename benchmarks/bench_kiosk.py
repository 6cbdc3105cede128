"""Kiosk: time to render each screen and to send a report, against a bare Flask page.

In-process through Flask's test client (no sockets), so the figures are the app's own
cost: routing, the device and draft look-ups, sealing, templates. The baseline is a
one-line Flask page in the same process and run.

    .venv/bin/python -m benchmarks.bench_kiosk [--rounds 200] [--sends 60]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from benchmarks.common import database_urls, print_table, summarise, write_result
from safeguarding.clock import FixedClock
from safeguarding.enrolment import issue_kiosk_enrolment
from safeguarding.services import Services
from safereport.app import create_app
from safereport.config import Config
from safereport.demo import ensure_demo
from safereport.services import build_services
from storage.migrate import upgrade
from storage.models import KioskDevice

TIME_BUDGET_S = 20.0  # per case: a slow machine measures fewer rounds, never runs for ever
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ANSWERS: list[tuple[str, dict[str, str]]] = [
    ("danger", {"answer": "no"}),
    ("what", {"answer": "bullied"}),
    ("hurt", {"answer": "no"}),
    ("who", {"answer": "me"}),
    ("staff", {"answer": "no"}),
    ("where", {"answer": "elsewhere"}),
    ("when", {"answer": "this_week"}),
    ("more", {"details": "They take my canteen every week."}),
    ("contact", {"answer": "anonymous"}),
]


def timed(operation: Callable[[], object], rounds: int) -> list[float]:
    samples: list[float] = []
    deadline = time.perf_counter() + TIME_BUDGET_S
    for _ in range(rounds):
        start = time.perf_counter()
        operation()
        samples.append(time.perf_counter() - start)
        if start > deadline:
            break
    return samples


def get_ok(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def csrf(client: FlaskClient, path: str) -> str:
    found = _CSRF.search(get_ok(client, path))
    assert found is not None
    return found.group(1)


def enrolled_client(app: Flask, services: Services, establishment_id: int) -> FlaskClient:
    with services.db.transaction() as session:
        device = session.scalars(
            select(KioskDevice).where(KioskDevice.establishment_id == establishment_id)
        ).one()
        token = issue_kiosk_enrolment(
            session,
            device=device,
            pepper=services.secrets.code_pepper,
            clock=services.clock,
            actor="bench",
        )
    client = app.test_client()
    assert client.post("/kiosk/enrol", data={"token": token}).status_code == 303
    return client


def start_and_fill(client: FlaskClient) -> None:
    token = csrf(client, "/kiosk/")
    client.post("/kiosk/language", data={"csrf_token": token, "language": "en"})
    for question, data in ANSWERS:
        response = client.post(f"/kiosk/report/{question}", data={"csrf_token": token, **data})
        assert response.status_code == 303, question


def measure(url: str, rounds: int, sends: int) -> dict[str, dict[str, float]]:
    clock = FixedClock(datetime.now(UTC))
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(instance_path=Path(tmp) / "instance", database_url=url, testing=True)
        services = build_services(config, clock=clock)
        upgrade(services.db.engine)
        establishment_id = ensure_demo(services, languages=["en"]).establishment_id
        app = create_app(config, services=services)
        client = enrolled_client(app, services, establishment_id)
        rows: dict[str, dict[str, float]] = {}
        start_and_fill(client)
        screens = ["/kiosk/menu"] + [f"/kiosk/report/{q}" for q, _ in ANSWERS]
        for path in [*screens, "/kiosk/report/check"]:
            rows[f"GET {path}"] = summarise(timed(partial(get_ok, client, path), rounds))
        rows["POST /kiosk/report/send"] = summarise(_send_samples(client, clock, sends))
        rows["GET /kiosk/report/sent"] = summarise(
            timed(lambda: get_ok(client, "/kiosk/report/sent"), rounds)
        )
        rows["GET /kiosk/ (start screen)"] = summarise(
            timed(lambda: get_ok(client, "/kiosk/"), rounds)
        )
        services.db.dispose()
    return rows


def _send_samples(client: FlaskClient, clock: FixedClock, sends: int) -> list[float]:
    samples: list[float] = []
    deadline = time.perf_counter() + TIME_BUDGET_S
    for _ in range(sends):
        # Stay under the per-kiosk limit (10 reports in 30 minutes) as a real kiosk would.
        clock.advance(timedelta(minutes=4))
        start_and_fill(client)
        token = csrf(client, "/kiosk/report/check")
        start = time.perf_counter()
        response = client.post("/kiosk/report/send", data={"csrf_token": token})
        samples.append(time.perf_counter() - start)
        assert response.location == "/kiosk/report/sent", response.status_code
        if start > deadline:
            break
    return samples


def baseline(rounds: int) -> dict[str, float]:
    bare = Flask("bare")

    @bare.get("/")
    def page() -> str:
        return "<!DOCTYPE html><title>bare</title><p>Hello</p>"

    client = bare.test_client()
    return summarise(timed(lambda: client.get("/"), rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--sends", type=int, default=60)
    args = parser.parse_args()
    results: dict[str, object] = {"rounds": args.rounds, "sends": args.sends}
    bare = baseline(args.rounds)
    results["baseline: bare Flask page"] = bare
    with database_urls() as urls:
        for kind, url in urls.items():
            rows = {"baseline: bare Flask page": bare, **measure(url, args.rounds, args.sends)}
            print_table(f"Kiosk on {kind} (in-process test client)", rows)
            results[kind] = rows
    path = write_result("kiosk", results)
    print(f"\nwritten {path}")


if __name__ == "__main__":
    main()
