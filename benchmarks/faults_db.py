"""The database stopped under traffic (``pg_ctl stop -m immediate``) with the app left
running on gunicorn, then started again.

While it is down the kiosk must say "not sent" (never a code) and the phone line must say
it could not take the message (never read a code). When it is back, both must work again
without the app being restarted, and every report acknowledged before and after must be
there and match. Runs on a PostgreSQL cluster made for the run on its own loopback port,
never on a shared one.

    .venv/bin/python -m benchmarks.faults_db [--seconds 10]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import write_result
from benchmarks.production.deployment import Deployment
from benchmarks.production.faults import database_stop_run
from benchmarks.production.postgres import ThrowawayPostgres
from benchmarks.production.server import GunicornServer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kiosks", type=int, default=10)
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10.0, help="before, down and after")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, ThrowawayPostgres() as cluster:
        deployment = Deployment(Path(tmp) / "instance", cluster.url).prepare()
        log = Path(tmp) / "gunicorn.log"
        with GunicornServer(deployment.server_env(), workers=args.workers, log_path=log) as server:
            server.start()
            run = database_stop_run(
                deployment,
                server,
                cluster,
                kiosks=args.kiosks,
                calls=args.calls,
                seconds=args.seconds,
            )
        deployment.close()
    result = {"kiosks": args.kiosks, "calls": args.calls, "seconds": args.seconds, **run.as_dict()}
    for name, value in result.items():
        print(f"  {name}: {value}")
    print(f"written to {write_result('faults-database-stop', result)}")


if __name__ == "__main__":
    main()
