"""The server killed with SIGKILL during submissions: what was acknowledged survives whole.

The full run (100 kills) is ``python -m benchmarks.faults_kill``; this is its short form.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.production.deployment import Deployment
from benchmarks.production.faults import sigkill_run
from benchmarks.production.server import GunicornServer

pytestmark = pytest.mark.slow  # gunicorn killed and restarted: make test, not make check


def test_reports_acknowledged_before_a_sigkill_are_there_whole_after_restart(
    deployment: Deployment, tmp_path: Path
) -> None:
    log = tmp_path / "gunicorn.log"
    with GunicornServer(deployment.server_env(), workers=2, log_path=log) as server:
        run = sigkill_run(
            deployment, server, kills=4, kiosks=2, calls=2, seed=8, window=(0.5, 2.0),
            acknowledged_first=True,
        )  # fmt: skip
        assert server.healthy(), "the app starts again after the last kill"
    assert run.kills == 4
    assert run.kills_with_requests_in_flight >= 1, "no kill landed during a submission"
    # Each kill came after someone was told "sent" since the restart before it (a busy
    # machine made 20 s restarts on 2026-12-06, and a short window then killed only start-up).
    assert run.acknowledged >= run.kills, "a kill came before anything was acknowledged"
    assert run.reports_in_database >= run.acknowledged
    assert run.missing_or_wrong == []
    assert run.half_written == []
