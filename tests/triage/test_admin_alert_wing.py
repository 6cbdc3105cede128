"""The establishment chooses whether alerts name the wing: off by default for high reports
(the alert is a text message and an email), on for immediate ones (someone must go there)."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.services import Services
from storage.models import AuditEvent, Establishment
from tests.triage.helpers import csrf, page_at

BASE = "/triage/admin/establishments"
SETTINGS = [
    ("high_alert_names_wing", "Name the wing in alerts about high priority reports", False),
    ("immediate_alert_names_wing", "Name the wing in alerts about immediate reports", True),
]


def names_wing(services: Services, establishment: int, setting: str) -> bool:
    with services.db.transaction() as session:
        found = session.get(Establishment, establishment)
        assert found is not None
        return bool(getattr(found, setting))


def audited(services: Services, setting: str) -> list[bool]:
    with services.db.transaction() as session:
        details = session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.action == "admin.establishment_updated")
            .order_by(AuditEvent.id)
        ).all()
    return [json.loads(detail)[setting] for detail in details]


@pytest.mark.parametrize(("setting", "label", "default"), SETTINGS)
def test_an_admin_turns_the_wing_in_alerts_on_and_off_and_each_change_is_audited(
    admin_client: FlaskClient,
    services: Services,
    establishment: int,
    setting: str,
    label: str,
    default: bool,
) -> None:
    path = f"{BASE}/{establishment}"
    page = page_at(admin_client, path)
    assert page.label(setting) == label
    assert (
        page.is_checked(setting) is default
        and names_wing(services, establishment, setting) is default
    )
    form = {"name": "HMP Testing", "kiosk_idle_seconds": "90", "languages": ["en", "cy", "ar"]}
    for turned_on in (not default, default):
        chosen = {setting: "yes"} if turned_on else {}
        saved = admin_client.post(path, data={"csrf_token": csrf(admin_client), **form, **chosen})
        assert saved.status_code == 302
        assert names_wing(services, establishment, setting) is turned_on
        assert page_at(admin_client, path).is_checked(setting) is turned_on
    assert audited(services, setting) == [not default, default]
