from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from safeguarding.services import Services
from storage.models import OnCallContact
from tests.alerts.live import live  # noqa: F401 (a fixture for every alerts test)
from tests.alerts.servers import MailBox, TwilioRecorder, smtp_server, twilio_rest_recorder
from tests.factories import new_establishment

CHAIN = (
    ("lead", "Lena Lead", "lead@prison.example", "+447700900001"),
    ("deputy", "Dev Deputy", "deputy@prison.example", "+447700900002"),
    ("duty_governor", "Gus Governor", "governor@prison.example", "+447700900003"),
)


@pytest.fixture
def establishment_id(services: Services) -> int:
    """An establishment with a three-person on-call chain."""
    establishment = new_establishment(services)
    with services.db.transaction() as session:
        session.add_all(
            OnCallContact(
                establishment_id=establishment,
                chain_position=i,
                role=role,
                display_name=name,
                email=email,
                phone=phone,
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
            for i, (role, name, email, phone) in enumerate(CHAIN, start=1)
        )
    return establishment


@pytest.fixture
def mailbox() -> Iterator[tuple[MailBox, int]]:
    with smtp_server() as served:
        yield served


@pytest.fixture
def twilio() -> Iterator[tuple[TwilioRecorder, str]]:
    with twilio_rest_recorder() as served:
        yield served
