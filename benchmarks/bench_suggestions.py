"""Suggested links for one case at 1,000,000 reports with 50,000 named people, against a
bare indexed lookup of one blind index, side by side in interleaved rounds, on SQLite and
(when a server is given) PostgreSQL. Goal: p95 <= 50 ms and within 3x of the bare lookup.

Each report names one of 50,000 people as causing harm (about 20 reports each), is about
one of 8 wings with its categories, and is spread over three years (benchmarks.bench_triage
makes the rows). Seeding uses Core bulk inserts in batches, never the ORM's unit of work.
Both operations run in a transaction of their own, as the case page's would; suggestions
include the access checks for a safeguarding lead and the wing-and-category window.

To profile at a smaller scale with the same reports per day, ``--newest-days D`` draws the
rows as for ``--reports`` but keeps only those received in the last D days (scale
``--people`` with them to keep about 20 reports per person): ``--newest-days 120 --people
6000`` keeps about 125,000 reports, with the 1,000,000 run's density in every case's window.

Run: .venv/bin/python -m benchmarks.bench_suggestions [--reports N] [--people N] [--rounds N]
     [--newest-days D]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

from benchmarks.bench_triage import NOW, _establishment, _report_row, _reset
from benchmarks.common import database_urls, summarise, write_result
from safeguarding.access import Role, StaffPrincipal
from safeguarding.conflicts import name_indexes
from safeguarding.services import Services
from safeguarding.suggestions import suggestions_for
from safereport.config import Config
from safereport.services import build_services
from storage.blind_index import blind_index
from storage.migrate import upgrade
from storage.models import Report, ReportCategory, ReportPerson

BATCH = 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--newest-days", type=int, default=0)
    args = parser.parse_args()
    size = Size(args.reports, args.people, args.newest_days)
    results: dict[str, dict[str, Any]] = {}
    seeding: dict[str, float] = {}
    with database_urls() as urls:
        for kind, url in urls.items():
            measured, seconds = _measure(url, size, args.rounds)
            seeding[kind] = seconds
            for name, samples in measured.items():
                results[f"{kind}: {name}"] = summarise(samples)
    print(f"\nSuggestions, {size.kept:,} reports, {args.people:,} people (interleaved)")
    print(f"  {'case':<48} {'median ms':>10} {'p95 ms':>9}")
    for name, row in results.items():
        print(f"  {name:<48} {row['median_ms']:>10} {row['p95_ms']:>9}")
    for kind in urls:
        ratio = (
            results[f"{kind}: suggestions"]["p95_ms"] / results[f"{kind}: bare lookup"]["p95_ms"]
        )
        print(f"  {kind}: p95 ratio {ratio:.2f}x; seeding took {seeding[kind]:.0f} s")
    path = write_result(
        "suggestions",
        {"reports": args.reports, "people": args.people, "rounds": args.rounds,
         "newest_days": args.newest_days, "kept": size.kept,
         "seeding_seconds": seeding, "results": results},
    )  # fmt: skip
    print(f"\nwritten to {path}")


@dataclass
class Size:
    reports: int  # as drawn
    people: int
    newest_days: int  # 0: keep every report drawn
    kept: int = 0  # reports written


def _measure(url: str, size: Size, rounds: int) -> tuple[dict[str, list[float]], float]:
    with tempfile.TemporaryDirectory() as tmp:
        _reset(url)
        config = Config(instance_path=Path(tmp), database_url=url, testing=True)
        services = build_services(config)
        try:
            upgrade(services.db.engine)
            establishment_id = _establishment(services)
            started = time.perf_counter()
            indexes = _seed(services, establishment_id, size)
            seconds = time.perf_counter() - started
            return _rounds(services, establishment_id, indexes, rounds), seconds
        finally:
            services.db.dispose()


def _seed(services: Services, establishment_id: int, size: Size) -> list[str]:
    rng = random.Random(20261207)
    count, people = size.reports, size.people
    oldest = NOW - timedelta(days=size.newest_days) if size.newest_days else None
    report_id = 0
    with services.db.transaction() as session:
        locations = [row[0] for row in session.execute(text("SELECT id FROM location"))]
        indexes = [blind_index(session, "name", f"person {n}")[0] for n in range(people)]
        key_id = blind_index(session, "name", "x")[1]
    for start in range(1, count + 1, BATCH):
        rows, categories, named = [], [], []
        for _drawn in range(start, min(start + BATCH, count + 1)):
            row, _concern, cats = _report_row(
                rng, report_id + 1, establishment_id, locations, count
            )
            if oldest is not None and row["created_at"] < oldest:
                continue
            report_id += 1
            rows.append(row)
            categories += [{"report_id": report_id, "category": c} for c in cats]
            named.append(
                {"report_id": report_id, "establishment_id": establishment_id,
                 "role": "causing_harm", "kind": "prisoner", "identifier_kind": "name",
                 "blind_index": rng.choice(indexes), "index_key_id": key_id,
                 "source": "reporter", "added_at": row["created_at"], "added_by": "bench"}
            )  # fmt: skip
        if not rows:
            continue
        with services.db.transaction() as session:
            session.execute(insert(Report), rows)
            session.execute(insert(ReportCategory), categories)
            session.execute(insert(ReportPerson), named)
    size.kept = report_id
    with services.db.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return indexes


def _rounds(
    services: Services, establishment_id: int, indexes: list[str], rounds: int
) -> dict[str, list[float]]:
    rng = random.Random(7)
    with services.db.transaction() as session:
        # As the case page's reader: with the blind indexes of their own name, so reports
        # naming them are left out (safeguarding.conflicts), as they would be.
        lead = StaffPrincipal(
            1, Role.LEAD, frozenset({establishment_id}), "Bench Lead",
            name_indexes(session, "Bench Lead"),
        )  # fmt: skip
        newest = session.scalars(select(Report.id).order_by(Report.created_at.desc()).limit(500))
        cases = list(newest)
    samples: dict[str, list[float]] = {"suggestions": [], "bare lookup": []}
    for number in range(rounds + 10):  # the first ten warm the caches and are not kept
        case_id, index = rng.choice(cases), rng.choice(indexes)
        order = ("suggestions", "bare lookup") if number % 2 else ("bare lookup", "suggestions")
        for name in order:
            start = time.perf_counter()
            with services.db.transaction() as session:
                if name == "suggestions":
                    report = session.get(Report, case_id)
                    assert report is not None
                    suggestions_for(session, lead, report, services.policy)
                else:
                    list(session.scalars(select(ReportPerson.report_id).where(
                        ReportPerson.blind_index == index,
                        ReportPerson.establishment_id == establishment_id,
                    )))  # fmt: skip
            if number >= 10:
                samples[name].append(time.perf_counter() - start)
    return samples


if __name__ == "__main__":
    main()
