"""``make bench``: the national run (benchmarks/national.py), on PostgreSQL only: 120
establishments, 40,000 reports of history made first through the real intake, two app
servers, 50 kiosks + 50 calls for 30 s. Skipped, saying so, without a PostgreSQL server."""

from __future__ import annotations

import os

from benchmarks import national


def main() -> None:
    if not os.environ.get("SAFEREPORT_TEST_POSTGRES_URL"):
        print(
            "national run skipped: it needs SAFEREPORT_TEST_POSTGRES_URL=$(scripts/test-postgres)"
        )
        return
    national.main(["--duration", "30"])


if __name__ == "__main__":
    main()
