"""Staff correct a report's safeguarding categories, saying why; safeguards only ever go up."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent, Report
from tests.factories import submit
from tests.support.pages import Page, parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import csrf, page_at, signed_in_client
from tests.triage.test_case import case_page, timeline

REASON = "He told me on the wing it is about money he owes, not a fight."


def recategorise(
    client: FlaskClient, report_id: int, categories: list[str], reason: str = REASON
) -> tuple[int, Page, str | None]:
    token = csrf(client, f"/triage/reports/{report_id}")
    response = client.post(
        f"/triage/reports/{report_id}/recategorise",
        data={"csrf_token": token, "categories": categories, "recategorise_reason": reason},
    )
    return response.status_code, parse(response), response.location


def stored(services: Services, report_id: int) -> Report:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        _ = (report.categories, report.events)
        return report


def categories_of(services: Services, report_id: int) -> list[str]:
    return sorted(c.category for c in stored(services, report_id).categories)


def test_the_lead_changes_the_categories_and_the_page_and_audit_show_it(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["hurting_me"]).report_id
    assert categories_of(services, report_id) == ["physical", "threats_violence"]

    status, _, location = recategorise(lead_client, report_id, ["bullying_debt", "financial"])

    assert status == 302 and location is not None and location.endswith("#timeline")
    assert categories_of(services, report_id) == ["bullying_debt", "financial"]
    page = case_page(lead_client, report_id)
    assert page.summary("case-summary")["Categories"] == (
        "Bullying and debt Financial or material abuse"
    )
    assert page.flashes == ["Categories changed."]
    changed = timeline(page)[0]
    assert changed.startswith("Categories changed")
    assert "Now: Bullying and debt, Financial or material abuse" in changed
    assert REASON in changed  # the reason is on the timeline (sealed at rest)
    with services.db.transaction() as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.recategorised")
        ).one()
        assert REASON not in audit.detail
        assert json.loads(audit.detail)["from"] == ["physical", "threats_violence"]


def test_nothing_chosen_no_reason_or_no_change_is_refused_and_keeps_what_was_typed(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["hurting_me"]).report_id

    status, body, _ = recategorise(lead_client, report_id, [])
    assert status == 400 and body.field_error("categories") == "Choose at least one category."
    assert body.value("recategorise_reason") == REASON

    status, body, _ = recategorise(lead_client, report_id, ["financial"], reason="  ")
    assert (
        status == 400 and body.field_error("recategorise_reason") == "Write something in the box."
    )
    assert body.checked("categories") == ["financial"]

    status, body, _ = recategorise(lead_client, report_id, ["physical", "threats_violence"])
    assert status == 400
    assert body.field_error("categories") == "The report already has those categories."

    status, body, _ = recategorise(lead_client, report_id, ["physical", "made_up"])
    assert status == 400 and body.field_error("categories") == "Choose categories from the list."
    assert categories_of(services, report_id) == ["physical", "threats_violence"]
    assert not [e for e in stored(services, report_id).events if e.kind == "recategorised"]


def test_new_categories_raise_the_acct_and_duty_to_notify_prompts(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    before = stored(services, report_id)
    assert not before.acct_prompted and not before.duty_to_notify_prompted

    recategorise(lead_client, report_id, ["modern_slavery", "self_harm"])
    after = stored(services, report_id)
    assert after.acct_prompted and after.duty_to_notify_prompted

    recategorise(lead_client, report_id, ["bullying_debt"])  # a correction never lowers them
    again = stored(services, report_id)
    assert again.acct_prompted and again.duty_to_notify_prompted
    warning = case_page(lead_client, report_id).by_class("govuk-warning-text")[0].text
    assert "Consider opening an ACCT." in warning and "the duty to notify applies" in warning


def test_a_deputy_who_marks_staff_misconduct_loses_sight_of_the_report(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    deputy = signed_in_client(app, services, staff("deputy"), clock)

    status, _, location = recategorise(deputy, report_id, ["staff_misconduct"])

    assert status == 302 and location is not None and location.endswith("/triage/queue")
    assert stored(services, report_id).queue == "restricted"
    [banner] = page_at(deputy, "/triage/queue").flashes
    assert "now in the restricted queue" in banner
    assert deputy.get(f"/triage/reports/{report_id}").status_code == 404
    lead = signed_in_client(app, services, staff("lead"), clock)
    assert lead.get(f"/triage/reports/{report_id}").status_code == 200


def test_a_closed_report_must_be_reopened_first(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        report.status = "closed"
    status, body, _ = recategorise(lead_client, report_id, ["financial"])
    assert status == 400 and body.error_summary() == {
        "status": "This report is closed. Change its status to reopen it first."
    }
    assert categories_of(services, report_id) == ["bullying_debt", "psychological"]
