"""submit_report throughput and latency on SQLite and PostgreSQL, against a bare SQLAlchemy
insert of one row of the same size, committed per row, in the same run.

Run: .venv/bin/python -m benchmarks.bench_intake [--reports N]
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, insert

from benchmarks.common import database_urls, print_table, summarise, time_each, write_result
from safeguarding.clock import SystemClock
from safeguarding.intake import ReportSubmission, submit_report
from safeguarding.policy import load_policy
from safeguarding.services import Services
from storage.crypto import Secrets, Vault
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Establishment

DETAILS = "He takes my canteen every week and says he will hurt me if I tell. " * 6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    count = parser.parse_args().reports
    results: dict[str, dict[str, Any]] = {}
    with database_urls() as urls:
        for kind, url in urls.items():
            results[f"{kind}: bare insert (baseline)"] = summarise(_bare_inserts(url, count))
            results[f"{kind}: submit_report"] = summarise(_submissions(url, count))
    print_table(f"submit_report vs a bare insert, {count} each, one commit per row", results)
    path = write_result("intake", {"reports": count, "results": results})
    print(f"\nwritten to {path}")


def _services(url: str) -> Services:
    audit_key = os.urandom(32)
    database = Database.connect(url, audit_key=audit_key)
    upgrade(database.engine)
    secret = Secrets(
        Vault({"k": os.urandom(32)}, "k"), os.urandom(32), os.urandom(32), audit_key=audit_key
    )
    return Services(database, secret, load_policy(), SystemClock())


def _submissions(url: str, count: int) -> list[float]:
    services = _services(url)
    with services.db.transaction() as session:
        establishment = Establishment(
            code="BEN", name="HMP Bench", languages="en", created_at=datetime.now(UTC)
        )
        session.add(establishment)
        session.flush()
        establishment_id = establishment.id

    def submit(i: int) -> None:
        submission = ReportSubmission(
            establishment_id=establishment_id,
            channel="kiosk",
            language="en",
            submission_key=secrets.token_urlsafe(16),
            concerns=["made_to_pay", "threatening_me"],
            staff_involved="no",
            when_happened="keeps_happening",
            details=DETAILS,
        )
        with services.db.transaction() as session:
            submit_report(
                session,
                submission=submission,
                secrets=services.secrets,
                policy=services.policy,
                clock=services.clock,
            )

    samples = time_each(submit, count)
    services.db.dispose()
    return samples


def _bare_inserts(url: str, count: int) -> list[float]:
    """The floor: one row of about the same size, committed per row, same engine settings."""
    database = Database.connect(url)
    table = Table(
        f"bench_bare_{secrets.token_hex(4)}",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("code_hash", String(64)),
        Column("submission_key_hash", String(64)),
        Column("details", LargeBinary),
    )
    table.create(database.engine)
    payload = DETAILS.encode() + b"\0" * 44  # sealed size: version, key id, nonce, tag

    def insert_one(i: int) -> None:
        with database.engine.begin() as connection:
            connection.execute(
                insert(table).values(
                    code_hash=secrets.token_hex(32),
                    submission_key_hash=secrets.token_hex(32),
                    details=payload,
                )
            )

    samples = time_each(insert_one, count)
    table.drop(database.engine)
    database.dispose()
    return samples


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as _tmp:
        os.chdir(Path(_tmp))
        main()
