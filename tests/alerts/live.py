"""The deployed worker wired to real peers on loopback, for the alerts tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from safeguarding.services import Services
from safereport.config import Config
from safereport.worker import Worker
from safereport.worker_setup import build_worker
from storage.models import Report
from tests.alerts.servers import MailBox, TwilioRecorder

SECRET = "SECRET-he-hurt-me-in-the-showers"
BASE = "https://safereport.example.org"


def live_config(config: Config, smtp_port: int, twilio_base: str, **changes: object) -> Config:
    settings: dict[str, object] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
        "smtp_starttls": False,
        "mail_from": "alerts@safereport.example.org",
        "twilio_account_sid": "AC" + "0" * 32,
        "twilio_auth_token": "test-token",
        "twilio_from_number": "+441632960999",
        "twilio_api_base": twilio_base,
        "digest_hour_utc": 23,  # the test clock says 09:00: no digest unless a test asks
    }
    return config.with_changes(**{**settings, **changes})


def run_until_idle(worker: Worker) -> None:
    for _ in range(20):
        if worker.run_once() == 0:
            return
    raise AssertionError("the worker did not settle")


def paged_numbers(recorder: TwilioRecorder, kind: str) -> list[str]:
    return [form["To"] for path, form in recorder.requests if path.endswith(f"/{kind}.json")]


def timeline(services: Services, report_id: int) -> list[tuple[str, str]]:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        return [(e.kind, e.summary) for e in report.events]


@dataclass
class Live:
    """The deployed worker wired to a real SMTP server and the Twilio REST recorder."""

    services: Services
    config: Config
    box: MailBox
    recorder: TwilioRecorder

    def worker(self, **changes: object) -> Worker:
        return build_worker(self.config.with_changes(**changes), self.services, base_url=BASE)

    def run(self, **changes: object) -> None:
        run_until_idle(self.worker(**changes))

    def numbers(self, kind: str) -> list[str]:
        return paged_numbers(self.recorder, kind)


@pytest.fixture
def live(
    services: Services,
    config: Config,
    mailbox: tuple[MailBox, int],
    twilio: tuple[TwilioRecorder, str],
) -> Live:
    (box, port), (recorder, base) = mailbox, twilio
    return Live(services, live_config(config, port, base), box, recorder)
