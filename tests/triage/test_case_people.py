"""Staff add, correct and remove the people a report names on the case page, each with a
reason sealed on the timeline; and what that does to who may read the report."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.people import CAUSING_HARM, PersonGiven
from safeguarding.services import Services
from storage.models import AuditEvent, Report, ReportPerson, StaffUser
from tests.core.test_storage import _raw_database_bytes
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, csrf, page_at, queue_ids, signed_in_client
from tests.triage.test_case import act, case_page, timeline
from tests.triage.test_handover import handover_of
from tests.triage.test_timeline_text import choose_welsh

REASON = "Officer on the wing says the bully is Quentin Marchbanks, not the man first named."
OFFICER = "Quentin Marchbanks"


def person(role: str = CAUSING_HARM, kind: str = "prisoner", **fields: str) -> dict[str, str]:
    return {"person_role": role, "person_kind": kind, "person_reason": REASON, **fields}


def named(name: str) -> dict[str, str]:
    return person(kind="staff", person_identifier_kind="name", person_identifier=name)


def display_name(services: Services, login: StaffLogin) -> str:
    with services.db.transaction() as session:
        user = session.get(StaffUser, login.id)
        assert user is not None
        return user.display_name


def rows(services: Services, report_id: int) -> list[ReportPerson]:
    with services.db.transaction() as session:
        return list(
            session.scalars(
                select(ReportPerson)
                .where(ReportPerson.report_id == report_id)
                .order_by(ReportPerson.id)
            )
        )


def independent_reviewer(services: Services, staff: StaffFactory) -> StaffLogin:
    """A member of the establishment whose role is the independent reviewer's (no invitation
    makes one yet: an administrator's role change would)."""
    login = staff("deputy")
    with services.db.transaction() as session:
        user = session.get(StaffUser, login.id)
        assert user is not None
        user.role = "reviewer"
    return login


def queue_of(services: Services, report_id: int) -> str:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        return report.queue


def test_the_lead_adds_corrects_and_removes_a_person_each_on_record_with_the_reason_sealed(
    lead_client: FlaskClient, services: Services, establishment: int, database_kind: str
) -> None:
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    assert case_page(lead_client, report_id).region("people-none") == (
        "The report does not name anyone yet."
    )

    status, _ = act(lead_client, report_id, "person_add", **named("Jon Smyth"))
    assert status == 302
    page = case_page(lead_client, report_id)
    assert page.flashes == ["Person added. The reason is on the timeline."]
    [row] = page.table("people-table")
    assert row["Role"] == "Causing the harm" and row["Who"] == "A member of staff"
    assert row["Identified by"] == "Name: Jon Smyth"
    assert row["Added by"].startswith("Test Lead")
    added = timeline(page)[0]
    assert added.startswith("Person added")
    assert "The report now names someone causing the harm: A member of staff." in added
    assert REASON in added

    [first] = rows(services, report_id)
    status, _ = act(
        lead_client, report_id, "person_correct", fix_person_id=str(first.id),
        fix_person_role=CAUSING_HARM, fix_person_kind="staff",
        fix_person_identifier_kind="name", fix_person_identifier=OFFICER,
        fix_reason="The name was misheard.",
    )  # fmt: skip
    assert status == 302
    [row] = case_page(lead_client, report_id).table("people-table")
    assert row["Identified by"] == f"Name: {OFFICER}"

    current = [r for r in rows(services, report_id) if r.removed_at is None]
    status, _ = act(
        lead_client, report_id, "person_remove", fix_person_id=str(current[0].id),
        fix_reason="Named on the wrong report.",
    )  # fmt: skip
    assert status == 302
    page = case_page(lead_client, report_id)
    assert page.has_id("people-none")
    assert "Taken off the report as causing the harm" in timeline(page)[0]
    # Nothing deleted: both rows are kept, marked removed, by whom.
    kept = rows(services, report_id)
    assert len(kept) == 2 and all(r.removed_at is not None for r in kept)
    with services.db.transaction() as session:
        audits = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("report.person_%"))
        ).all()
    assert [a.action for a in audits] == [
        "report.person_added", "report.person_removed", "report.person_added",
        "report.person_removed",
    ]  # fmt: skip
    for audit in audits:
        assert OFFICER not in audit.detail and "misheard" not in audit.detail
        assert set(json.loads(audit.detail)) == {"person_id", "role", "kind"}
    raw = _raw_database_bytes(database_kind, services.db.engine.url.render_as_string(False))
    for secret in (REASON, "misheard", "Named on the wrong report", OFFICER, "Jon Smyth"):
        assert secret.encode() not in raw


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (person(person_reason=" "), "person_reason", "Write something in the box."),
        (person(role=""), "person_role", "Choose whether they are at risk or causing the harm."),
        (person(kind="self"), "person_kind", "Choose who they are from the list."),
        (
            person(person_identifier_kind="prison_number", person_identifier="12345"),
            "person_identifier",
            "Enter a prison number like A1234BC.",
        ),
        (
            person(kind="not_known", person_identifier_kind="name", person_identifier="Al"),
            "person_identifier",
            "Leave the name or number empty for that choice.",
        ),
        (
            person(person_identifier="Al"),
            "person_identifier_kind",
            "Choose what you typed: a name, a prison number, a staff number or a description.",
        ),
    ],
)
def test_a_wrong_person_is_refused_keeping_what_was_typed(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    status, page = act(lead_client, report_id, "person_add", **fields)
    assert status == 400
    assert page.field_error(field).startswith(message)
    assert page.value("person_reason") == fields["person_reason"].strip()
    assert page.value("person_identifier") == fields.get("person_identifier", "")
    assert rows(services, report_id) == []


def test_the_same_person_twice_or_an_unchanged_correction_is_refused(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    assert act(lead_client, report_id, "person_add", **named(OFFICER))[0] == 302
    status, page = act(lead_client, report_id, "person_add", **named(f"officer {OFFICER.upper()}"))
    assert status == 400
    assert page.field_error("person_identifier") == (
        "The report already names this person in that way."
    )
    [row] = rows(services, report_id)
    status, page = act(
        lead_client, report_id, "person_correct", fix_person_id=str(row.id),
        fix_person_role=CAUSING_HARM, fix_person_kind="staff",
        fix_person_identifier_kind="name", fix_person_identifier=OFFICER, fix_reason="typo",
    )  # fmt: skip
    assert status == 400
    assert page.field_error("fix_person_identifier") == (
        "These are the details the report already has."
    )
    status, page = act(lead_client, report_id, "person_remove", fix_reason="wrong")
    assert status == 400 and page.field_error("fix_person_id") == (
        "Choose someone the report names."
    )
    assert page.value("fix_reason") == "wrong"


def test_a_person_on_another_report_cannot_be_removed_through_this_one(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    mine = submit(
        services, establishment, people=(PersonGiven(CAUSING_HARM, "prisoner", "name", "Cy D"),)
    ).report_id
    other = submit(
        services, establishment, people=(PersonGiven(CAUSING_HARM, "prisoner", "name", "Al B"),)
    ).report_id
    [theirs] = rows(services, other)
    status, page = act(
        lead_client, mine, "person_remove", fix_person_id=str(theirs.id), fix_reason="mine now"
    )
    assert status == 400 and page.field_error("fix_person_id")
    assert rows(services, other)[0].removed_at is None


def test_a_deputy_cannot_name_anyone_on_a_restricted_report(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, staff_involved="yes").report_id
    assert queue_of(services, report_id) == "restricted"
    deputy = signed_in_client(app, services, staff("deputy"), clock)
    response = deputy.post(
        f"/triage/reports/{report_id}/person_add",
        data={"csrf_token": csrf(deputy), **named(OFFICER)},
    )
    assert response.status_code == 404
    assert rows(services, report_id) == []


def test_naming_the_lead_moves_the_case_to_the_independent_reviewer(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    lead_login, deputy_login = staff("lead"), staff("deputy")
    lead = signed_in_client(app, services, lead_login, clock)
    reviewer = signed_in_client(app, services, independent_reviewer(services, staff), clock)
    deputy = signed_in_client(app, services, deputy_login, clock)
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    assert report_id in queue_ids(lead)

    status, _ = act(deputy, report_id, "person_add", **named(display_name(services, lead_login)))

    assert status == 302
    assert queue_of(services, report_id) == "independent"
    [banner] = page_at(deputy, "/triage/queue").flashes
    assert "moved to the independent reviewer" in banner
    for hidden_from in (lead, deputy):
        assert hidden_from.get(f"/triage/reports/{report_id}").status_code == 404
        assert report_id not in queue_ids(hidden_from)
    page = case_page(reviewer, report_id)
    assert report_id in queue_ids(reviewer)
    assert (
        "Moved to the independent reviewer: this report names a safeguarding lead or governor"
        in timeline(page)[0]
    )


def test_a_lead_who_names_themselves_is_sent_to_the_queue_not_a_missing_page(
    app: Flask, services: Services, establishment: int, lead: StaffLogin, clock: FixedClock
) -> None:
    client = signed_in_client(app, services, lead, clock)
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    response = client.post(
        f"/triage/reports/{report_id}/person_add",
        data={"csrf_token": csrf(client), **named(display_name(services, lead))},
    )
    assert response.status_code == 302 and response.location.endswith("/triage/queue")
    assert page_at(client, "/triage/queue").flashes == [
        "Saved. The report now names you, so you can no longer see it."
    ]
    assert client.get(f"/triage/reports/{report_id}").status_code == 404


@pytest.mark.parametrize("role", ["deputy", "auditor", "governor"])
def test_a_named_officer_of_any_role_cannot_find_the_report(
    app: Flask,
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
    lead_client: FlaskClient,
    role: str,
) -> None:
    officer = staff(role)
    handover_of(app, services, officer, clock)  # they were here before the report came in
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    assert (
        act(lead_client, report_id, "person_add", **named(display_name(services, officer)))[0]
        == 302
    )
    client = signed_in_client(app, services, officer, clock)
    assert client.get(f"/triage/reports/{report_id}").status_code == 404
    assert report_id not in queue_ids(client)
    assert handover_of(app, services, officer, clock).get("handover-new") == "0 new reports"
    # Someone else of the same role, not named, still sees it (unless it went independent).
    colleague = signed_in_client(app, services, staff(role), clock)
    expected = 404 if role == "governor" else 200
    assert colleague.get(f"/triage/reports/{report_id}").status_code == expected


def test_a_closed_report_must_be_reopened_first(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        report.status = "closed"
    status, page = act(lead_client, report_id, "person_add", **named(OFFICER))
    assert status == 400 and page.error_summary() == {
        "status": "This report is closed. Change its status to reopen it first."
    }
    assert rows(services, report_id) == []
    assert "person_role" not in case_page(lead_client, report_id).fields()


def test_a_welsh_reader_reads_the_people_and_the_move_in_welsh(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    lead_login = staff("lead")
    reviewer = signed_in_client(app, services, independent_reviewer(services, staff), clock)
    choose_welsh(reviewer)
    report_id = submit(
        services, establishment, people=(PersonGiven(CAUSING_HARM, "staff", "name", OFFICER),)
    ).report_id
    lead = signed_in_client(app, services, lead_login, clock)
    assert act(lead, report_id, "person_add", **named(display_name(services, lead_login)))[0] == 302

    page = case_page(reviewer, report_id)
    moved, added = timeline(page)[:2]
    assert "Wedi symud at yr adolygydd annibynnol" in moved
    assert "Mae'r adroddiad bellach yn enwi rhywun sy'n achosi'r niwed: Aelod o staff." in added
    assert list(page.table("people-table")[0].values())[:2] == [
        "Yn achosi'r niwed",
        "Aelod o staff",
    ]


def test_a_colleague_removing_the_named_officer_does_not_open_the_report_to_them(
    app: Flask, services: Services, establishment: int, staff: StaffFactory,
    clock: FixedClock, lead_client: FlaskClient,
) -> None:  # fmt: skip
    """Collusion, or an honest mistake: a colleague takes the officer's name off the report
    ("wrong man"). The officer it accused still cannot open it, list it or count it: once
    named, named for conflict of interest. The removal stays on record, with its reason."""
    officer = staff("deputy")
    report_id = submit(services, establishment, concerns=["bullied"]).report_id
    assert (
        act(lead_client, report_id, "person_add", **named(display_name(services, officer)))[0]
        == 302
    )
    [row] = rows(services, report_id)
    status, _ = act(
        lead_client, report_id, "person_remove", fix_person_id=str(row.id),
        fix_reason="Named on the wrong report.",
    )  # fmt: skip
    assert status == 302
    assert all(r.removed_at is not None for r in rows(services, report_id))
    client = signed_in_client(app, services, officer, clock)
    assert client.get(f"/triage/reports/{report_id}").status_code == 404
    assert report_id not in queue_ids(client)
    assert handover_of(app, services, officer, clock).get("handover-new") == "0 new reports"
    colleague = signed_in_client(app, services, staff("deputy"), clock)
    assert colleague.get(f"/triage/reports/{report_id}").status_code == 200
    assert case_page(lead_client, report_id).region("people-none") == (
        "The report does not name anyone yet."
    )
