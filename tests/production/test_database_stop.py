"""The database stopped under traffic, with the app left running on gunicorn: people are
told plainly that nothing was sent, and both doors recover on their own when it returns.

Uses a PostgreSQL cluster of its own (never a shared one); the full run is
``python -m benchmarks.faults_db``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.production.deployment import Deployment
from benchmarks.production.faults import database_stop_run
from benchmarks.production.postgres import ThrowawayPostgres
from benchmarks.production.server import GunicornServer

pytestmark = pytest.mark.slow  # a PostgreSQL server stopped under gunicorn: make test only


def test_while_the_database_is_down_nothing_claims_to_be_sent_and_then_all_recovers(
    database_kind: str, tmp_path: Path
) -> None:
    if database_kind != "postgresql":
        pytest.skip("stops a PostgreSQL server: runs with --database=postgresql")
    with ThrowawayPostgres() as cluster:
        deployment = Deployment(tmp_path / "instance", cluster.url).prepare()
        log = tmp_path / "gunicorn.log"
        with GunicornServer(deployment.server_env(), workers=2, log_path=log) as server:
            server.start()
            run = database_stop_run(deployment, server, cluster, kiosks=2, calls=2, seconds=3)
        deployment.close()
    assert run.kiosk_while_down == "kiosk: not sent"
    assert run.call_while_down == "phone: could not take the message"
    assert not run.health_while_down
    assert run.acknowledged_while_down == 0
    assert run.health_after, "the app did not reconnect without a restart"
    assert run.kiosk_after == "code shown", "the same kiosk report is sent once it is back"
    assert run.call_after == "code read out"
    assert run.missing_or_wrong == []
    assert run.half_written == []
