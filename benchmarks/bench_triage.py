"""The queue page, the case page and the quality dashboard with 100,000 reports, against the
same pages with 10 reports, in the same run, on SQLite and (when a server is given)
PostgreSQL. The dashboard covers the last 12 months (about a third of the reports).

Reports are bulk-inserted with core SQL (submit_report would take minutes): years of
history, most of it closed, as a real establishment builds up; 3% are open. Pages are
requested in-process through Flask's test client by a signed-in safeguarding lead, so the
figures include the access checks, the queue query, rendering and the audit append that
every view makes, and exclude the network.

Run: .venv/bin/python -m benchmarks.bench_triage [--reports N] [--requests N] [--pages ...]

With ``--rounds R`` it measures the queue page only, both sizes set up side by side (two
databases per kind) and timed in R alternating rounds of ``--requests`` each, which size
goes first alternating too, so load from other work on a shared machine falls on both
alike; it reports the median of the per-round ratios (100,000 reports / 10 reports).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
from flask.testing import FlaskClient
from sqlalchemy import insert, text

from benchmarks.common import (
    database_kinds,
    database_urls,
    fresh_database_url,
    summarise,
    write_result,
)
from safeguarding.enrolment import invite_staff
from safeguarding.services import Services
from safeguarding.staff_auth import enrolment, finish_setup, sign_in, start_setup
from safereport.app import create_app
from safereport.config import Config
from safereport.services import build_services
from storage.migrate import upgrade
from storage.models import (
    Establishment,
    Location,
    Report,
    ReportAnswer,
    ReportCategory,
    TimelineEvent,
)

BATCH = 5_000
OPEN_SHARE = 0.03
NOW = datetime.now(UTC)
CONCERNS = (
    ("bullied", ("bullying_debt", "psychological"), "standard", 2),
    ("made_to_pay", ("bullying_debt", "financial"), "standard", 2),
    ("sexual", ("sexual",), "high", 1),
    ("staff_bad", ("staff_misconduct", "organisational"), "high", 1),
    ("hurting_myself", ("self_harm",), "immediate", 0),
)
PASSWORD = "benchmark password long enough"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--pages", default="queue,case,dashboard", help="which pages, comma separated"
    )
    parser.add_argument("--rounds", type=int, default=0, help="queue page, interleaved")
    args = parser.parse_args()
    if args.rounds:
        _interleaved_main(args.reports, args.requests, args.rounds)
        return
    pages = tuple(args.pages.split(","))
    results: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    with database_urls() as urls:
        for kind, url in urls.items():
            for size in (10, args.reports):
                for page, samples in _measure(url, size, args.requests, pages).items():
                    results[f"{kind}: {page} page, {size:,} reports"] = summarise(samples)
    _print(results)
    path = write_result(
        "triage",
        {
            "reports": args.reports,
            "requests": args.requests,
            "open_share": OPEN_SHARE,
            "seconds": round(time.perf_counter() - started, 1),
            "results": results,
        },
    )
    print(f"\nwritten to {path}")


def _print(results: dict[str, dict[str, Any]]) -> None:
    print("\nTriage pages (in-process, signed-in lead, audit append included)")
    print(f"  {'case':<52} {'median ms':>10} {'p95 ms':>9}")
    for name, row in results.items():
        print(f"  {name:<52} {row['median_ms']:>10} {row['p95_ms']:>9}")


def _interleaved_main(reports: int, requests: int, rounds: int) -> None:
    results: dict[str, Any] = {}
    for kind in database_kinds("both"):
        per_round = _interleaved(kind, (10, reports), requests, rounds)
        ratios = [big / small for small, big in per_round]
        results[kind] = {
            "10 reports, median of round medians, ms": _ms(
                statistics.median(s for s, _ in per_round)
            ),
            f"{reports:,} reports, median of round medians, ms": _ms(
                statistics.median(b for _, b in per_round)
            ),
            "ratio, median over rounds": round(statistics.median(ratios), 2),
            "ratios": [round(ratio, 2) for ratio in ratios],
        }
        print(kind, results[kind], flush=True)
    write_result(
        "triage_queue_interleaved",
        {"reports": reports, "requests": requests, "rounds": rounds, "results": results},
    )


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _interleaved(
    kind: str, sizes: tuple[int, int], requests: int, rounds: int
) -> list[tuple[float, float]]:
    """Per round, the median queue page time (s) at each size."""
    with ExitStack() as stack:
        clients = [stack.enter_context(_ready(kind, size, stack)) for size in sizes]
        per_round = []
        for index in range(rounds):
            order = (0, 1) if index % 2 == 0 else (1, 0)
            medians = [0.0, 0.0]
            for which in order:
                samples = _timed(clients[which], ["/triage/queue"] * requests)
                medians[which] = statistics.median(samples)
            per_round.append((medians[0], medians[1]))
        return per_round


@contextmanager
def _ready(kind: str, size: int, stack: ExitStack) -> Iterator[FlaskClient]:
    """A signed-in lead's client over a fresh database holding ``size`` reports."""
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    url = stack.enter_context(fresh_database_url(kind, tmp))
    with _seeded(Config(instance_path=tmp, database_url=url, testing=True), size) as (client, _):
        yield client


@contextmanager
def _seeded(config: Config, size: int) -> Iterator[tuple[FlaskClient, list[int]]]:
    """A signed-in lead's client over ``size`` reports, and the open ones' ids."""
    services = build_services(config)
    try:
        upgrade(services.db.engine)
        establishment_id = _establishment(services)
        open_ids = _bulk_reports(services, establishment_id, size)
        client = create_app(config, services=services).test_client()
        _sign_in_lead(services, client, establishment_id)
        _warm(client, open_ids)
        yield client, open_ids
    finally:
        services.db.dispose()


def _measure(url: str, size: int, requests: int, pages: tuple[str, ...]) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        # A fresh database per size: a PostgreSQL schema is reset by dropping its tables.
        _reset(url)
        config = Config(instance_path=Path(tmp), database_url=url, testing=True)
        with _seeded(config, size) as (client, open_ids):
            paths = {
                "queue": ["/triage/queue"] * requests,
                "case": [f"/triage/reports/{random.choice(open_ids)}" for _ in range(requests)],
                "dashboard": ["/triage/quality"] * requests,
            }
            return {page: _timed(client, paths[page]) for page in pages}


def _reset(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _establishment(services: Services) -> int:
    with services.db.transaction() as session:
        establishment = Establishment(
            code="BEN", name="HMP Bench", languages="en,cy,ar", created_at=NOW
        )
        session.add(establishment)
        session.flush()
        session.add_all(
            Location(establishment_id=establishment.id, name=f"{wing} Wing", position=i)
            for i, wing in enumerate("ABCDEFGH")
        )
        return establishment.id


def _bulk_reports(services: Services, establishment_id: int, count: int) -> list[int]:
    rng = random.Random(20261128)
    with services.db.transaction() as session:
        locations = [row[0] for row in session.execute(text("SELECT id FROM location"))]
    open_ids: list[int] = []
    for start in range(1, count + 1, BATCH):
        ids = range(start, min(start + BATCH, count + 1))
        rows, answers, categories, events = [], [], [], []
        for report_id in ids:
            row, concern, cats = _report_row(rng, report_id, establishment_id, locations, count)
            rows.append(row)
            if row["status"] != "closed":
                open_ids.append(report_id)
            answers.append({"report_id": report_id, "question": "concern", "answer": concern})
            categories += [{"report_id": report_id, "category": c} for c in cats]
            events.append(
                {"report_id": report_id, "kind": "received", "actor": "reporter:kiosk",
                 "at": row["created_at"], "summary": ""}
            )  # fmt: skip
        with services.db.transaction() as session:
            session.execute(insert(Report), rows)
            session.execute(insert(ReportAnswer), answers)
            session.execute(insert(ReportCategory), categories)
            session.execute(insert(TimelineEvent), events)
    with services.db.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    if services.db.engine.dialect.name == "postgresql":
        # The visibility map that index-only scans need, as autovacuum would have made it
        # soon after such a load (VACUUM cannot run inside a transaction).
        autocommit = services.db.engine.execution_options(isolation_level="AUTOCOMMIT")
        with autocommit.connect() as connection:
            connection.execute(text("VACUUM"))
    return open_ids


def _report_row(
    rng: random.Random, report_id: int, establishment_id: int, locations: list[int], count: int
) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    concern, cats, priority, rank = rng.choices(CONCERNS, weights=(40, 30, 10, 10, 10))[0]
    is_open = rng.random() < OPEN_SHARE or count <= 10
    # Three years of history, oldest first; the open backlog is recent.
    age = timedelta(days=rng.uniform(0, 14)) if is_open else timedelta(days=rng.uniform(14, 1095))
    created = NOW - age
    acknowledge = {"immediate": timedelta(minutes=15), "high": timedelta(hours=4)}.get(priority)
    triage = {"immediate": timedelta(hours=4), "high": timedelta(hours=24)}.get(
        priority, timedelta(days=3)
    )
    status = rng.choice(("new", "acknowledged", "investigating")) if is_open else "closed"
    return (
        {
            "id": report_id,
            "establishment_id": establishment_id,
            "location_id": rng.choice(locations),
            "channel": rng.choice(("kiosk", "kiosk", "phone")),
            "language": rng.choice(("en", "en", "en", "cy", "ar")),
            "priority": priority,
            "priority_rank": rank,
            "queue": "restricted" if concern == "staff_bad" else "general",
            "status": status,
            "self_harm_risk": concern == "hurting_myself",
            "staff_involved": "yes" if concern == "staff_bad" else "no",
            "created_at": created,
            "acknowledge_due_at": created + acknowledge if acknowledge else None,
            "triage_due_at": created + triage,
            "acknowledged_at": None if status == "new" else created + timedelta(minutes=10),
            "closed_at": None if is_open else created + timedelta(days=5),
            "code_hash": f"{report_id:064x}",
            "submission_key_hash": f"{report_id:063x}s",
        },
        concern,
        cats,
    )


def _sign_in_lead(services: Services, client: FlaskClient, establishment_id: int) -> None:
    pepper, clock, vault = services.secrets.code_pepper, services.clock, services.secrets.vault
    with services.db.transaction() as session:
        _user, token = invite_staff(
            session, email="lead@bench.invalid", display_name="Bench Lead", role="lead",
            establishment_ids=[establishment_id], pepper=pepper, clock=clock, actor="bench",
        )  # fmt: skip
    with services.db.transaction() as session:
        started = start_setup(
            session, setup_token=token, password=PASSWORD, confirmation=PASSWORD,
            secrets=services.secrets, clock=clock,
        )  # fmt: skip
    assert started.session_token
    with services.db.transaction() as session:
        pending = enrolment(session, session_token=started.session_token, vault=vault, clock=clock)
    assert pending is not None
    totp = pyotp.TOTP(pending.secret)
    with services.db.transaction() as session:
        finish_setup(
            session, session_token=started.session_token, code=totp.now(), address="127.0.0.1",
            secrets=services.secrets, clock=clock,
        )  # fmt: skip
    # A code works once: sign in with the next step's code (accepted for clock drift).
    next_code = totp.at(datetime.now(UTC) + timedelta(seconds=30))
    with services.db.transaction() as session:
        outcome = sign_in(
            session, email="lead@bench.invalid", password=PASSWORD, code=next_code,
            address="127.0.0.1", secrets=services.secrets, clock=clock,
        )  # fmt: skip
    assert outcome.session_token, outcome.refusal
    client.set_cookie("safereport_staff", outcome.session_token)


def _warm(client: FlaskClient, open_ids: list[int]) -> None:
    for path in ("/triage/queue", f"/triage/reports/{open_ids[0]}", "/triage/quality"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


def _timed(client: FlaskClient, paths: list[str]) -> list[float]:
    samples = []
    for path in paths:
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return samples


if __name__ == "__main__":
    main()
