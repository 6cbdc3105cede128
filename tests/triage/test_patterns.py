"""The patterns page (issue 14): reports by wing, category and ISO week, counted right at
the week's edges, only those the reader may see, drawn as heat maps that agree with their
tables, and read on record. The clock starts on Saturday 28 Nov 2026, in the week of
Monday 23 Nov."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from safeguarding.access import Role, StaffPrincipal
from safeguarding.clock import FixedClock
from safeguarding.patterns import (
    clamp_weeks,
    gather_patterns,
    shade,
    shade_bounds,
    week_window,
)
from safeguarding.services import Services
from storage.models import AuditEvent, Location, Report
from tests.factories import submit
from tests.support.pages import Page
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, page_at, signed_in_client


def at(day: int, month: int = 11, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def wing(services: Services, establishment: int, name: str) -> int:
    with services.db.transaction() as session:
        return session.scalars(
            select(Location.id).where(
                Location.establishment_id == establishment, Location.name == name
            )
        ).one()


def report(
    services: Services, establishment: int, concern: str, when: datetime, place: str | None
) -> int:
    location = wing(services, establishment, place) if place else None
    report_id = submit(
        services, establishment, concerns=[concern], location_id=location,
        staff_involved="yes" if concern == "staff_bad" else "no",
    ).report_id  # fmt: skip
    with services.db.transaction() as session:
        session.execute(update(Report).where(Report.id == report_id).values(created_at=when))
    return report_id


@pytest.fixture
def seeded(services: Services, establishment: int, other_establishment: int) -> None:
    """Sexual abuse on A Wing either side of midnight into Monday 23 Nov and on the first
    and last moments of the 12-week window; grooming 3 times on B Wing one week (hot);
    neglect with no place given; a restricted report on A Wing; one at another prison."""
    report(services, establishment, "sexual", at(22, hour=23, minute=59, second=59), "A Wing")
    report(services, establishment, "sexual", at(23, hour=0), "A Wing")
    report(services, establishment, "sexual", at(28, hour=8), "A Wing")
    report(services, establishment, "sexual", at(7, month=9, hour=0), "A Wing")  # first moment
    report(services, establishment, "sexual", at(6, month=9, hour=23, minute=59), "A Wing")  # out
    for day in (16, 18, 22):
        report(services, establishment, "fake_friend", at(day), "B Wing")
    report(services, establishment, "no_care", at(24), None)
    report(services, establishment, "staff_bad", at(25), "A Wing")
    report(services, other_establishment, "sexual", at(24), "A Wing")


def counts_of(page: Page, table_id: str) -> dict[str, dict[str, str]]:
    return {row[""]: row for row in page.table(table_id)}


def test_counts_by_wing_category_and_week_at_the_edges(
    lead_client: FlaskClient, seeded: None, services: Services, lead: StaffLogin
) -> None:
    page = page_at(lead_client, "/triage/patterns")
    sexual = counts_of(page, "table-sexual")
    a_wing = sexual["A Wing"]
    # 23:59:59 on Sunday is the week before; midnight on Monday starts a week.
    assert (a_wing["23 Nov"], a_wing["16 Nov"], a_wing["7 Sep"]) == ("2", "1", "1")
    assert a_wing["Total"] == "4"  # 6 Sep is before the 12 weeks; the other prison's is not ours
    assert "31 Aug" not in a_wing and len(a_wing) == 14  # the wing, the total and 12 weeks
    assert sexual["B Wing"]["Total"] == "0" and sexual["Healthcare"]["Total"] == "0"
    assert counts_of(page, "table-neglect")["Not known"]["23 Nov"] == "1"
    matrix = counts_of(page, "table-matrix")
    assert matrix["Exploitation and grooming"]["B Wing"] == "3"
    assert matrix["Sexual abuse"] == {
        "": "Sexual abuse", "Total": "4", "A Wing": "4", "B Wing": "0",
        "Healthcare": "0", "Not known": "0",
    }  # fmt: skip
    assert matrix["Staff misconduct"]["A Wing"] == "1"  # the lead sees the restricted queue
    assert page.table("table-hot") == [
        {"Wing or place": "B Wing", "Category": "Exploitation and grooming",
         "Week starting": "16 Nov 2026", "Reports": "3"},
    ]  # fmt: skip
    with services.db.transaction() as session:
        viewed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "patterns.viewed")
        ).one()
    assert viewed.actor == f"staff:{lead.id}" and '"weeks":12' in viewed.detail


def test_each_heat_map_agrees_with_its_table_and_keeps_to_the_csp(
    lead_client: FlaskClient, seeded: None
) -> None:
    response = lead_client.get("/triage/patterns")
    assert response.headers["Cache-Control"] == "no-store"
    page = page_at(lead_client, "/triage/patterns")
    assert [e.tag for e in page.elements if "style" in e.attrs] == []
    assert [e for e in page.all("script") if "src" not in e.attrs] == []
    maps = [e for e in page.all("svg") if "triage-heat" in e.classes]
    assert [m.id for m in maps] == [
        "heat-matrix", "heat-sexual", "heat-organisational", "heat-neglect",
        "heat-exploitation_grooming", "heat-staff_misconduct",
    ]  # fmt: skip
    for svg in maps[1:]:
        cells = page.inside(svg, "g", class_="triage-heat__cell")
        drawn = [int(cell.attrs["data-count"]) for cell in cells]
        rows = page.table(svg.id.replace("heat-", "table-"))
        weeks = len(rows[0]) - 2
        tabled = [int(v) for row in rows for v in reversed(list(row.values())[2:])]
        assert drawn == tabled, svg.id
        assert len(cells) == len(rows) * weeks
        titles = [page.inside(cell, "title")[0].text for cell in cells]
        assert all(
            title.rsplit(": ", 1)[1] == str(n) for title, n in zip(titles, drawn, strict=True)
        )
    hot = [c for c in page.by_class("triage-heat--hot")]
    assert len(hot) == 1 and hot[0].children[0].text == "B Wing, week of 16 Nov: 3"
    matrix_cells = page.inside(maps[0], "g", class_="triage-heat__cell")
    assert sum(int(c.attrs["data-count"]) for c in matrix_cells) == 4 + 3 + 1 + 2


def test_a_deputy_and_an_auditor_never_see_restricted_reports_counted(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, seeded: None
) -> None:
    for role in ("deputy", "auditor"):
        page = page_at(signed_in_client(app, services, staff(role), clock), "/triage/patterns")
        matrix = counts_of(page, "table-matrix")
        assert "Staff misconduct" not in matrix and "Organisational abuse" not in matrix
        assert not page.has_id("table-staff_misconduct")
        assert matrix["Sexual abuse"]["Total"] == "4"
        assert "Only reports you may see are counted." in page.text
    governor = page_at(
        signed_in_client(app, services, staff("governor"), clock), "/triage/patterns"
    )
    assert counts_of(governor, "table-matrix")["Staff misconduct"]["Total"] == "1"


def test_another_establishments_reports_are_never_counted(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    clock: FixedClock,
    seeded: None,
    establishment: int,
    other_establishment: int,
) -> None:
    both = signed_in_client(
        app, services, staff("lead", [establishment, other_establishment]), clock
    )
    page = page_at(both, "/triage/patterns")
    sexual = counts_of(page, "table-sexual")
    assert sexual["A Wing, HMP Alpha"]["Total"] == "4"
    assert sexual["A Wing, HMP Beta"]["Total"] == "1"
    only_beta = page_at(both, f"/triage/patterns?establishment={other_establishment}")
    assert counts_of(only_beta, "table-matrix")["Sexual abuse"]["Total"] == "1"
    # The lead of HMP Alpha asking for HMP Beta gets their own establishment.
    alpha = page_at(
        signed_in_client(app, services, staff("lead"), clock),
        f"/triage/patterns?establishment={other_establishment}",
    )
    assert counts_of(alpha, "table-matrix")["Sexual abuse"]["Total"] == "4"
    with services.db.transaction() as session:
        principal = StaffPrincipal(1, Role.LEAD, frozenset({establishment}))
        data = gather_patterns(
            session, principal=principal, establishment_ids=frozenset({other_establishment}),
            weeks=12, category=None, now=clock.now(),
        )  # fmt: skip
    assert data.counts == {} and data.places == []


def test_the_period_and_category_filters(lead_client: FlaskClient, seeded: None) -> None:
    def weeks_shown(path: str) -> int:
        return len(page_at(lead_client, path).table("table-sexual")[0]) - 2

    assert weeks_shown("/triage/patterns?weeks=2") == 4
    assert weeks_shown("/triage/patterns?weeks=99") == 26
    assert weeks_shown("/triage/patterns?weeks=nonsense") == 12
    page = page_at(lead_client, "/triage/patterns?weeks=4")
    assert counts_of(page, "table-sexual")["A Wing"]["Total"] == "3"  # not 7 Sep
    one = page_at(lead_client, "/triage/patterns?category=exploitation_grooming")
    assert list(counts_of(one, "table-matrix")) == ["Exploitation and grooming"]
    assert not one.has_id("table-sexual") and one.has_id("table-exploitation_grooming")
    unknown = page_at(lead_client, "/triage/patterns?category=<script>")
    assert unknown.has_id("table-sexual")  # an unknown category is ignored


def test_an_empty_period_says_so(lead_client: FlaskClient) -> None:
    page = page_at(lead_client, "/triage/patterns")
    assert page.region("patterns-empty") == "No reports in this period."
    assert page.has_id("no-hot")


@pytest.mark.parametrize(("role", "status"), [("admin", 403), ("auditor", 200), ("deputy", 200)])
def test_who_may_see_the_page(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, role: str, status: int
) -> None:
    client = signed_in_client(app, services, staff(role), clock)
    assert client.get("/triage/patterns").status_code == status
    nav = page_at(client, "/triage/account").links()
    assert ("Patterns" in nav) == (status == 200)


def test_the_rules_behind_the_page() -> None:
    mondays, since, until = week_window(at(28), 4)
    assert [m.isoformat() for m in mondays] == [
        "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23",
    ]  # fmt: skip
    assert (since, until) == (at(2, hour=0), at(30, hour=0))
    assert week_window(at(23, hour=0), 1)[0][0].isoformat() == "2026-11-23"  # a Monday
    assert [clamp_weeks(v) for v in (None, "", "3", "4", "26", "27", "x", 10)] == [
        12, 12, 4, 4, 26, 26, 12, 10,
    ]  # fmt: skip
    assert shade_bounds(0) == shade_bounds(4) == (1, 2, 3, 4)
    assert shade_bounds(13) == (1, 4, 7, 10)
    assert [shade(n, shade_bounds(13)) for n in (0, 1, 3, 4, 9, 10, 13)] == [0, 1, 1, 2, 3, 4, 4]
