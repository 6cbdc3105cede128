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

from sqlalchemy import create_engine, text

from safeguarding.services import Services
from storage.db import make_engine
from storage.migrate import is_current
from tests.alerts.servers import free_port
from tests.factories import make_establishment


def test_gunicorn_serves_the_app_with_several_workers(tmp_path: Path, database_url: str) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
        "SAFEREPORT_DATABASE_URL": database_url,
    }
    # Migrations (and the key file) are their own step before a production server starts.
    upgraded = subprocess.run([str(Path(sys.executable).parent / "safereport"), "db", "upgrade"],
                              env=env, capture_output=True, timeout=120, check=False)  # fmt: skip
    assert upgraded.returncode == 0, upgraded.stderr
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


def _wait_for_health(url: str, timeout: float = 120.0) -> bytes:  # a loaded machine is slow
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


def _serve_production(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "safereport"), "serve", "--production",
               "--workers", "1", "--port", str(free_port())]  # fmt: skip
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_production_refuses_to_serve_a_phone_line_without_its_token(
    tmp_path: Path, database_url: str, services: Services
) -> None:
    with services.db.transaction() as session:
        make_establishment(session)
    env = {**os.environ, "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
           "SAFEREPORT_DATABASE_URL": database_url}  # fmt: skip
    env.pop("TWILIO_AUTH_TOKEN", None)
    refused = _serve_production(env)
    assert refused.returncode != 0
    assert "TWILIO_AUTH_TOKEN is not set" in refused.stderr
    assert "refusing to serve in production" in refused.stderr


def test_production_refuses_a_database_behind_and_leaves_migrating_to_db_upgrade(
    tmp_path: Path,
) -> None:
    behind = f"sqlite:///{tmp_path / 'behind.db'}"
    env = {**os.environ, "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
           "SAFEREPORT_DATABASE_URL": behind}  # fmt: skip
    refused = _serve_production(env)
    assert refused.returncode != 0
    assert "safereport db upgrade" in refused.stderr
    engine = make_engine(behind)
    assert not is_current(engine)  # the server did not migrate it
    engine.dispose()


def test_servers_upgrading_one_database_at_once_take_turns(
    database_kind: str, database_url: str, tmp_path: Path
) -> None:
    """Two `db upgrade`s on a fresh database (PostgreSQL: the advisory lock) both succeed."""
    if database_kind == "postgresql":
        fresh = database_url.rsplit("/", 1)[0] + "/" + "sr_fresh_" + os.urandom(4).hex()
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{fresh.rsplit("/", 1)[1]}"'))
        admin.dispose()
    else:
        fresh = database_url.replace("safereport.db", "fresh.db")
    env = {**os.environ, "SAFEREPORT_DATABASE_URL": fresh}
    command = [str(Path(sys.executable).parent / "safereport"), "db", "upgrade"]
    runs = [
        subprocess.Popen(command, env={**env, "SAFEREPORT_INSTANCE_PATH": str(tmp_path / f"i{n}")},
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(2)
    ]  # fmt: skip
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    engine = make_engine(fresh)
    assert is_current(engine)
    engine.dispose()
