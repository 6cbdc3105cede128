"""Migrations, encryption at rest, the audit chain and key rotation, on the real database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from safeguarding.services import Services
from safereport.config import Config
from safereport.services import build_services
from storage.crypto import SealError, Vault
from storage.db import UNIT_OF_WORK_ATTEMPTS
from storage.migrate import current_heads, drift, script_heads
from storage.models import AuditEvent, Report
from storage.repositories.audit import append_audit, verify_audit_chain
from storage.rotation import rotate_data_key
from storage.sealed_fields import REPORT_DETAILS
from tests.factories import new_establishment, submit

MARKER = "MARKER-7f3a-canteen-taxed-by-B-wing"


def test_migrations_reach_head_and_match_the_models(services: Services) -> None:
    assert set(current_heads(services.db.engine)) == set(script_heads())
    assert drift(services.db.engine) == []


def test_what_a_report_says_never_reaches_the_database_in_clear(
    services: Services, database_kind: str, database_url: str
) -> None:
    establishment_id = new_establishment(services)
    submit(
        services,
        establishment_id,
        details=f"{MARKER} details",
        reporter_identity=f"{MARKER} identity",
    )
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert len(raw) > 10_000  # we really read the stored data
    assert b"A Wing" in raw  # plain metadata is there, so the search would find text
    assert MARKER.encode() not in raw
    assert MARKER.encode("utf-16-le") not in raw


def _raw_database_bytes(kind: str, url: str) -> bytes:
    if kind == "sqlite":
        path = Path(make_url(url).database or "")
        return b"".join(
            Path(f"{path}{suffix}").read_bytes()
            for suffix in ("", "-wal")
            if Path(f"{path}{suffix}").exists()
        )
    pg_dump = _pg_dump()
    parsed = make_url(url)
    result = subprocess.run(
        [pg_dump, "-h", str(parsed.host), "-p", str(parsed.port), "-U", str(parsed.username),
         "--no-owner", str(parsed.database)],
        check=True, capture_output=True,
    )  # fmt: skip
    return result.stdout


def _pg_dump() -> str:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))
    found = str(candidates[-1]) if candidates else shutil.which("pg_dump")
    assert found, "pg_dump is needed to inspect PostgreSQL's stored data"
    return found


def test_a_sealed_value_cannot_be_moved_to_another_column_or_altered() -> None:
    vault = Vault({"k1": os.urandom(32)}, "k1")
    sealed = vault.seal_text("secret", purpose="report.details")
    with pytest.raises(SealError):
        vault.open_text(sealed, purpose="report.reporter_identity")
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealError):
        vault.open_text(tampered, purpose="report.details")
    assert "k1" in repr(vault) and str(vault.keys["k1"]) not in repr(vault)


def test_the_audit_chain_verifies_and_shows_any_edit_or_deletion(services: Services) -> None:
    establishment_id = new_establishment(services)
    for _ in range(3):
        submit(services, establishment_id)
    with services.db.transaction() as session:
        verdict = verify_audit_chain(session)
    assert verdict.ok and verdict.events_checked == 3
    with services.db.transaction() as session:
        session.execute(
            update(AuditEvent).where(AuditEvent.id == 2).values(action="report.deleted")
        )
    with services.db.transaction() as session:
        verdict = verify_audit_chain(session)
    assert not verdict.ok and verdict.first_bad_event_id == 2


def test_deleting_the_newest_audit_event_is_detected(services: Services) -> None:
    with services.db.transaction() as session:
        for action in ("one", "two"):
            append_audit(session, at=services.clock.now(), actor="test", action=action)
    with services.db.transaction() as session:
        session.execute(text("DELETE FROM audit_event WHERE action = 'two'"))
    with services.db.transaction() as session:
        verdict = verify_audit_chain(session)
    assert not verdict.ok and "missing" in verdict.reason


def test_rotating_the_data_key_reseals_everything(services: Services, config: Config) -> None:
    establishment_id = new_establishment(services)
    receipt = submit(services, establishment_id, details=MARKER)
    old_keys = json.loads(config.keyfile_path.read_text())["data_keys"]
    resealed = rotate_data_key(services.db, config.keyfile_path)
    assert resealed == 1
    keyfile = json.loads(config.keyfile_path.read_text())
    assert set(keyfile["data_keys"]) == {keyfile["active"]}
    assert keyfile["active"] not in old_keys
    assert config.keyfile_path.stat().st_mode & 0o077 == 0
    rebuilt = build_services(config)  # as after a restart: only the new key is known
    with rebuilt.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None and report.details_sealed is not None
        opened = REPORT_DETAILS.open_text(rebuilt.secrets.vault, report)
    rebuilt.db.dispose()
    assert opened == MARKER


def test_a_key_file_readable_by_others_is_refused(config: Config) -> None:
    from storage.crypto import KeyConfigError

    build_services(config).db.dispose()
    config.keyfile_path.chmod(0o644)
    with pytest.raises(KeyConfigError, match="readable only by its owner"):
        build_services(config)


def test_database_errors_never_carry_the_values_written(services: Services) -> None:
    from sqlalchemy.exc import IntegrityError

    from storage.models import Establishment

    with pytest.raises(IntegrityError) as raised, services.db.transaction() as session:
        session.add(Establishment(code="DUP", name=MARKER, created_at=services.clock.now()))
        session.flush()
        session.add(Establishment(code="DUP", name=MARKER, created_at=services.clock.now()))
        session.flush()
    assert MARKER not in str(raised.value)


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _failing(sqlstate: str, attempts: list[int]) -> Callable[[], None]:
    def work() -> None:
        attempts.append(1)
        raise OperationalError("UPDATE ...", {}, _DriverError(sqlstate))

    return work


@pytest.mark.parametrize(
    ("sqlstate", "runs"),
    [("40P01", UNIT_OF_WORK_ATTEMPTS), ("40001", UNIT_OF_WORK_ATTEMPTS), ("23505", 1), ("", 1)],
)
def test_only_work_the_database_rolled_back_for_another_is_run_again(
    services: Services, sqlstate: str, runs: int
) -> None:
    """A deadlock's victim or a serialization failure is run again, a few times at most
    (tests/kiosk/test_send_deadlock.py and tests/ivr/test_webhook_deadlock.py make a real
    deadlock); any other failure, a broken constraint among them, is not."""
    attempts: list[int] = []
    with pytest.raises(OperationalError):
        services.db.retrying(_failing(sqlstate, attempts))
    assert len(attempts) == runs
    first_attempt = iter([_DriverError(sqlstate)])

    def failing_once() -> str:
        for error in first_attempt:
            raise OperationalError("UPDATE ...", {}, error)
        return "sent"

    if runs > 1:
        assert services.db.retrying(failing_once) == "sent"
