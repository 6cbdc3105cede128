from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.factories import new_establishment
from tests.triage.helpers import StaffLogin, make_staff, signed_in_client

StaffFactory = Callable[..., StaffLogin]


@pytest.fixture
def establishment(services: Services) -> int:
    return new_establishment(services, name="HMP Alpha")


@pytest.fixture
def other_establishment(services: Services) -> int:
    return new_establishment(services, name="HMP Beta")


@pytest.fixture
def staff(services: Services, establishment: int) -> StaffFactory:
    """``staff("lead")`` makes a set-up account in ``establishment`` (or the ones given)."""

    def factory(role: str, establishment_ids: list[int] | None = None) -> StaffLogin:
        return make_staff(
            services, role=role, establishment_ids=establishment_ids or [establishment]
        )

    return factory


@pytest.fixture
def lead(staff: StaffFactory) -> StaffLogin:
    return staff("lead")


@pytest.fixture
def lead_client(app: Flask, services: Services, lead: StaffLogin, clock: FixedClock) -> FlaskClient:
    """A signed-in safeguarding lead of ``establishment``."""
    return signed_in_client(app, services, lead, clock)


@pytest.fixture
def admin(staff: StaffFactory) -> StaffLogin:
    return staff("admin")


@pytest.fixture
def admin_client(
    app: Flask, services: Services, admin: StaffLogin, clock: FixedClock
) -> FlaskClient:
    """A signed-in administrator of ``establishment``."""
    return signed_in_client(app, services, admin, clock)
