"""The app as it is deployed (``safereport serve --production``: gunicorn, several workers),
started, killed with SIGKILL and restarted by the load and fault runs. Loopback only."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class GunicornServer:
    """One ``safereport serve --production`` in its own process group, so that a SIGKILL
    reaches the master and every worker at the same instant, as a power cut would."""

    def __init__(self, env: dict[str, str], *, workers: int, log_path: Path) -> None:
        self.env = env
        self.workers = workers
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start and wait until /healthz answers 200; returns the seconds that took."""
        command = [
            str(Path(sys.executable).parent / "safereport"),
            "serve",
            "--production",
            "--workers",
            str(self.workers),
            "--port",
            str(self.port),
        ]
        began = time.monotonic()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        self._wait_healthy(began + STARTUP_SECONDS)
        return time.monotonic() - began

    def _wait_healthy(self, deadline: float) -> None:
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start, see {self.log_path}")
            if self.healthy():
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn not healthy in time, see {self.log_path}")
            time.sleep(0.1)

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as answer:  # noqa: S310 (loopback)
                return bool(answer.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its live workers (user + system)."""
        if self.process is None:
            return 0.0
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            # After the name: state, ppid, pgrp, ... utime is field 14 of stat, stime 15.
            if int(fields[2]) == self.process.pid:
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """SIGKILL the master and all its workers at once; nothing gets to clean up."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._wait_port_free()
        self.process = None

    def stop(self) -> None:
        """A normal shutdown (SIGTERM), for the end of a run."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def _wait_port_free(self) -> None:
        """Workers die with the group; wait until none still holds the listening socket."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.05)

    def __enter__(self) -> GunicornServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None:
            self.stop()
