"""``make bench``: the load and fault runs on the production shape (gunicorn, loopback HTTP),
bounded so that together they take about 12 minutes on a quiet 2-core machine.

Each can be run on its own with more or fewer rounds: see benchmarks/load.py,
benchmarks/faults_kill.py and benchmarks/faults_db.py.
"""

from __future__ import annotations

import os

from benchmarks import faults_db, faults_kill, load


def main() -> None:
    with_postgres = bool(os.environ.get("SAFEREPORT_TEST_POSTGRES_URL"))
    # 60 s at 50 kiosks + 50 calls on each database, then a short ramp on both side by side.
    load.main(["--database", "both", "--ramp", "10,50,200", "--ramp-seconds", "10"])
    # 100 kills on the production database; the tests kill 4 times on each database.
    faults_kill.main(["--database", "postgresql" if with_postgres else "sqlite"])
    faults_db.main([])


if __name__ == "__main__":
    main()
