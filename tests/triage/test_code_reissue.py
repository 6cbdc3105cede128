"""A new follow-up code for a named reporter who lost theirs (issue 17.3).

Given a named report, when the lead or a deputy gives a new code with how they checked
who was asking, then the new code is shown once, the old one opens nothing, and the
timeline and audit log say so (the reason sealed, the code nowhere).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from safeguarding.clock import FixedClock
from safeguarding.code_secrets import set_code_secret
from safeguarding.lookup import Seeker, find_report_by_code
from safeguarding.services import Services
from storage.models import AuditEvent, Report
from tests.factories import submit
from tests.support.pages import parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import csrf, page_at, signed_in_client

REASON = "Checked name and prison number against the wing roll, in person."


def look_up(services: Services, establishment: int, code: str) -> Report | None:
    with services.db.transaction() as session:
        return find_report_by_code(
            session,
            entered=code,
            seeker=Seeker(establishment_id=establishment, session="test"),
            pepper=services.secrets.code_pepper,
            limits=services.policy.lookup,
            clock=services.clock,
        )


def reissue(client: FlaskClient, report_id: int, reason: str = REASON) -> TestResponse:
    token = csrf(client)  # any staff page's token: the case page may be refused
    return client.post(
        f"/triage/reports/{report_id}/new_code",
        data={"csrf_token": token, "reissue_reason": reason},
    )


@pytest.mark.parametrize("role", ["lead", "deputy"])
def test_the_lead_or_a_deputy_gives_a_new_code_and_the_old_one_dies(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    clock: FixedClock,
    role: str,
) -> None:
    receipt = submit(services, establishment, reporter_identity="Sam Jones A1234BC")
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        set_code_secret(session, report=report, kind="pin", chosen=list("1234"), clock=clock)
    client = signed_in_client(app, services, staff(role), clock)
    response = reissue(client, receipt.report_id)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = parse(response)
    new_code = re.sub(r"\D", "", page.by_id("new-code").text)
    assert len(new_code) == 12 and new_code != receipt.code
    assert look_up(services, establishment, receipt.code) is None  # the old code is dead
    found = look_up(services, establishment, new_code)
    assert found is not None and found.id == receipt.report_id
    assert found.code_secret_hash is None  # the old PIN went with the old code
    case = page_at(client, f"/triage/reports/{receipt.report_id}")
    assert "New follow-up code given" in case.text
    assert REASON in case.text  # the reason is on the timeline, sealed in the database
    assert new_code not in case.text  # shown once, never again
    with services.db.transaction() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.code_reissued")
        ).all()
        assert len(events) == 1
        assert new_code not in str(events[0].detail) and REASON not in str(events[0].detail)


@pytest.mark.parametrize("role", ["governor", "auditor", "admin"])
def test_other_roles_cannot_give_a_new_code(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    clock: FixedClock,
    role: str,
) -> None:
    receipt = submit(services, establishment, reporter_identity="Sam Jones A1234BC")
    client = signed_in_client(app, services, staff(role), clock)
    assert reissue(client, receipt.report_id).status_code == 404
    assert look_up(services, establishment, receipt.code) is not None  # unchanged
    if role != "admin":
        case = page_at(client, f"/triage/reports/{receipt.report_id}")
        assert not case.all("textarea", name="reissue_reason")


def test_no_new_code_for_an_anonymous_report_or_without_a_reason(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    anonymous = submit(services, establishment)
    case = page_at(lead_client, f"/triage/reports/{anonymous.report_id}")
    assert not case.all("textarea", name="reissue_reason")  # not offered
    refused = reissue(lead_client, anonymous.report_id)
    assert refused.status_code == 400
    assert "This report has no name on it" in refused.get_data(as_text=True)
    named = submit(services, establishment, reporter_identity="Sam Jones A1234BC")
    assert page_at(lead_client, f"/triage/reports/{named.report_id}").all(
        "textarea", name="reissue_reason"
    )
    refused = reissue(lead_client, named.report_id, reason="  ")
    assert refused.status_code == 400
    assert "Write something in the box." in refused.get_data(as_text=True)
    for receipt in (anonymous, named):
        assert look_up(services, establishment, receipt.code) is not None  # unchanged
