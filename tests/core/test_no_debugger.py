"""FLASK_DEBUG=1 in the environment never turns on the Werkzeug debugger (a remote Python
shell for whoever reaches the port) in `safereport serve` or `safereport demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from safereport.cli import main


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
