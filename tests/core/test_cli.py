from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from safereport.cli import main
from safereport.config import Config
from safereport.services import build_services
from storage.models import Establishment, KioskDevice


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "SAFEREPORT_INSTANCE_PATH": str(tmp_path / "instance"),
        "SAFEREPORT_DATABASE_URL": database_url,
    }


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def test_demo_print_urls_is_json_and_reuses_the_demo(env: dict[str, str]) -> None:
    code, output = run(env, "demo", "--print-urls", "--port", "8123")
    assert code == 0
    urls = json.loads(output)
    assert urls["kiosk"].startswith("http://127.0.0.1:8123/kiosk/enrol#")
    assert urls["ivr_voice_webhook"] == "http://127.0.0.1:8123/ivr/voice"
    assert urls["phone_simulator"] == "http://127.0.0.1:8123/ivr/simulator"
    assert urls["triage"] == "http://127.0.0.1:8123/triage/"
    assert urls["first_admin_setup"].startswith("http://127.0.0.1:8123/triage/setup#")
    assert urls["phone_number"] == "+441632960001"
    again = json.loads(run(env, "demo", "--print-urls")[1])
    assert again["kiosk"] != urls["kiosk"]  # a fresh one-time enrolment link each time
    config = Config.from_env(env)
    services = build_services(config)
    with services.db.transaction() as session:
        assert len(session.scalars(select(Establishment)).all()) == 1
        device = session.scalars(select(KioskDevice)).one()
        assert device.enrolment_token_hash is not None
        assert urls["kiosk"].rsplit("/", 1)[1] not in (device.enrolment_token_hash or "")
    services.db.dispose()


def test_reports_json_lists_metadata_and_never_content(env: dict[str, str]) -> None:
    from safeguarding.services import Services
    from tests.factories import new_establishment, submit

    run(env, "db", "upgrade")
    services: Services = build_services(Config.from_env(env))
    establishment_id = new_establishment(services)
    submit(services, establishment_id, concerns=["sexual"], details="SECRET-DETAIL")
    submit(services, establishment_id, in_danger_now=True, channel="phone")
    services.db.dispose()
    code, output = run(env, "reports", "--json")
    assert code == 0
    rows = json.loads(output)
    assert [(r["channel"], r["priority"]) for r in rows] == [
        ("kiosk", "high"),
        ("phone", "immediate"),
    ]
    assert set(rows[0]) == {
        "id", "establishment", "channel", "language", "priority", "queue", "status",
        "created", "due",
    }  # fmt: skip
    assert "SECRET-DETAIL" not in output


def test_audit_verify_fails_loudly_after_tampering(env: dict[str, str]) -> None:
    run(env, "demo", "--print-urls")
    code, output = run(env, "audit", "verify")
    assert code == 0 and "intact" in output
    services = build_services(Config.from_env(env))
    with services.db.transaction() as session:
        session.execute(text("UPDATE audit_event SET actor = 'someone else' WHERE id = 1"))
    services.db.dispose()
    result = CliRunner().invoke(main, ["audit", "verify"], env=env)
    assert result.exit_code == 1
    assert "BROKEN" in result.output and "event 1" in result.output


def test_db_upgrade_is_idempotent(env: dict[str, str]) -> None:
    assert run(env, "db", "upgrade") == (0, "database is up to date\n")
    assert run(env, "db", "upgrade") == (0, "database is up to date\n")
