"""The server killed with SIGKILL (gunicorn master and workers at once) at random moments
while kiosks and callers submit reports; restarted each time by the production command.

Afterwards: every report acknowledged before a kill is there and matches what was sent,
no report is half-written (answers, timeline, audit event, outbox alert), and the audit
chain verifies.

    .venv/bin/python -m benchmarks.faults_kill --database sqlite [--kills 100]
    SAFEREPORT_TEST_POSTGRES_URL=$(scripts/test-postgres) \\
        .venv/bin/python -m benchmarks.faults_kill --database postgresql
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import database_kinds, fresh_database_url, write_result
from benchmarks.production.deployment import Deployment
from benchmarks.production.faults import KillRun, sigkill_run
from benchmarks.production.server import GunicornServer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--kiosks", type=int, default=4)
    parser.add_argument("--calls", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    kinds = database_kinds(args.database)
    for kind in kinds:
        with tempfile.TemporaryDirectory() as tmp, fresh_database_url(kind, Path(tmp)) as url:
            deployment = Deployment(Path(tmp) / "instance", url).prepare()
            env = deployment.server_env()
            log = Path(tmp) / "gunicorn.log"
            with GunicornServer(env, workers=args.workers, log_path=log) as server:
                run = sigkill_run(
                    deployment,
                    server,
                    kills=args.kills,
                    kiosks=args.kiosks,
                    calls=args.calls,
                    seed=args.seed,
                    progress=_progress,
                )
            deployment.close()
        result = {
            "database": kind,
            "workers": args.workers,
            "kiosks": args.kiosks,
            "calls": args.calls,
            **run.as_dict(),
        }
        for name, value in result.items():
            print(f"  {kind} {name}: {value}")
        print(f"written to {write_result(f'faults-kill-{kind}', result)}")


def _progress(run: KillRun) -> None:
    if run.kills % 10 == 0:
        print(
            f"  {run.kills} kills, {run.kills_with_requests_in_flight} with requests in flight",
            flush=True,
        )


if __name__ == "__main__":
    main()
