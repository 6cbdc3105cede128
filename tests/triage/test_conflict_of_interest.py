"""Conflict of interest (issue 14): a member of staff named in a report cannot read it, and
a report naming the lead or a governor goes to an independent reviewer, not to them.

As a curious officer would try it: the case number typed into the address bar, the queue,
the handover box; and as the independent reviewer would work it."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient

from safeguarding.clock import FixedClock
from safeguarding.people import CAUSING_HARM, PersonGiven
from safeguarding.services import Services
from storage.models import Report, StaffUser
from tests.factories import submit
from tests.support.pages import parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, page_at, queue_ids, signed_in_client
from tests.triage.test_case import act


def name_of(services: Services, login: StaffLogin) -> str:
    with services.db.transaction() as session:
        user = session.get(StaffUser, login.id)
        assert user is not None
        return user.display_name


def report_naming(services: Services, establishment: int, name: str, **extra: object) -> int:
    person = PersonGiven(CAUSING_HARM, "staff", "name", name)
    return submit(services, establishment, people=(person,), **extra).report_id


def queue_of(services: Services, report_id: int) -> str:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        return report.queue


def client_for(app: Flask, services: Services, login: StaffLogin, clock: FixedClock) -> FlaskClient:
    return signed_in_client(app, services, login, clock)


def test_the_named_officer_gets_not_found_and_no_queue_row(
    app: Flask, services: Services, clock: FixedClock, establishment: int, staff: StaffFactory
) -> None:
    named, colleague = staff("deputy"), staff("deputy")
    # Written as a prisoner would: surname first, capitals, an extra space.
    first, last = name_of(services, named).rsplit(" ", 1)
    report_id = report_naming(services, establishment, f"{last.upper()},  {first}")
    assert queue_of(services, report_id) == "general"  # a deputy is not oversight
    as_named = client_for(app, services, named, clock)
    page_at(as_named, f"/triage/reports/{report_id}", status=404)
    assert report_id not in queue_ids(as_named)
    as_colleague = client_for(app, services, colleague, clock)
    assert report_id in queue_ids(as_colleague)
    page_at(as_colleague, f"/triage/reports/{report_id}")


def test_the_404_for_the_named_is_the_404_for_a_report_that_does_not_exist(
    app: Flask, services: Services, clock: FixedClock, establishment: int, staff: StaffFactory
) -> None:
    named = staff("deputy")
    report_id = report_naming(services, establishment, name_of(services, named))
    as_named = client_for(app, services, named, clock)
    hidden = as_named.get(f"/triage/reports/{report_id}")
    missing = as_named.get("/triage/reports/987654")
    assert hidden.status_code == missing.status_code == 404
    assert parse(hidden).text == parse(missing).text  # the page names neither number


def test_a_report_naming_the_lead_goes_to_the_independent_reviewer_not_the_lead_or_governor(
    app: Flask, services: Services, clock: FixedClock, establishment: int, staff: StaffFactory,
    other_establishment: int,
) -> None:  # fmt: skip
    lead, governor = staff("lead"), staff("governor")
    reviewer, reviewer_elsewhere = staff("reviewer"), staff("reviewer", [other_establishment])
    report_id = report_naming(services, establishment, name_of(services, lead))
    assert queue_of(services, report_id) == "independent"
    for login in (lead, governor, reviewer_elsewhere):
        client = client_for(app, services, login, clock)
        page_at(client, f"/triage/reports/{report_id}", status=404)
        assert report_id not in queue_ids(client)
    as_reviewer = client_for(app, services, reviewer, clock)
    assert report_id in queue_ids(as_reviewer)
    case = page_at(as_reviewer, f"/triage/reports/{report_id}")
    assert "Independent: names the lead or a governor" in case.text


def test_the_reviewer_reads_nothing_but_the_independent_queue(
    app: Flask, services: Services, clock: FixedClock, establishment: int, staff: StaffFactory
) -> None:
    reviewer = staff("reviewer")
    ordinary = submit(services, establishment).report_id
    restricted = submit(services, establishment, staff_involved="yes").report_id
    client = client_for(app, services, reviewer, clock)
    assert queue_ids(client) == []
    for report_id in (ordinary, restricted):
        page_at(client, f"/triage/reports/{report_id}", status=404)


def test_a_staff_report_naming_a_governor_skips_the_restricted_queue_for_independent(
    app: Flask, services: Services, clock: FixedClock, establishment: int, staff: StaffFactory
) -> None:
    governor = staff("governor")
    report_id = report_naming(
        services, establishment, name_of(services, governor), staff_involved="yes"
    )
    assert queue_of(services, report_id) == "independent"


def test_the_named_officer_is_never_offered_or_given_the_case(
    app: Flask, services: Services, clock: FixedClock, establishment: int, staff: StaffFactory,
    lead_client: FlaskClient,
) -> None:  # fmt: skip
    named, colleague = staff("deputy"), staff("deputy")
    report_id = report_naming(services, establishment, name_of(services, named))
    choices = page_at(lead_client, f"/triage/reports/{report_id}").options("assign_staff")
    assert str(colleague.id) in choices and str(named.id) not in choices
    assert act(lead_client, report_id, "assign", assign_staff=str(named.id))[0] == 400
    assert act(lead_client, report_id, "assign", assign_staff=str(colleague.id))[0] == 302


def _report_ids_in_audit_export(client: FlaskClient, query: str = "") -> set[str]:
    exported = client.get(f"/triage/audit/export.csv{query}")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0][4] == "report_id"
    return {row[4] for row in rows[1:]}


def test_an_auditor_named_in_a_report_finds_no_trace_of_it_in_the_audit_log(
    app: Flask, services: Services, clock: FixedClock, establishment: int, staff: StaffFactory
) -> None:
    """An auditor reads the log of everyone's work; a report accusing them would show
    there as a case someone opened, assigned, referred. Found in a read of the audit page
    after conflict of interest was built: the queue hid it, the audit log did not."""
    named, colleague, lead = staff("auditor"), staff("auditor"), staff("lead")
    report_id = report_naming(services, establishment, name_of(services, named))
    other_id = submit(services, establishment).report_id
    as_lead = client_for(app, services, lead, clock)
    page_at(as_lead, f"/triage/reports/{report_id}")  # the lead's read is audited
    page_at(as_lead, f"/triage/reports/{other_id}")
    as_named = client_for(app, services, named, clock)
    seen_by_named = _report_ids_in_audit_export(as_named)
    assert str(other_id) in seen_by_named
    assert str(report_id) not in seen_by_named
    assert _report_ids_in_audit_export(as_named, f"?report={report_id}") == set()
    on_screen = page_at(as_named, f"/triage/audit?report={report_id}")
    assert on_screen.all("tbody")
    assert len(on_screen.by_class("govuk-table__row")) == 1  # the heading row alone
    assert str(report_id) in _report_ids_in_audit_export(
        client_for(app, services, colleague, clock)
    )
