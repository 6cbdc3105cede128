"""Load on the production shape: gunicorn (``safereport serve --production``) over loopback
HTTP, enrolled kiosks walking the real screens and signed Twilio calls, all at once.

Afterwards every report acknowledged to a person (the code on the Sent screen, the code
read out on the phone) must exist and match what was sent, opened through the app's Vault;
no answer may be a 5xx and no report half-written. Then a ramp of concurrency finds where
a database stops being enough: an error, or a p99 beyond ``--bound-ms`` on any step.

The load generator is this process; it shares the machine's cores with the server.

    .venv/bin/python -m benchmarks.load --database sqlite
    SAFEREPORT_TEST_POSTGRES_URL=$(scripts/test-postgres) \\
        .venv/bin/python -m benchmarks.load --database postgresql
    .venv/bin/python -m benchmarks.load --database sqlite --seconds 20 --ramp 10,50,200
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from benchmarks.common import database_kinds, fresh_database_url, write_result
from benchmarks.production.deployment import Deployment, half_written, mismatches
from benchmarks.production.server import GunicornServer
from benchmarks.production.traffic import Traffic, print_steps, summary

WARM_UP_SECONDS = 5.0
DEFAULT_WORKERS = 2 * (os.cpu_count() or 1) + 1  # what `serve --production` chooses


def measure(
    deployment: Deployment,
    server: GunicornServer,
    *,
    kiosks: int,
    calls: int,
    seconds: float,
    finish_turns: bool = False,
) -> dict[str, Any]:
    """One run at a given concurrency, with its checks."""
    began, cpu_before = time.monotonic(), server.cpu_seconds()
    traffic = Traffic(server.base_url, deployment, kiosks=kiosks, calls=calls)
    traffic.run_for(seconds, finish_turns=finish_turns)
    cpu = server.cpu_seconds() - cpu_before
    result = summary(traffic.stats, seconds)
    # What the app itself costs, whatever else the machine is doing (not the database's own
    # processes): the figure that survives a noisy machine.
    result["app_cpu_ms_per_request"] = round(cpu * 1000 / max(1, result["requests"]), 2)
    result["kiosks"], result["calls"], result["seconds"] = kiosks, calls, seconds
    result["wall_seconds"] = round(time.monotonic() - began, 1)
    result["mismatched_or_missing"] = mismatches(deployment.services, traffic.stats.acknowledged)
    result["half_written"] = half_written(deployment.services)
    return result


def worst_p99(result: dict[str, Any]) -> float:
    return float(max((row["p99_ms"] for row in result["steps"].values()), default=0.0))


def failures(result: dict[str, Any]) -> int:
    told_otherwise = sum(
        n
        for name, n in result["outcomes"].items()
        if "acknowledged" not in name and "read out" not in name
    )
    return int(
        sum(result["server_errors_5xx"].values())
        + len(result["mismatched_or_missing"])
        + len(result["half_written"])
        + told_otherwise
    )


def within_bound(result: dict[str, Any], bound_ms: float) -> bool:
    return failures(result) == 0 and worst_p99(result) <= bound_ms


def run(kinds: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Both databases side by side, each behind its own gunicorn, measured in turn at each
    level, so that a busy machine weighs on both alike."""
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        targets: dict[str, tuple[Deployment, GunicornServer]] = {}
        for kind in kinds:
            (tmp / kind).mkdir()
            url = stack.enter_context(fresh_database_url(kind, tmp / kind))
            deployment = Deployment(tmp / kind / "instance", url).prepare()
            stack.callback(deployment.close)
            log = tmp / kind / "gunicorn.log"
            server = stack.enter_context(
                GunicornServer(deployment.server_env(), workers=args.workers, log_path=log)
            )
            print(f"{kind}: gunicorn healthy after {server.start():.1f} s")
            # Warm every worker (imports, first connections) before anything is measured.
            Traffic(server.base_url, deployment, kiosks=2, calls=2).run_for(WARM_UP_SECONDS)
            targets[kind] = (deployment, server)
        results: dict[str, Any] = {"workers": args.workers, "bound_ms": args.bound_ms}
        for kind, (deployment, server) in targets.items():
            main_run = measure(
                deployment,
                server,
                kiosks=args.kiosks,
                calls=args.calls,
                seconds=args.seconds,
                finish_turns=True,
            )
            _print(kind, main_run)
            results[kind] = {"load": main_run, "ramp": []}
        for level in args.ramp:
            for kind, (deployment, server) in targets.items():
                result = measure(
                    deployment,
                    server,
                    kiosks=level // 2,
                    calls=level - level // 2,
                    seconds=args.ramp_seconds,
                )
                result["people"] = level
                result["within_bound"] = within_bound(result, args.bound_ms)
                results[kind]["ramp"].append(result)
                _print_ramp(kind, level, result)
    return results


def _print(kind: str, result: dict[str, Any]) -> None:
    print_steps(
        f"{kind}: {result['kiosks']} kiosks + {result['calls']} calls for {result['seconds']} s",
        result["steps"],
    )
    print(f"  outcomes: {result['outcomes']}")
    print(f"  statuses: {result['statuses']}  5xx: {result['server_errors_5xx']}")
    print(f"  acknowledged: {result['acknowledged']} ({result['acknowledged_per_minute']}/min)")
    print(f"  app CPU per request: {result['app_cpu_ms_per_request']} ms")
    print(f"  missing or not matching: {result['mismatched_or_missing'][:5]}")
    print(f"  half-written: {result['half_written'][:5]}")


def _print_ramp(kind: str, level: int, result: dict[str, Any]) -> None:
    print(
        f"  ramp {kind:<10} {level:>4} at once: {result['requests_per_second']:>6} req/s, "
        f"{result['acknowledged']:>4} acknowledged, "
        f"app CPU {result['app_cpu_ms_per_request']} ms/request, "
        f"worst step p99 {worst_p99(result):>8.1f} ms, failures {failures(result)}, "
        f"outcomes {result['outcomes']}, "
        f"{'OK' if result['within_bound'] else 'BEYOND BOUND'}"
    )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument(
        "--ramp",
        type=lambda s: [int(n) for n in s.split(",") if n],
        default=[10, 25, 50, 100, 200],
        help="people at once, comma-separated",
    )
    parser.add_argument("--ramp-seconds", type=float, default=15.0)
    parser.add_argument(
        "--bound-ms",
        type=float,
        default=2000.0,
        help="the p99 any step may take and still count as enough",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    kinds = database_kinds(args.database)
    name = "load" if len(kinds) > 1 else f"load-{kinds[0]}"
    print(f"\nwritten to {write_result(name, run(kinds, args))}")


if __name__ == "__main__":
    main()
