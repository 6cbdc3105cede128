"""The officer tally: how many reports name each member of staff, for the lead and the
governor only, counting only what they may read and never their own name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from safeguarding.access import AccessDenied, Role, StaffPrincipal
from safeguarding.clock import FixedClock
from safeguarding.conflicts import name_indexes
from safeguarding.officer_tally import officer_tally, quarters_to
from safeguarding.people import AT_RISK, CAUSING_HARM, PersonGiven
from safeguarding.services import Services
from storage.models import AuditEvent, Report, ReportPerson, StaffUser
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import page_at, signed_in_client

DUNMORE = "Ann Dunmore"
KETCH = "Bob Ketch"


def staff_named(name: str, role: str = CAUSING_HARM) -> PersonGiven:
    return PersonGiven(role, "staff", "name", name)


def made_at(services: Services, report_id: int, at: datetime) -> None:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        report.created_at = at


def reports_naming_staff(services: Services, here: int, elsewhere: int) -> dict[str, int]:
    """Reports as a lead's tally must count them (or not), by what each one tests."""
    ids = {
        "dunmore_now": submit(services, here, people=(staff_named(DUNMORE),)).report_id,
        # The same officer, written another way, at risk this time, in an earlier quarter.
        "dunmore_spring": submit(
            services, here, concerns=["made_to_pay"],
            people=(staff_named("DUNMORE, ann", role=AT_RISK),),
        ).report_id,
        "dunmore_restricted": submit(
            services, here, staff_involved="yes", people=(staff_named(DUNMORE),)
        ).report_id,
        "dunmore_last_year": submit(services, here, people=(staff_named(DUNMORE),)).report_id,
        "dunmore_elsewhere": submit(services, elsewhere, people=(staff_named(DUNMORE),)).report_id,
        "ketch": submit(services, here, people=(staff_named(KETCH),)).report_id,
        "a_prisoner": submit(
            services, here, people=(PersonGiven(CAUSING_HARM, "prisoner", "name", DUNMORE),)
        ).report_id,
        "removed": submit(services, here, people=(staff_named("Cyril Removed"),)).report_id,
    }  # fmt: skip
    made_at(services, ids["dunmore_spring"], datetime(2026, 5, 10, 9, tzinfo=UTC))
    made_at(services, ids["dunmore_last_year"], datetime(2025, 12, 20, 9, tzinfo=UTC))
    with services.db.transaction() as session:
        row = session.scalars(
            select(ReportPerson).where(ReportPerson.report_id == ids["removed"])
        ).one()
        row.removed_at, row.removed_by = datetime(2026, 11, 1, tzinfo=UTC), "staff:1"
    return ids


def test_the_lead_sees_each_officer_once_by_quarter_and_category_and_it_is_on_record(
    app: Flask,
    services: Services,
    establishment: int,
    other_establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    reports_naming_staff(services, establishment, other_establishment)
    lead = signed_in_client(app, services, staff("lead"), clock)

    page = page_at(lead, "/triage/officer-tally")

    rows = page.table("tally-table")
    assert [r["Named as"] for r in rows] == [f"Name: {DUNMORE}", f"Name: {KETCH}"]
    dunmore, ketch = rows
    assert (dunmore["Q1 2026"], dunmore["Q2 2026"], dunmore["Q3 2026"], dunmore["Q4 2026"]) == (
        "0", "1", "0", "2",
    )  # fmt: skip
    assert dunmore["Total"] == "3" and ketch["Total"] == "1"
    assert dunmore["Categories"].startswith("Bullying and debt: 3")
    assert "Financial or material abuse: 1" in dunmore["Categories"]
    with services.db.transaction() as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "officer_tally.viewed")
        ).one()
    assert DUNMORE not in audit.detail and KETCH not in audit.detail


def test_a_report_naming_the_lead_is_with_the_reviewer_and_not_in_the_tally(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    lead_login = staff("lead")
    lead = signed_in_client(app, services, lead_login, clock)
    governor = signed_in_client(app, services, staff("governor"), clock)
    with services.db.transaction() as session:
        user = session.get(StaffUser, lead_login.id)
        assert user is not None
        lead_name = user.display_name
    submit(services, establishment, people=(staff_named(lead_name), staff_named(KETCH)))
    for viewer in (lead, governor):
        assert page_at(viewer, "/triage/officer-tally").has_id("tally-empty")


def test_a_viewer_never_sees_their_own_group_nor_the_reports_that_name_them(
    services: Services, establishment: int
) -> None:
    both = submit(services, establishment, people=(staff_named(KETCH), staff_named(DUNMORE)))
    submit(services, establishment, people=(staff_named(DUNMORE),))
    assert both.report_id
    with services.db.transaction() as session:
        mine = name_indexes(session, KETCH)
        as_ketch = StaffPrincipal(7, Role.GOVERNOR, frozenset({establishment}), KETCH, mine)
        tally = officer_tally(session, as_ketch, services.secrets.vault, now=services.clock.now())
        as_other = StaffPrincipal(8, Role.GOVERNOR, frozenset({establishment}), "Someone")
        everyone = officer_tally(
            session, as_other, services.secrets.vault, now=services.clock.now()
        )
    assert [(g.identifier, g.total) for g in tally.groups] == [(DUNMORE, 1)]
    assert [(g.identifier, g.total) for g in everyone.groups] == [(DUNMORE, 2), (KETCH, 1)]


@pytest.mark.parametrize("role", ["deputy", "auditor", "admin", "reviewer"])
def test_no_other_role_finds_the_page_or_the_link(
    app: Flask,
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
    role: str,
) -> None:
    login = staff("deputy" if role == "reviewer" else role)
    if role == "reviewer":
        with services.db.transaction() as session:
            user = session.get(StaffUser, login.id)
            assert user is not None
            user.role = "reviewer"
    submit(services, establishment, people=(staff_named(KETCH),))
    client = signed_in_client(app, services, login, clock)
    assert client.get("/triage/officer-tally").status_code == 404
    assert "/triage/officer-tally" not in page_at(client, "/triage/account").hrefs()
    with services.db.transaction() as session:
        principal = StaffPrincipal(login.id, Role(role), frozenset({establishment}))
        with pytest.raises(AccessDenied):
            officer_tally(session, principal, services.secrets.vault, now=services.clock.now())


@pytest.mark.parametrize("role", ["lead", "governor"])
def test_the_lead_and_governor_have_the_link(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, role: str
) -> None:
    client = signed_in_client(app, services, staff(role), clock)
    assert "/triage/officer-tally" in page_at(client, "/triage/account").hrefs()


def test_the_last_twelve_months_are_four_quarters_ending_now() -> None:
    quarters = quarters_to(datetime(2027, 2, 3, tzinfo=UTC))
    assert [(q.year, q.number) for q in quarters] == [(2026, 2), (2026, 3), (2026, 4), (2027, 1)]
