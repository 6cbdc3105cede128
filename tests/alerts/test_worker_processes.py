"""The worker as a real process: killed mid-delivery it loses nothing, and two workers
racing over the same outbox deliver each message once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select

from safeguarding.clock import SystemClock
from safeguarding.services import Services
from safereport.config import Config
from safereport.services import build_services
from safereport.worker import Worker
from storage.db import Database
from storage.models import OutboxMessage
from storage.repositories.outbox import enqueue_message
from tests.alerts.servers import MailBox, TwilioRecorder, free_port
from tests.factories import submit


class StallingMailBox(MailBox):
    """Holds the first message's DATA until released, so the worker can be killed mid-send."""

    def __init__(self) -> None:
        super().__init__()
        self.first_data_started = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.first_data_started.is_set():
            self.first_data_started.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 try again later"
        return await super().handle_DATA(server, session, envelope)


def worker_process(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "safereport"), "worker"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )


def test_a_worker_killed_mid_delivery_loses_nothing(
    config: Config,
    database_url: str,
    tmp_path: Path,
    establishment_id: int,
    twilio: tuple[TwilioRecorder, str],
) -> None:
    from aiosmtpd.controller import Controller

    _recorder, twilio_base = twilio
    box = StallingMailBox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    services = build_services(config, clock=SystemClock())  # the worker runs on real time
    env = {
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
        "SAFEREPORT_DATABASE_URL": database_url,
        "SAFEREPORT_SMTP_HOST": "127.0.0.1",
        "SAFEREPORT_SMTP_PORT": str(port),
        "SAFEREPORT_SMTP_STARTTLS": "false",
        "SAFEREPORT_WORKER_LEASE_SECONDS": "2",
        "SAFEREPORT_DIGEST_HOUR_UTC": "24",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "token",
        "SAFEREPORT_TWILIO_FROM_NUMBER": "+441632960999",
        "SAFEREPORT_TWILIO_API_BASE": twilio_base,
    }
    try:
        submit(services, establishment_id, in_danger_now=True)
        first = worker_process(env)
        assert box.first_data_started.wait(30), "the worker never reached the SMTP server"
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        box.release.set()
        second = worker_process(env)
        try:
            assert box.received.wait(30), "the page was lost when the worker was killed"
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(10)
        assert [m["To"] for m in box.messages] == ["lead@prison.example"]
        with services.db.transaction() as session:
            email = session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "notify.email")
            ).one()
            assert email.delivered_at is not None and email.attempts >= 2
    finally:
        controller.stop()
        services.db.dispose()


def test_two_workers_racing_deliver_each_message_once(
    services: Services, database_url: str
) -> None:
    with services.db.transaction() as session:
        for n in range(1000):
            enqueue_message(
                session, kind="race", dedupe_key=f"race:{n}", payload={"n": n},
                at=services.clock.now(),
            )  # fmt: skip
    delivered: Counter[int] = Counter()
    by_worker: Counter[str] = Counter()
    lock = threading.Lock()

    def run(name: str) -> None:
        database = Database.connect(database_url)
        own = Services(database, services.secrets, services.policy, services.clock)

        def handle(_services: Services, payload: dict[str, Any]) -> None:
            with lock:
                delivered[payload["n"]] += 1
                by_worker[name] += 1
            time.sleep(0.0005)  # a little work, so that the two really interleave

        worker = Worker(own, {"race": handle})
        while worker.run_once(limit=10):
            pass
        database.dispose()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(delivered) == list(range(1000))
    assert set(delivered.values()) == {1}
    assert by_worker["a"] > 0 and by_worker["b"] > 0
