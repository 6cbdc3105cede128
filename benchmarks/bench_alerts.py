"""Time from committing an immediate report to its page handed to SMTP and to Twilio's REST
API, with the worker as deployed (polling every second), on SQLite and PostgreSQL.

Baseline in the same run: the time to hand one email straight to the same SMTP server and
one SMS straight to the same REST recorder, with no database or worker in between.

Run: .venv/bin/python -m benchmarks.bench_alerts [--reports N]
"""

from __future__ import annotations

import argparse
import os
import secrets
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from benchmarks.common import database_urls, print_table, summarise, write_result
from safeguarding.clock import SystemClock
from safeguarding.intake import ReportSubmission, submit_report
from safeguarding.policy import load_policy
from safeguarding.services import Services
from safereport.config import Config
from safereport.notify.transport import SmtpSettings, send_email, twilio_client
from safereport.worker_setup import build_worker
from storage.crypto import Secrets, Vault
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Establishment, OnCallContact
from tests.alerts.servers import MailBox, free_port, twilio_rest_recorder


class TimedMailBox(MailBox):
    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[float] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.arrivals.append(time.perf_counter())
        return await super().handle_DATA(server, session, envelope)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=20)
    count = parser.parse_args().reports
    results: dict[str, dict[str, Any]] = {}
    with twilio_rest_recorder() as (recorder, twilio_base):
        box = TimedMailBox()
        port = free_port()
        controller = Controller(box, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            results.update(_baseline(port, twilio_base, box, recorder, count))
            with database_urls() as urls:
                for kind, url in urls.items():
                    results.update(_measure(kind, url, port, twilio_base, box, recorder, count))
        finally:
            controller.stop()
    print_table(f"commit of an immediate report -> page handed over ({count} reports)", results)
    print(f"\nwritten to {write_result('alerts', {'reports': count, 'results': results})}")


def _config(tmp: Path, url: str, smtp_port: int, twilio_base: str) -> Config:
    return Config(
        instance_path=tmp,
        database_url=url,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_starttls=False,
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="token",
        twilio_from_number="+441632960999",
        twilio_api_base=twilio_base,
        digest_hour_utc=24,
    )


def _baseline(
    port: int, twilio_base: str, box: TimedMailBox, recorder: Any, count: int
) -> dict[str, dict[str, float]]:
    smtp = SmtpSettings("127.0.0.1", port, False, None, None, None, "bench@localhost")
    client = twilio_client("AC" + "0" * 32, "token", twilio_base)
    email_samples, sms_samples = [], []
    for _ in range(count):
        start = time.perf_counter()
        send_email(smtp, to="lead@prison.example", subject="s", body="b")
        email_samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        client.messages.create(to="+447700900001", from_="+441632960999", body="b")
        sms_samples.append(time.perf_counter() - start)
    box.arrivals.clear()
    recorder.requests.clear()
    return {
        "baseline: email straight to SMTP": summarise(email_samples),
        "baseline: SMS straight to the REST API": summarise(sms_samples),
    }


def _measure(
    kind: str, url: str, port: int, twilio_base: str, box: TimedMailBox, recorder: Any, count: int
) -> dict[str, dict[str, float]]:
    import tempfile

    audit_key = os.urandom(32)
    database = Database.connect(url, audit_key=audit_key)
    upgrade(database.engine)
    secret = Secrets(
        Vault({"k": os.urandom(32)}, "k"), os.urandom(32), os.urandom(32), audit_key=audit_key
    )
    services = Services(database, secret, load_policy(), SystemClock())
    establishment_id = _establishment_with_chain(services)
    email_latency, sms_latency = [], []
    with tempfile.TemporaryDirectory() as tmp:
        worker = build_worker(
            _config(Path(tmp), url, port, twilio_base), services, base_url="http://127.0.0.1"
        )
        stop = threading.Event()
        thread = threading.Thread(target=worker.run_forever, args=(stop,), daemon=True)
        thread.start()
        try:
            for _ in range(count):
                box.arrivals.clear()
                recorder.requests.clear()
                committed = _submit_immediate(services, establishment_id)
                sms_at = _wait_for(lambda: recorder.requests and time.perf_counter())
                mail_at = _wait_for(lambda: box.arrivals and box.arrivals[0])
                email_latency.append(mail_at - committed)
                sms_latency.append(sms_at - committed)
        finally:
            stop.set()
            thread.join(5)
    database.dispose()
    return {
        f"{kind}: report committed -> email at SMTP": summarise(email_latency),
        f"{kind}: report committed -> SMS at Twilio (upper bound)": summarise(sms_latency),
    }


def _wait_for(probe: Any, timeout: float = 60.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return float(value)
        time.sleep(0.002)
    raise TimeoutError("no page arrived within 60 seconds")


def _submit_immediate(services: Services, establishment_id: int) -> float:
    submission = ReportSubmission(
        establishment_id=establishment_id,
        channel="kiosk",
        language="en",
        submission_key=secrets.token_urlsafe(16),
        concerns=["hurting_me"],
        in_danger_now=True,
        staff_involved="no",
    )
    with services.db.transaction() as session:
        submit_report(
            session,
            submission=submission,
            secrets=services.secrets,
            policy=services.policy,
            clock=services.clock,
        )
    return time.perf_counter()


def _establishment_with_chain(services: Services) -> int:
    now = datetime.now(UTC)
    with services.db.transaction() as session:
        establishment = Establishment(code="BEN", name="HMP Bench", languages="en", created_at=now)
        session.add(establishment)
        session.flush()
        session.add(
            OnCallContact(
                establishment_id=establishment.id,
                chain_position=1,
                role="lead",
                display_name="Lead",
                email="lead@prison.example",
                phone="+447700900001",
                created_at=now,
            )
        )
        return establishment.id


if __name__ == "__main__":
    main()
