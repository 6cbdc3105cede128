"""A PostgreSQL cluster of our own, made for one run and thrown away, that may be stopped
(``pg_ctl stop -m immediate``) under traffic. Never the shared test cluster (54329) or the
system one (5432): other people's tests use those."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.production.server import free_port

SHARED_PORTS = frozenset({5432, 54329})


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries (apt-get install postgresql)")
    return Path(found[-1])


class ThrowawayPostgres:
    def __init__(self) -> None:
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="safereport-load-pg-"))
        self.port = free_port()
        if self.port in SHARED_PORTS:  # free_port never gives these while they run; be sure
            raise RuntimeError("refusing a shared PostgreSQL port")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *arguments: str) -> None:
        command = [str(self.bindir / arguments[0]), *arguments[1:]]
        if os.getuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True)

    def create(self) -> ThrowawayPostgres:
        if os.getuid() == 0:
            shutil.chown(self.root, "postgres")
        data = str(self.root / "data")
        self._run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        return self

    def start(self) -> None:
        # fsync stays on: what was committed before the stop must be there after it.
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.root / "data"), "-l", log, "-w", "-o", options, "start")

    def stop_immediately(self) -> None:
        """As if the database host lost power: no checkpoint, connections cut."""
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        return self.create()

    def __exit__(self, *_exc: object) -> None:
        self.destroy()
