"""``safereport user add`` and ``user reset`` against the configured database."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner
from sqlalchemy import select

from safeguarding.codes import keyed_hash
from safeguarding.services import Services
from safeguarding.staff_accounts import ACCESS_NOTICE
from safereport.cli import main
from safereport.config import Config
from storage.models import AuditEvent, Establishment, OutboxMessage, StaffMembership, StaffUser
from tests.triage.conftest import StaffFactory


def run(config: Config, *args: str) -> tuple[int, str]:
    env = {
        "SAFEREPORT_DATABASE_URL": config.database_url,
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
    }
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def establishment_code(services: Services, establishment_id: int) -> str:
    with services.db.transaction() as session:
        found = session.get(Establishment, establishment_id)
        assert found is not None
        return found.code


def test_user_add_invites_and_prints_a_one_time_setup_link(
    config: Config, services: Services, establishment: int
) -> None:
    code = establishment_code(services, establishment)
    status, output = run(
        config, "user", "add", "--email", "Lead@Example.gov.uk", "--name", "Sam Lead",
        "--role", "lead", "--establishment", code, "--base-url", "https://sr.example",
    )  # fmt: skip
    assert status == 0, output
    link = re.search(r"https://sr\.example/triage/setup#(\S+)", output)
    assert link is not None
    with services.db.transaction() as session:
        user = session.scalars(
            select(StaffUser).where(StaffUser.email == "lead@example.gov.uk")
        ).one()
        assert user.role == "lead" and user.password_hash is None
        assert user.setup_token_hash == keyed_hash(
            services.secrets.code_pepper, "staff-setup", link.group(1)
        )
        memberships = session.scalars(
            select(StaffMembership.establishment_id).where(StaffMembership.staff_id == user.id)
        ).all()
        assert memberships == [establishment]


def test_user_add_refuses_unknown_establishments_and_duplicates(
    config: Config, services: Services, establishment: int
) -> None:
    code = establishment_code(services, establishment)
    args = ["user", "add", "--email", "a@example.gov.uk", "--name", "A", "--role", "deputy"]
    assert run(config, *args, "--establishment", "NOPE")[0] == 2
    assert run(config, *args, "--establishment", code)[0] == 0
    status, output = run(config, *args, "--establishment", code)
    assert status == 2 and "in use already" in output


def test_user_reset_removes_the_credentials_and_issues_a_new_link(
    config: Config, services: Services, staff: StaffFactory
) -> None:
    lead = staff("lead")
    status, output = run(config, "user", "reset", "--email", lead.email)
    assert status == 0 and "/triage/setup#" in output
    with services.db.transaction() as session:
        user = session.get(StaffUser, lead.id)
        assert user is not None
        assert user.password_hash is None and user.totp_secret_sealed is None
        assert user.setup_token_hash is not None


def test_the_operator_adds_establishments_and_is_notified_to_leads(
    config: Config, services: Services, establishment: int, staff: StaffFactory
) -> None:
    """Establishments come only from the command line; a reading account the operator
    gives is announced to the establishment's leads and governors (outbox)."""
    status, output = run(config, "establishment", "add", "--code", "new", "--name", "HMP New")
    assert status == 0, output
    assert run(config, "establishment", "add", "--code", "NEW", "--name", "Again")[0] == 2
    assert run(config, "establishment", "add", "--code", "!", "--name", "Bad")[0] == 2
    lead = staff("lead")
    code = establishment_code(services, establishment)
    status, output = run(
        config, "user", "add", "--email", "g@example.gov.uk", "--name", "G", "--role",
        "governor", "--establishment", code,
    )  # fmt: skip
    assert status == 0, output
    with services.db.transaction() as session:
        assert session.scalars(select(Establishment).where(Establishment.code == "NEW")).one()
        notices = session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.kind == ACCESS_NOTICE)
        ).all()
    assert [json.loads(p)["to_staff_id"] for p in notices] == [lead.id]


def test_oncall_add_validates_and_audits_with_the_service_clock(
    config: Config, services: Services, establishment: int
) -> None:
    """On fe26a51 ``oncall add`` took any phone text, read the wall clock and wrote no audit."""
    code = establishment_code(services, establishment)
    base = ["oncall", "add", "--establishment", code, "--role", "lead", "--name", "Sam"]
    assert run(config, *base, "--phone", "07700 900123")[0] == 2
    assert run(config, *base)[0] == 2
    status, output = run(config, *base, "--phone", "+447700900123")
    assert status == 0, output
    status, output = run(config, "oncall", "list", "--establishment", code)
    assert status == 0 and "Sam  07700 900123" in output  # as dialled, not +447700900123
    with services.db.transaction() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "admin.oncall_added")
        ).one()
        assert event.actor == "system:cli"
