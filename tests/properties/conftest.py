"""Fixtures for the property tests: the whole app with a known Twilio token, a prison with
a kiosk and a phone line, and row counts to prove that nothing was half-written."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select

from safeguarding.services import Services
from storage.models import (
    AuditEvent,
    CallSession,
    KioskDevice,
    OutboxMessage,
    Recording,
    Report,
    ReportAnswer,
    StaffUser,
    TimelineEvent,
)
from tests.ivr.conftest import (  # noqa: F401  (fixtures, re-used as they are)
    AUTH_TOKEN,
    Line,
    add_line,
    app,
    audio_cache,
    config,
    demo_app,
    demo_config,
    ivr_settings,
    renderer,
)
from tests.kiosk.conftest import enrolment_token
from tests.kiosk.pages import Kiosk

WRITTEN_BY_DOORS = (
    Report,
    ReportAnswer,
    TimelineEvent,
    OutboxMessage,
    CallSession,
    Recording,
    KioskDevice,
    StaffUser,
)


def row_counts(services: Services, tables: tuple[type, ...] = WRITTEN_BY_DOORS) -> dict[str, int]:
    with services.db.transaction() as session:
        return {
            table.__name__: session.scalar(select(func.count()).select_from(table)) or 0
            for table in tables
        }


def with_audit(services: Services) -> dict[str, int]:
    return row_counts(services, (*WRITTEN_BY_DOORS, AuditEvent))


def enrolled_kiosk(client: FlaskClient, services: Services, establishment_id: int) -> Kiosk:
    response = client.post(
        "/kiosk/enrol", data={"token": enrolment_token(services, establishment_id)}
    )
    assert response.status_code == 303
    return Kiosk(client)


__all__ = ["AUTH_TOKEN", "Line", "add_line", "enrolled_kiosk", "row_counts", "with_audit"]
