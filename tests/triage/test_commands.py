"""``safereport user add`` and ``user reset`` against the configured database."""

from __future__ import annotations

import re

from click.testing import CliRunner
from sqlalchemy import select

from safeguarding.codes import keyed_hash
from safeguarding.services import Services
from safereport.cli import main
from safereport.config import Config
from storage.models import Establishment, StaffMembership, StaffUser
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
    link = re.search(r"https://sr\.example/triage/setup/(\S+)", output)
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
    assert status == 2 and "already an account" in output


def test_user_reset_removes_the_credentials_and_issues_a_new_link(
    config: Config, services: Services, staff: StaffFactory
) -> None:
    lead = staff("lead")
    status, output = run(config, "user", "reset", "--email", lead.email)
    assert status == 0 and "/triage/setup/" in output
    with services.db.transaction() as session:
        user = session.get(StaffUser, lead.id)
        assert user is not None
        assert user.password_hash is None and user.totp_secret_sealed is None
        assert user.setup_token_hash is not None
