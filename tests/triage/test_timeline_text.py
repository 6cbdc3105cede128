"""What the alert chain did shows on the case timeline as sentences in the reader's language.

The core stores facts (step, whom, which channels); the page words them. A Welsh-speaking
lead reads Welsh, an English-speaking one English, from the same stored events.
"""

from __future__ import annotations

from flask.testing import FlaskClient

from safeguarding.alerts import acknowledge_alert, notify_governors_of_escalation, start_paging
from safeguarding.services import Services
from safeguarding.timeline_facts import VIA_ALERT_CALL
from storage.models import OnCallContact
from tests.factories import submit
from tests.support.pages import Page, assert_nowhere_on
from tests.triage.helpers import csrf, page_at


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


def case_page(client: FlaskClient, report_id: int) -> Page:
    return page_at(client, f"/triage/reports/{report_id}")


def said_under(page: Page, title: str) -> list[str]:
    """The words of each timeline entry with this heading (there must be one at least)."""
    found = [entry.description for entry in page.timeline() if entry.title == title]
    assert found, f"no {title!r} in {[e.title for e in page.timeline()]}"
    return found


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
    page = case_page(lead_client, report_id)
    assert said_under(page, "On-call alert sent") == [
        "Step 1: Lena Lead (Safeguarding lead) was alerted by text message, phone call and email."
    ]
    acknowledged = [e for e in page.timeline() if e.actor == "Lena Lead"]
    assert [e.description for e in acknowledged] == [
        "Acknowledged by pressing 1 on the alert call."
    ]
    assert_nowhere_on(page, "alert_sent")  # the stored fact, not its words
    assert_nowhere_on(page, '"fact"')


def test_the_same_events_read_in_welsh(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = paged_and_acknowledged(services, establishment)
    choose_welsh(lead_client)
    page = case_page(lead_client, report_id)
    english = ("text message", "was alerted", "Acknowledged by pressing 1")
    said = [(e.actor, e.description) for e in page.timeline() if "Lena Lead" in e.description]
    assert said and all(word not in text for _, text in said for word in english), said
    for words in english:
        assert_nowhere_on(page, words)


def test_nobody_to_tell_is_said_plainly(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["hurting_myself"]).report_id
    with services.db.transaction() as session:
        start_paging(session, report_id=report_id, policy=services.policy, clock=services.clock)
        notify_governors_of_escalation(
            session, report_id=report_id, event_id=1, clock=services.clock
        )
    page = case_page(lead_client, report_id)
    not_sent = said_under(page, "On-call alert not sent")
    assert any(e.startswith("Step 1: nobody is on call, so nobody was alerted.") for e in not_sent)
    assert "No duty governor is on the on-call chain, so no governor was told." in not_sent
