"""The national shape on one machine: several ``safereport serve --production`` on one
PostgreSQL database, each with its own instance folder as on its own host (the same keys,
as a copy of the key file), and ``safereport worker`` processes sharing the outbox.
Loopback only."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.production.deployment import AUDIO_CACHE, Deployment
from benchmarks.production.server import GunicornServer

# What Twilio signs and the proxy would forward from: the same for every server, so a
# webhook signed for it passes on whichever server it reaches. Never contacted.
PUBLIC_URL = "https://safereport.national.test"


def server_instance(deployment: Deployment, folder: Path) -> Path:
    """An instance folder of its own: the deployment's key file copied (mode 0600), the
    computer voice's shared cache linked (espeak-ng is not what is measured), and nothing
    else: recordings reach this server from the database only."""
    folder.mkdir(parents=True, mode=0o700)
    keys = folder / "keys.json"
    shutil.copyfile(deployment.config.keyfile_path, keys)
    os.chmod(keys, 0o600)
    (folder / "audio").mkdir()
    for language in AUDIO_CACHE.iterdir():
        if language.is_dir():
            os.symlink(language, folder / "audio" / language.name)
    return folder


class ServerPool:
    """``servers`` app servers, each ``workers`` gunicorn workers."""

    def __init__(
        self,
        deployment: Deployment,
        root: Path,
        *,
        servers: int = 2,
        workers: int = 2,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.servers: list[GunicornServer] = []
        for n in range(servers):
            instance = server_instance(deployment, root / f"server-{n}")
            env = {
                **deployment.server_env(),
                "SAFEREPORT_INSTANCE_PATH": str(instance),
                "SAFEREPORT_PUBLIC_BASE_URL": PUBLIC_URL,
                # libpq's application_name, read by psycopg: pg_stat_activity names the server.
                "PGAPPNAME": f"safereport-server-{n}",
                **(extra_env or {}),
            }
            log = root / f"server-{n}.log"
            self.servers.append(GunicornServer(env, workers=workers, log_path=log))

    @property
    def base_urls(self) -> list[str]:
        return [server.base_url for server in self.servers]

    def start(self) -> list[float]:
        """Start every server; the seconds each took to answer /healthz."""
        return [server.start() for server in self.servers]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def __enter__(self) -> ServerPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


class OutboxWorkers:
    """``safereport worker`` processes on the shared outbox, each in its own instance."""

    def __init__(self, deployment: Deployment, root: Path, env: dict[str, str], count: int):
        self.processes: list[subprocess.Popen[bytes]] = []
        self.commands: list[tuple[dict[str, str], Path]] = []
        for n in range(count):
            instance = server_instance(deployment, root / f"worker-{n}")
            worker_env = {
                **deployment.server_env(),
                "SAFEREPORT_INSTANCE_PATH": str(instance),
                "PGAPPNAME": f"safereport-worker-{n}",
                **env,
            }
            self.commands.append((worker_env, root / f"worker-{n}.log"))

    def start(self) -> OutboxWorkers:
        command = [str(Path(sys.executable).parent / "safereport"), "worker"]
        for env, log_path in self.commands:
            with log_path.open("ab") as log:
                self.processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
        return self

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.processes = []


class ConnectionWatch:
    """The most server connections open to one database at any poll (pg_stat_activity,
    every 0.2 s, this watcher's own excluded), in all and per application_name (each
    server and worker sets its own through PGAPPNAME), while the run lasts."""

    def __init__(self, database_url: str, *, every: float = 0.2) -> None:
        self.engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
        self.every = every
        self.most = 0
        self.most_by_name: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        query = text(
            "SELECT application_name, count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "GROUP BY application_name"
        )
        with self.engine.connect() as connection:
            while not self._stop.wait(self.every):
                counts = {str(name or "?"): int(n) for name, n in connection.execute(query)}
                self.most = max(self.most, sum(counts.values()))
                for name, n in counts.items():
                    self.most_by_name[name] = max(self.most_by_name.get(name, 0), n)

    @property
    def most_per_server(self) -> int:
        servers = [
            n for name, n in self.most_by_name.items() if name.startswith("safereport-server")
        ]
        return max(servers, default=0)

    def __enter__(self) -> ConnectionWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.engine.dispose()
