"""``safereport serve --production`` runs gunicorn with several workers on the real database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.alerts.servers import free_port


def test_gunicorn_serves_the_app_with_several_workers(tmp_path: Path, database_url: str) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
        "SAFEREPORT_DATABASE_URL": database_url,
    }
    command = [str(Path(sys.executable).parent / "safereport"), "serve", "--production",
               "--workers", "2", "--port", str(port)]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = _wait_for_health(f"http://127.0.0.1:{port}/healthz")
        assert json.loads(body) == {"status": "ok", "database": "ok"}
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(workers) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        _stdout, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr.decode()[-2000:]


def _wait_for_health(url: str, timeout: float = 30.0) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                body: bytes = response.read()
                return body
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
