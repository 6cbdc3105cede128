"""A real PgBouncer in transaction mode on a free loopback port, in front of a PostgreSQL
server, for one test module. PgBouncer refuses to run as root, so as root it runs as the
``postgres`` user (as benchmarks/production/postgres.py runs the server)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from benchmarks.production.server import free_port

BINARY = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def available() -> bool:
    return Path(BINARY).is_file()


class PgBouncer:
    """``pool_mode = transaction``: each transaction gets whichever server connection is
    free, which is what breaks session state such as prepared statements."""

    def __init__(self, server_url: str, *, pool_size: int = 4) -> None:
        self.server: URL = make_url(server_url)
        self.pool_size = pool_size
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="safereport-pgbouncer-"))
        self.process: subprocess.Popen[bytes] | None = None

    def url_for(self, database_url: str) -> str:
        """The same database and user, reached through PgBouncer."""
        through = make_url(database_url).set(host="127.0.0.1", port=self.port)
        return through.render_as_string(hide_password=False)

    def _write_config(self) -> Path:
        server = self.server
        ini = self.root / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"* = host={server.host} port={server.port} user={server.username or 'postgres'}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\n"
            f"unix_socket_dir = {self.root}\n"
            # Loopback only, in front of a throwaway test server that trusts loopback.
            "auth_type = any\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {self.pool_size}\nmax_client_conn = 200\n"
            f"logfile = {self.root / 'pgbouncer.log'}\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
        )
        return ini

    def start(self) -> PgBouncer:
        ini = self._write_config()
        command = [BINARY, str(ini)]
        if os.getuid() == 0:  # "PgBouncer should not run as root"
            shutil.chown(self.root, "postgres")
            shutil.chown(ini, "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        self._wait_listening()
        return self

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"pgbouncer exited at start: {self.log()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"pgbouncer not listening in time: {self.log()}")

    def log(self) -> str:
        path = self.root / "pgbouncer.log"
        return path.read_text()[-2000:] if path.exists() else "(no log)"

    def stop(self) -> None:
        if self.process is not None:
            # Its own process group: the signal reaches pgbouncer under runuser too.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)
