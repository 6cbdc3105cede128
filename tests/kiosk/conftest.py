from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.enrolment import issue_kiosk_enrolment
from safeguarding.services import Services
from storage.models import KioskDevice
from tests.factories import new_establishment
from tests.kiosk.pages import Kiosk


@pytest.fixture
def establishment_id(services: Services) -> int:
    return new_establishment(services, languages="en,cy,ar")


def enrolment_token(services: Services, establishment_id: int) -> str:
    with services.db.transaction() as session:
        device = session.scalars(
            select(KioskDevice).where(KioskDevice.establishment_id == establishment_id)
        ).one()
        return issue_kiosk_enrolment(
            session,
            device=device,
            pepper=services.secrets.code_pepper,
            clock=services.clock,
            actor="test",
        )


@pytest.fixture
def kiosk(client: FlaskClient, services: Services, establishment_id: int) -> Kiosk:
    """A test client enrolled as the establishment's kiosk, on the start screen."""
    response = client.post(
        "/kiosk/enrol", data={"token": enrolment_token(services, establishment_id)}
    )
    assert response.status_code == 303
    assert response.location == "/kiosk/"
    driver = Kiosk(client)
    driver.get("/kiosk/")
    return driver
