"""Shared helpers for benchmarks: timing, percentiles, result files, throwaway databases."""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

RESULTS_DIR = Path(__file__).parent / "results"


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summarise(samples_s: list[float]) -> dict[str, float]:
    """Median, p95 and p99 in milliseconds, and operations per second."""
    total = sum(samples_s)
    return {
        "n": len(samples_s),
        "median_ms": round(statistics.median(samples_s) * 1000, 3),
        "p95_ms": round(percentile(samples_s, 0.95) * 1000, 3),
        "p99_ms": round(percentile(samples_s, 0.99) * 1000, 3),
        "per_second": round(len(samples_s) / total, 1) if total else 0.0,
    }


def time_each(operation: Callable[[int], object], count: int) -> list[float]:
    samples = []
    for i in range(count):
        start = time.perf_counter()
        operation(i)
        samples.append(time.perf_counter() - start)
    return samples


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    data = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
        **data,
    }
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def print_table(title: str, rows: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"  {'case':<58} {'median ms':>10} {'p99 ms':>9} {'per s':>9}")
    for name, row in rows.items():
        print(f"  {name:<58} {row['median_ms']:>10} {row['p99_ms']:>9} {row['per_second']:>9}")


@contextmanager
def database_urls() -> Iterator[dict[str, str]]:
    """A fresh SQLite file, and a fresh PostgreSQL database when SAFEREPORT_TEST_POSTGRES_URL
    names a server we may create databases on (``make bench`` starts one on loopback)."""
    urls: dict[str, str] = {}
    admin = os.environ.get("SAFEREPORT_TEST_POSTGRES_URL")
    name = f"sr_bench_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        urls["sqlite"] = f"sqlite:///{tmp}/bench.db"
        if admin:
            _admin(admin, f'CREATE DATABASE "{name}"')
            urls["postgresql"] = make_url(admin).set(database=name).render_as_string(False)
        try:
            yield urls
        finally:
            if admin:
                _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


@contextmanager
def fresh_database_url(kind: str, directory: Path) -> Iterator[str]:
    """One fresh database: a SQLite file in ``directory``, or a new PostgreSQL database on
    the server SAFEREPORT_TEST_POSTGRES_URL names (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{directory}/load.db"
        return
    admin = os.environ.get("SAFEREPORT_TEST_POSTGRES_URL")
    if not admin:
        raise SystemExit(
            "PostgreSQL runs need SAFEREPORT_TEST_POSTGRES_URL=$(scripts/test-postgres)"
        )
    name = f"sr_bench_{uuid.uuid4().hex[:8]}"
    _admin(admin, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin).set(database=name).render_as_string(False)
    finally:
        _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_kinds(choice: str) -> list[str]:
    """``sqlite``, ``postgresql``, or ``both`` (PostgreSQL only when a server is named)."""
    if choice != "both":
        return [choice]
    return (
        ["sqlite", "postgresql"] if os.environ.get("SAFEREPORT_TEST_POSTGRES_URL") else ["sqlite"]
    )
