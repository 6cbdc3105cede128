"""FLASK_DEBUG=1 in the environment never turns on the Werkzeug debugger (a remote Python
shell for whoever reaches the port) in `safereport serve` or `safereport demo`."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from safereport.cli import DEMO_WORKER_THREAD, main


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_flask_debug_never_starts_the_debugger(
    command: str, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails on fe26a51: app.run() read FLASK_DEBUG and passed use_debugger=True."""
    started: list[dict[str, Any]] = []

    def run_simple(host: str, port: int, application: Any, **options: Any) -> None:
        started.append({"debug": application.debug, **options})

    monkeypatch.setattr("werkzeug.serving.run_simple", run_simple)
    env = {
        "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
        "SAFEREPORT_DATABASE_URL": database_url,
        "FLASK_DEBUG": "1",
    }
    result = CliRunner().invoke(main, [command, "--port", "8129"], env=env)
    assert result.exit_code == 0, result.output
    assert len(started) == 1
    assert started[0]["debug"] is False
    assert started[0]["use_debugger"] is False
    assert started[0]["use_reloader"] is False


def test_the_demo_stops_its_alert_worker_and_closes_its_connections_when_it_stops(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo runs the alert worker in a thread beside its server. Before, the thread
    went on polling after the server stopped and the database connections were never
    closed (on PostgreSQL the driver warned as the collector found them, in a later test)."""
    from storage.db import Database

    monkeypatch.setattr("werkzeug.serving.run_simple", lambda *args, **options: None)
    disposed: list[Database] = []
    original = Database.dispose

    def dispose(db: Database) -> None:
        disposed.append(db)
        original(db)

    monkeypatch.setattr(Database, "dispose", dispose)
    env = {
        "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
        "SAFEREPORT_DATABASE_URL": database_url,
    }
    result = CliRunner().invoke(main, ["demo", "--port", "8130"], env=env)
    assert result.exit_code == 0, result.output
    assert DEMO_WORKER_THREAD not in {thread.name for thread in threading.enumerate()}
    # the set-up step's services and the served ones: each closed
    assert len(disposed) == 2
