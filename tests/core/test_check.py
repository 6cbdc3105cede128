"""`safereport check`: each item failing says what is missing and how to fix it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import update

from safeguarding.services import Services
from safereport.checks import Finding, Status, blocking, run_checks
from safereport.config import Config
from storage.models import Establishment, OnCallContact, PhoneLine
from tests.alerts.servers import free_port, self_signed_certificate, smtp_server
from tests.conftest import START
from tests.factories import make_establishment

TOKEN = "check-test-twilio-auth-token-0123"
READY = {
    "twilio_auth_token": TOKEN,
    "twilio_account_sid": "AC" + "0" * 32,
    "twilio_from_number": "+447700900000",
    "public_base_url": "https://safereport.example.test",
}


def _establishment(
    services: Services, *, contacts: int = 1, phone_line: bool = True, role: str = "lead",
    reviewer: bool = True,
) -> str:  # fmt: skip
    with services.db.transaction() as session:
        place = make_establishment(session, languages="en,cy")
        if not phone_line:
            session.query(PhoneLine).filter_by(establishment_id=place.id).delete()
        for position in range(contacts):
            session.add(OnCallContact(
                establishment_id=place.id, chain_position=position + 1, role=role,
                display_name="Lead", phone="+447700900111", created_at=START))  # fmt: skip
        if reviewer:
            session.add(OnCallContact(
                establishment_id=place.id, chain_position=9, role="independent_reviewer",
                display_name="Reviewer", phone="+447700900119", created_at=START))  # fmt: skip
        return place.code


def _about(findings: list[Finding], item: str) -> list[Finding]:
    return [finding for finding in findings if finding.item.startswith(item)]


def _statuses(findings: list[Finding], item: str) -> set[Status]:
    return {finding.status for finding in _about(findings, item)}


def test_a_ready_installation_has_nothing_missing(config: Config, services: Services) -> None:
    _establishment(services)
    findings = run_checks(config.with_changes(**READY), production=True)
    assert blocking(findings) == []
    assert _statuses(findings, "database") == {Status.OK}
    assert _statuses(findings, "Twilio signature") == {Status.OK}
    assert _statuses(findings, "on-call chain") == {Status.OK}
    assert _statuses(findings, "backups") == {Status.RISKY}  # it cannot see them: it says so


def test_phone_lines_without_the_twilio_token_block_production(
    config: Config, services: Services
) -> None:
    code = _establishment(services)
    findings = run_checks(
        config.with_changes(**{**READY, "twilio_auth_token": None}), production=True
    )
    [token] = [f for f in blocking(findings) if "TWILIO_AUTH_TOKEN" in f.detail]
    assert code in token.detail and "set TWILIO_AUTH_TOKEN" in token.fix


def test_an_establishment_without_phone_lines_needs_no_token(
    config: Config, services: Services
) -> None:
    _establishment(services, phone_line=False)
    findings = run_checks(
        config.with_changes(public_base_url=READY["public_base_url"]), production=False
    )
    assert _statuses(findings, "Twilio") == {Status.OK}


def test_a_key_file_others_can_read_is_missing(config: Config, services: Services) -> None:
    os.chmod(config.keyfile_path, 0o644)
    [keys] = _about(run_checks(config, production=False), "keys")
    assert keys.status is Status.MISSING
    assert f"chmod 600 {config.keyfile_path}" in keys.fix


def test_a_database_behind_this_release_says_run_db_upgrade(tmp_path: Path, config: Config) -> None:
    fresh = config.with_changes(database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    [migrations] = _about(run_checks(fresh, production=False), "migrations")
    assert migrations.status is Status.MISSING
    assert "safereport db upgrade" in migrations.fix


def test_an_unreachable_database_is_missing(config: Config) -> None:
    gone = config.with_changes(database_url="sqlite:////nonexistent-dir/cannot/open.db")
    [database] = _about(run_checks(gone, production=False), "database")
    assert database.status is Status.MISSING
    assert "SAFEREPORT_DATABASE_URL" in database.fix


def test_a_changed_code_pepper_is_caught(config: Config, services: Services) -> None:
    [first] = _about(run_checks(config, production=False), "code pepper")
    assert first.status is Status.OK
    changed = config.with_changes(code_pepper="Y2hhbmdlZC1wZXBwZXItY2hhbmdlZC1wZXBwZXIhIQ==")
    [second] = _about(run_checks(changed, production=False), "code pepper")
    assert second.status is Status.MISSING
    assert "every follow-up code" in second.detail


def test_a_plain_http_public_url_blocks_production_only(config: Config, services: Services) -> None:
    plain = config.with_changes(public_base_url="http://safereport.example.test")
    assert _statuses(run_checks(plain, production=True), "public URL") == {Status.MISSING}
    assert _statuses(run_checks(plain, production=False), "public URL") == {Status.RISKY}


def test_a_public_url_the_app_does_not_answer_on_fails_the_signature_round_trip(
    config: Config, services: Services
) -> None:
    _establishment(services)
    prefixed = config.with_changes(**{**READY, "public_base_url": "https://x.example/safereport"})
    [round_trip] = _about(run_checks(prefixed, production=True), "Twilio signature")
    assert round_trip.status is Status.MISSING
    assert "SAFEREPORT_PUBLIC_BASE_URL" in round_trip.fix


def test_smtp_with_starttls_on_loopback_is_ok(
    config: Config, services: Services, tmp_path: Path
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    with smtp_server((cert, key)) as (_mailbox, port):
        smtp = config.with_changes(smtp_host="127.0.0.1", smtp_port=port, smtp_ca_file=str(cert))
        [finding] = _about(run_checks(smtp, production=True), "SMTP")
    assert finding.status is Status.OK


def test_an_smtp_server_that_does_not_answer_blocks_production(
    config: Config, services: Services
) -> None:
    nobody = config.with_changes(smtp_host="127.0.0.1", smtp_port=free_port())
    [finding] = _about(run_checks(nobody, production=True), "SMTP")
    assert finding.status is Status.MISSING
    assert "127.0.0.1" in finding.detail


def test_an_establishment_that_pages_nobody_blocks_production(
    config: Config, services: Services
) -> None:
    code = _establishment(services, contacts=0, reviewer=False)
    [chain] = _about(run_checks(config.with_changes(**READY), production=True), "on-call chain")
    assert chain.status is Status.MISSING and chain.item.endswith(code)
    assert "nobody is paged" in chain.detail


def test_a_chain_of_deputies_only_is_risky_for_reports_that_may_involve_staff(
    config: Config, services: Services
) -> None:
    """Such a report pages only those who may open it (docs/alerts.md); with nobody who
    may, the deputy is woken for a case the software will not show them."""
    code = _establishment(services, contacts=2, role="deputy")
    findings = _about(run_checks(config.with_changes(**READY), production=True), "on-call chain")
    assert {finding.status for finding in findings} == {Status.OK, Status.RISKY}
    [risky] = [finding for finding in findings if finding.status is Status.RISKY]
    assert risky.item.endswith(code) and "restricted queue" in risky.detail
    assert "duty governor" in risky.fix


def test_no_independent_reviewer_on_call_is_risky_for_reports_naming_the_lead(
    config: Config, services: Services
) -> None:
    """Such a report pages the reviewer alone (docs/patterns.md); without one, someone who
    may not open it is woken instead."""
    code = _establishment(services, reviewer=False)
    findings = _about(run_checks(config.with_changes(**READY), production=True), "on-call chain")
    [risky] = [finding for finding in findings if finding.status is Status.RISKY]
    assert risky.item.endswith(code) and "names the lead or a governor" in risky.detail
    assert "independent reviewer" in risky.fix


@pytest.mark.parametrize("role", ["lead", "duty_governor"])
def test_a_lead_or_duty_governor_on_call_can_open_restricted_reports(
    config: Config, services: Services, role: str
) -> None:
    _establishment(services, role=role)
    findings = run_checks(config.with_changes(**READY), production=True)
    assert _statuses(findings, "on-call chain") == {Status.OK}


def test_contacts_no_configured_channel_can_reach_block_production(
    config: Config, services: Services
) -> None:
    _establishment(services)
    unreachable = config.with_changes(**{**READY, "twilio_from_number": None})
    [chain] = _about(run_checks(unreachable, production=True), "on-call chain")
    assert chain.status is Status.MISSING


def test_a_language_offered_without_a_catalog_is_missing(
    config: Config, services: Services
) -> None:
    code = _establishment(services)
    with services.db.transaction() as session:
        session.execute(
            update(Establishment).where(Establishment.code == code).values(languages="en,xx")
        )
    findings = _about(run_checks(config.with_changes(**READY), production=True), "languages")
    [no_catalog] = [finding for finding in findings if finding.status is Status.MISSING]
    assert "xx" in no_catalog.detail and "catalog" in no_catalog.detail
    # The phone line leaves it out too, and says why (risky: the kiosk still works).
    assert any(f.status is Status.RISKY and "xx" in f.detail for f in findings)


@pytest.mark.parametrize("production", [True, False])
def test_the_check_command_exits_non_zero_when_anything_blocks(
    config: Config, services: Services, production: bool
) -> None:
    from click.testing import CliRunner

    from safereport.cli import main

    _establishment(services)
    env = {"SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
           "SAFEREPORT_DATABASE_URL": config.database_url}  # fmt: skip
    result = CliRunner().invoke(main, ["check", *(["--production"] if production else [])], env=env)
    assert result.exit_code == 1
    assert "TWILIO_AUTH_TOKEN is not set" in result.output
