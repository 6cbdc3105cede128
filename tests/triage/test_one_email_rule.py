"""One rule for staff email addresses (safeguarding.email_addresses): however a person or
an operator types an address, in capitals or with a stray space, it reaches the same
account, counts against the same sign-in limits, and never makes a second account."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import func, select

from safeguarding.admin_rules import AdminRefused, ServerOperator
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.sign_in_limits import account_hash
from safeguarding.staff_admin import invite_member
from safereport.cli import main
from safereport.config import Config
from storage.models import StaffUser
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import next_code
from tests.triage.test_sign_in import post_sign_in


def shouted(email: str) -> str:
    return f"  {email.upper()} "


def test_a_lead_signs_in_with_their_address_in_capitals(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    status, _page = post_sign_in(client, shouted(lead.email), lead.password, next_code(lead, clock))
    assert status == 302


def test_wrong_tries_in_any_case_count_against_the_one_account(services: Services) -> None:
    pepper = services.secrets.code_pepper
    assert account_hash(pepper, "sam@example.gov.uk") == account_hash(
        pepper, shouted("sam@example.gov.uk")
    )


def test_the_operator_resets_an_account_typed_in_capitals(
    config: Config, services: Services, staff: StaffFactory
) -> None:
    lead = staff("lead")
    env = {
        "SAFEREPORT_DATABASE_URL": config.database_url,
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
    }
    result = CliRunner().invoke(main, ["user", "reset", "--email", shouted(lead.email)], env=env)
    assert result.exit_code == 0, result.output
    with services.db.transaction() as session:
        user = session.get(StaffUser, lead.id)
        assert user is not None and user.password_hash is None


def test_the_same_address_in_capitals_is_not_a_second_account(
    services: Services, establishment: int
) -> None:
    def add(email: str) -> None:
        with services.db.transaction() as session:
            invite_member(
                session, by=ServerOperator(), email=email, display_name="Sam", role="deputy",
                establishment_ids=[establishment], pepper=services.secrets.code_pepper,
                clock=services.clock,
            )  # fmt: skip

    add("sam@example.gov.uk")
    with pytest.raises(AdminRefused) as refused:
        add(shouted("sam@example.gov.uk"))
    assert refused.value.code == "taken"
    with services.db.transaction() as session:
        assert session.scalar(select(func.count(StaffUser.id))) == 1
