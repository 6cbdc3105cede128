"""Load at national scale: 120 establishments on one PostgreSQL database with a year of
history (about 40,000 reports made through the real intake), two ``safereport serve
--production`` servers with their own instance folders, and the 50 kiosks + 50 calls mix
spread across establishments, each person's requests alternating between the servers.

Afterwards, as benchmarks/load.py: every report acknowledged to a person exists and says
what was sent, nothing is half-written and every audit chain verifies. Reported: req/s,
p50/p99 per step, and the most server connections the database had open at once
(pg_stat_activity, polled every 0.2 s), to size ``max_connections`` (docs/deployment.md).

    SAFEREPORT_TEST_POSTGRES_URL=$(scripts/test-postgres) \\
        .venv/bin/python -m benchmarks.national --duration 30
    .venv/bin/python -m benchmarks.national --reports 2000 --duration 10   # a quick look
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from benchmarks.common import fresh_database_url, write_result
from benchmarks.production.deployment import half_written, mismatches, report_count
from benchmarks.production.national import NationalDeployment
from benchmarks.production.pool import PUBLIC_URL, ConnectionWatch, ServerPool
from benchmarks.production.traffic import Traffic, print_steps, summary

WARM_UP_SECONDS = 5.0


def _seed(deployment: NationalDeployment, reports: int) -> float:
    def progress(done: int, seconds: float) -> None:
        print(f"  seeded {done} reports in {seconds:.0f} s", flush=True)

    return deployment.seed_history(reports, progress=progress)


def _traffic(deployment: NationalDeployment, pool: ServerPool, kiosks: int, calls: int) -> Traffic:
    """Kiosks and calls spread over every establishment (kiosk n and call n at different
    prisons), each person alternating between the servers."""
    enrolments = deployment.enrolments()
    numbers = deployment.phone_numbers
    spread = len(enrolments)
    return Traffic(
        pool.base_urls,
        deployment,
        kiosks=kiosks,
        calls=calls,
        public_url=PUBLIC_URL,
        enrolments=[enrolments[n * spread // max(1, kiosks)] for n in range(kiosks)],
        numbers=[numbers[(n * spread // max(1, calls) + 1) % spread] for n in range(calls)],
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = stack.enter_context(fresh_database_url("postgresql", tmp))
        deployment = NationalDeployment(
            tmp / "instance", url, establishments=args.establishments
        ).prepare()
        stack.callback(deployment.close)
        print(f"{args.establishments} establishments; seeding {args.reports} reports")
        seed_seconds = _seed(deployment, args.reports)
        pool = stack.enter_context(
            ServerPool(deployment, tmp, servers=args.servers, workers=args.workers)
        )
        started = pool.start()
        print(f"{args.servers} servers healthy after {', '.join(f'{s:.1f}' for s in started)} s")
        _traffic(deployment, pool, 4, 4).run_for(WARM_UP_SECONDS)
        before = report_count(deployment.services)
        with ConnectionWatch(url) as watch:
            began = time.monotonic()
            traffic = _traffic(deployment, pool, args.kiosks, args.calls)
            traffic.run_for(args.duration, finish_turns=True)
            wall = time.monotonic() - began
        result = summary(traffic.stats, args.duration)
        checked = time.monotonic()
        result["mismatched_or_missing"] = mismatches(
            deployment.services, traffic.stats.acknowledged
        )
        result["half_written"] = half_written(deployment.services)
        return {
            "establishments": args.establishments,
            "seeded_reports": args.reports,
            "seed_seconds": round(seed_seconds, 1),
            "reports_before_run": before,
            "reports_after_run": report_count(deployment.services),
            "servers": args.servers,
            "gunicorn_workers_per_server": args.workers,
            "kiosks": args.kiosks,
            "calls": args.calls,
            "seconds": args.duration,
            "wall_seconds": round(wall, 1),
            "check_seconds": round(time.monotonic() - checked, 1),
            "max_database_connections": watch.most,
            "max_connections_by_application": dict(sorted(watch.most_by_name.items())),
            "max_connections_one_server": watch.most_per_server,
            **result,
        }


def _print(result: dict[str, Any]) -> None:
    print_steps(
        f"national: {result['establishments']} establishments, {result['servers']} servers x "
        f"{result['gunicorn_workers_per_server']} workers, {result['kiosks']} kiosks + "
        f"{result['calls']} calls for {result['seconds']} s",
        result["steps"],
    )
    print(f"  requests/s: {result['requests_per_second']}")
    print(f"  outcomes: {result['outcomes']}")
    print(f"  statuses: {result['statuses']}  5xx: {result['server_errors_5xx']}")
    print(f"  acknowledged: {result['acknowledged']} ({result['acknowledged_per_minute']}/min)")
    print(f"  most database connections at once: {result['max_database_connections']}")
    print(f"  most per application: {result['max_connections_by_application']}")
    print(f"  missing or not matching: {result['mismatched_or_missing'][:5]}")
    print(f"  half-written: {result['half_written'][:5]}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--establishments", type=int, default=120)
    parser.add_argument("--reports", type=int, default=40_000, help="history to seed first")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of traffic")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    result = run(parse(argv))
    _print(result)
    print(f"\nwritten to {write_result('national', result)}")


if __name__ == "__main__":
    main()
