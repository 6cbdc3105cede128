"""Pressing 1 on the alert call acknowledges the report; a forged press changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.alerts import start_paging
from safeguarding.services import Services
from storage.models import AlertEscalation, OnCallContact, Report
from tests.factories import new_establishment, submit
from tests.ivr.conftest import AUTH_TOKEN
from tests.ivr.emulator import signed_post


def paged_report(services: Services) -> tuple[int, int]:
    establishment_id = new_establishment(services)
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment_id, chain_position=1, role="lead",
                display_name="Lena Lead", phone="+447700900001", created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    receipt = submit(services, establishment_id, in_danger_now=True)
    with services.db.transaction() as session:
        escalation = start_paging(
            session, report_id=receipt.report_id, policy=services.policy, clock=services.clock
        )
        assert escalation is not None
        return receipt.report_id, escalation.id


def acknowledged(services: Services, report_id: int) -> tuple[datetime | None, str | None]:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        escalation = session.scalars(
            select(AlertEscalation).where(AlertEscalation.report_id == report_id)
        ).one()
        assert report is not None
        return report.acknowledged_at, escalation.acknowledged_by


def test_pressing_1_on_the_alert_call_acknowledges_the_report(
    client: FlaskClient, services: Services
) -> None:
    report_id, escalation_id = paged_report(services)
    url = f"http://localhost/ivr/oncall/ack?escalation={escalation_id}&step=0"
    response = signed_post(
        client, auth_token=AUTH_TOKEN, url=url, params={"CallSid": "CA1", "Digits": "1"}
    )
    assert response.status_code == 200
    assert b"The report is acknowledged" in response.data and b"<Hangup" in response.data
    at, by = acknowledged(services, report_id)
    assert at is not None and by == "Lena Lead (lead)"


def test_another_key_does_not_acknowledge(client: FlaskClient, services: Services) -> None:
    report_id, escalation_id = paged_report(services)
    url = f"http://localhost/ivr/oncall/ack?escalation={escalation_id}&step=0"
    response = signed_post(
        client, auth_token=AUTH_TOKEN, url=url, params={"CallSid": "CA1", "Digits": "2"}
    )
    assert b"Not acknowledged" in response.data
    assert acknowledged(services, report_id) == (None, None)


def test_a_forged_acknowledgement_is_refused_and_changes_nothing(
    client: FlaskClient, services: Services
) -> None:
    report_id, escalation_id = paged_report(services)
    url = f"http://localhost/ivr/oncall/ack?escalation={escalation_id}&step=0"
    response = signed_post(
        client, auth_token="forged", url=url, params={"CallSid": "CA1", "Digits": "1"}
    )
    assert response.status_code == 403
    assert acknowledged(services, report_id) == (None, None)
