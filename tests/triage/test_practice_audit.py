"""Practice audits: closed cases drawn at random with the CSPRNG, from the cases the person
drawing may see, and a finding recorded for each, checked against the exact report."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from safeguarding import actions
from safeguarding.access import Role, StaffPrincipal
from safeguarding.actions import ActionContext
from safeguarding.clock import FixedClock
from safeguarding.quality import draw_practice_audit
from safeguarding.services import Services
from storage.models import AuditEvent, PracticeAuditCase, PracticeAuditSample, Report
from tests.factories import submit
from tests.support.pages import assert_nowhere_on, parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, csrf, page_at, signed_in_client

SECOND = timedelta(seconds=1)
FINDING = {
    "responded_in_time": "yes",
    "threshold_recorded": "no",
    "reporter_informed": "yes",
    "record_complete": "yes",
    "wishes_sought": "yes",
    "capacity_considered": "yes",
    "consent_respected": "no",
    "statutory_duties_met": "yes",
    "outcome": "requires_improvement",
}


def closed_cases(
    services: Services, lead: StaffLogin, establishment: int, concerns: list[str], count: int
) -> list[int]:
    ids = []
    for _ in range(count):
        report_id = submit(services, establishment, concerns=concerns).report_id
        with services.db.transaction() as session:
            principal = StaffPrincipal(lead.id, Role.LEAD, frozenset({establishment}))
            ctx = ActionContext(session, principal, services.clock, services.secrets.vault)
            report = session.get(Report, report_id)
            assert report is not None
            actions.close(ctx, report, outcome="resolved_internally")
        ids.append(report_id)
    return ids


def post_draw(client: FlaskClient, **fields: str) -> TestResponse:
    token = csrf(client, "/triage/quality/audits")
    return client.post("/triage/quality/audits", data={"csrf_token": token, **fields})


def draw(client: FlaskClient, **fields: str) -> tuple[int, str]:
    """Draw a sample: the status, and where the new sample is."""
    response = post_draw(client, **fields)
    return response.status_code, response.headers.get("Location", "")


def draw_refused(client: FlaskClient, **fields: str) -> tuple[int, dict[str, str]]:
    """Draw a sample that is refused: the status, and the problems the page names."""
    response = post_draw(client, **fields)
    return response.status_code, parse(response).problems()


def sample_cases(services: Services, sample_id: int) -> list[tuple[int, int]]:
    with services.db.transaction() as session:
        return [
            (case.id, case.report_id)
            for case in session.scalars(
                select(PracticeAuditCase)
                .where(PracticeAuditCase.sample_id == sample_id)
                .order_by(PracticeAuditCase.position)
            )
        ]


@pytest.fixture
def lead(staff: StaffFactory) -> StaffLogin:
    return staff("lead")


def test_an_auditor_draws_closed_cases_they_may_see_and_records_findings(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    lead: StaffLogin,
    establishment: int,
    clock: FixedClock,
) -> None:
    general = closed_cases(services, lead, establishment, ["bullied"], 5)
    closed_cases(services, lead, establishment, ["staff_bad"], 2)
    submit(services, establishment)  # open: never drawn
    auditor = staff("auditor")
    client = signed_in_client(app, services, auditor, clock)
    status, location = draw(client, size="3", window="3")
    assert status == 302
    found = re.search(r"/triage/quality/audits/(\d+)$", location)
    assert found is not None
    sample_id = int(found.group(1))
    cases = sample_cases(services, sample_id)
    assert len(cases) == 3 and {r for _c, r in cases} <= set(general)

    page = page_at(client, f"/triage/quality/audits/{sample_id}")
    assert {f"/triage/reports/{r}" for _c, r in cases} <= set(page.hrefs())
    case_id, report_id = cases[0]
    token = csrf(client, f"/triage/quality/audits/{sample_id}")
    path = f"/triage/quality/audits/{sample_id}/cases/{case_id}"
    refused = client.post(path, data={"csrf_token": token, "outcome": "splendid"})
    assert refused.status_code == 400
    assert parse(refused).problems()[f"case-{case_id}-outcome"] == "Choose the overall finding."
    assert client.post(path, data={"csrf_token": token, **FINDING}).status_code == 302
    with services.db.transaction() as session:
        case = session.get(PracticeAuditCase, case_id)
        assert case is not None and case.outcome == "requires_improvement"
        assert (case.responded_in_time, case.threshold_recorded) == (True, False)
        assert case.reviewed_by == f"staff:{auditor.id}"
        recorded = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "practice_audit.recorded")
        ).one()
        assert recorded.report_id == report_id


def test_every_role_on_every_sample_and_case(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    lead: StaffLogin,
    establishment: int,
    other_establishment: int,
    clock: FixedClock,
) -> None:
    closed_cases(services, lead, establishment, ["bullied"], 2)
    closed_cases(services, lead, establishment, ["staff_bad"], 2)
    other_lead = staff("lead", [other_establishment])
    closed_cases(services, other_lead, other_establishment, ["bullied"], 1)
    samples = {}
    with services.db.transaction() as session:
        for who, where in ((lead, establishment), (other_lead, other_establishment)):
            principal = StaffPrincipal(who.id, Role.LEAD, frozenset({where}))
            sample = draw_practice_audit(
                session, principal=principal, establishment_id=where, size=10,
                closed_since=clock.now().replace(year=2025), closed_before=clock.now() + SECOND,
                clock=clock,
            )  # fmt: skip
            samples[where] = sample.id
    queue_of: dict[int, str] = {}
    with services.db.transaction() as session:
        for report in session.scalars(select(Report)):
            queue_of[report.id] = report.queue
    pairs = [
        (samples[where], where, case_id, samples[where], queue_of[report_id])
        for where in (establishment, other_establishment)
        for case_id, report_id in sample_cases(services, samples[where])
    ]
    assert len(pairs) == 5
    # A case asked for under the wrong sample (another establishment's case) is refused.
    stray = pairs[-1]
    pairs.append((samples[establishment], establishment, stray[2], stray[3], stray[4]))
    for role in Role:
        login = lead if role is Role.LEAD else staff(role.value)
        client = signed_in_client(app, services, login, clock)
        token = csrf(client)
        audits = role in (Role.LEAD, Role.GOVERNOR, Role.AUDITOR)
        for sample_id, place, case_id, case_sample, queue in pairs:
            member = place == establishment
            page = client.get(f"/triage/quality/audits/{sample_id}")
            assert page.status_code == (403 if not audits else 200 if member else 404)
            response = client.post(
                f"/triage/quality/audits/{sample_id}/cases/{case_id}",
                data={"csrf_token": token, **FINDING},
            )
            sees = queue == "general" or role in (Role.LEAD, Role.GOVERNOR)
            allowed = audits and member and sees and case_sample == sample_id
            expected = 302 if allowed else (403 if not audits else 404)
            assert response.status_code == expected, (role, sample_id, case_id, queue)


def test_an_auditor_sees_that_restricted_cases_are_hidden(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    lead: StaffLogin,
    establishment: int,
    clock: FixedClock,
) -> None:
    closed_cases(services, lead, establishment, ["staff_bad"], 2)
    lead_client = signed_in_client(app, services, lead, clock)
    status, location = draw(lead_client, size="5", window="1")
    assert status == 302
    auditor_client = signed_in_client(app, services, staff("auditor"), clock)
    page = page_at(auditor_client, location)
    assert page.region("hidden-cases").startswith("2 cases in this sample are restricted")
    assert_nowhere_on(page, "/triage/reports/")  # no way to the restricted reports


def test_samples_are_drawn_at_random_and_problems_are_named(
    app: Flask,
    services: Services,
    lead: StaffLogin,
    establishment: int,
    clock: FixedClock,
) -> None:
    client = signed_in_client(app, services, lead, clock)
    status, problems = draw_refused(client, size="3", window="3")
    assert status == 400
    assert problems == {"window": "No cases you can see were closed in that period."}
    status, problems = draw_refused(client, size="0", window="7")
    assert status == 400
    assert problems == {
        "size": "Enter a number from 1 to 50.",
        "window": "Choose which cases to draw from.",
    }
    closed_cases(services, lead, establishment, ["bullied"], 10)
    drawn = set()
    with services.db.transaction() as session:
        principal = StaffPrincipal(lead.id, Role.LEAD, frozenset({establishment}))
        for _ in range(30):
            sample = draw_practice_audit(
                session, principal=principal, establishment_id=establishment, size=2,
                closed_since=clock.now().replace(year=2025), closed_before=clock.now() + SECOND,
                clock=clock,
            )  # fmt: skip
            picked = session.scalars(
                select(PracticeAuditCase.report_id).where(PracticeAuditCase.sample_id == sample.id)
            ).all()
            assert len(set(picked)) == 2
            drawn.add(frozenset(picked))
        assert session.query(PracticeAuditSample).count() == 30
    # 45 possible pairs: thirty draws that all came out alike would mean no randomness.
    assert len(drawn) > 5


def test_a_case_that_became_restricted_is_refused_and_the_refusal_stays_on_record(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    lead: StaffLogin,
    establishment: int,
    clock: FixedClock,
) -> None:
    """Drawn while general, then re-categorised as staff misconduct (restricted for good):
    the auditor's finding is refused, and the refusal is in the audit log, not rolled back
    with the request."""
    closed_cases(services, lead, establishment, ["bullied"], 1)
    auditor = staff("auditor")
    client = signed_in_client(app, services, auditor, clock)
    status, location = draw(client, size="1", window="3")
    assert status == 302
    sample_id = int(location.rsplit("/", 1)[1])
    [(case_id, report_id)] = sample_cases(services, sample_id)
    token = csrf(client, f"/triage/quality/audits/{sample_id}")
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        report.queue = "restricted"
    path = f"/triage/quality/audits/{sample_id}/cases/{case_id}"
    assert client.post(path, data={"csrf_token": token, **FINDING}).status_code == 404
    with services.db.transaction() as session:
        refusals = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "report.access_denied",
                AuditEvent.actor == f"staff:{auditor.id}",
            )
        ).all()
        case = session.get(PracticeAuditCase, case_id)
        assert case is not None and case.outcome is None
    assert len(refusals) == 1
