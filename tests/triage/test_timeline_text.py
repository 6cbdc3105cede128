"""What the alert chain did shows on the case timeline as sentences in the reader's language.

The core stores facts (step, whom, which channels); the page words them. A Welsh-speaking
lead reads Welsh, an English-speaking one English, from the same stored events.
"""

from __future__ import annotations

import html

from flask.testing import FlaskClient

from safeguarding.alerts import acknowledge_alert, notify_governors_of_escalation, start_paging
from safeguarding.services import Services
from safeguarding.timeline_facts import VIA_ALERT_CALL
from storage.models import OnCallContact
from tests.factories import submit
from tests.triage.helpers import csrf


def add_contact(services: Services, establishment: int, *, role: str, name: str) -> None:
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment,
                chain_position=1,
                role=role,
                display_name=name,
                phone="+447700900001",
                email="lead@test.safereport.invalid",
                created_at=services.clock.now(),
            )
        )


def timeline_text(client: FlaskClient, report_id: int) -> str:
    response = client.get(f"/triage/reports/{report_id}")
    assert response.status_code == 200
    body = html.unescape(response.get_data(as_text=True))
    return " ".join(body[body.index('id="case-timeline"') :].split())


def choose_welsh(client: FlaskClient) -> None:
    token = csrf(client, "/triage/account")
    response = client.post("/triage/account", data={"csrf_token": token, "language": "cy"})
    assert response.status_code == 302


def paged_and_acknowledged(services: Services, establishment: int) -> int:
    add_contact(services, establishment, role="lead", name="Lena Lead")
    report_id = submit(services, establishment, concerns=["hurting_myself"]).report_id
    with services.db.transaction() as session:
        start_paging(session, report_id=report_id, policy=services.policy, clock=services.clock)
        acknowledge_alert(
            session, report_id=report_id, by="Lena Lead", via=VIA_ALERT_CALL, clock=services.clock
        )
    return report_id


def test_the_lead_reads_who_was_alerted_and_how_in_english(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = paged_and_acknowledged(services, establishment)
    text = timeline_text(lead_client, report_id)
    assert "On-call alert sent" in text
    assert (
        "Step 1: Lena Lead (Safeguarding lead) was alerted by text message, phone call and email."
        in text
    )
    assert "Acknowledged by pressing 1 on the alert call." in text
    assert "alert_sent" not in text and '"fact"' not in text


def test_the_same_events_read_in_welsh(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = paged_and_acknowledged(services, establishment)
    choose_welsh(lead_client)
    text = timeline_text(lead_client, report_id)
    assert "Lena Lead" in text
    assert "text message" not in text and "was alerted" not in text
    assert "Acknowledged by pressing 1" not in text


def test_nobody_to_tell_is_said_plainly(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["hurting_myself"]).report_id
    with services.db.transaction() as session:
        start_paging(session, report_id=report_id, policy=services.policy, clock=services.clock)
        notify_governors_of_escalation(
            session, report_id=report_id, event_id=1, clock=services.clock
        )
    text = timeline_text(lead_client, report_id)
    assert "On-call alert not sent" in text
    assert "Step 1: nobody is on call, so nobody was alerted." in text
    assert "No duty governor is on the on-call chain, so no governor was told." in text
