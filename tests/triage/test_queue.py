"""The queue: most urgent first, overdue unmistakable, filters, counts, and who sees what."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import event, select

from safeguarding.actions import DEADLINE_RULES
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent, Location, Report
from storage.repositories.queue import (
    QueueCounts,
    QueueFilters,
    QueueScope,
    fetch_queue,
    queue_counts,
)
from tests.factories import submit
from tests.support.pages import Page
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import page_at, signed_in_client


def queue_ids(page: Page) -> list[int]:
    """The reports the queue table lists, in order."""
    if not page.has_id("queue-table"):
        return []
    return [int(r.attrs["data-report-id"]) for r in page.row_elements(page.by_id("queue-table"))]


def test_most_urgent_first_then_the_nearest_deadline(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    standard_old = submit(services, establishment, concerns=["bullied"]).report_id
    clock.advance(timedelta(minutes=1))
    high = submit(services, establishment, concerns=["sexual"]).report_id
    clock.advance(timedelta(minutes=1))
    immediate = submit(services, establishment, concerns=["hurting_myself"]).report_id
    clock.advance(timedelta(minutes=1))
    standard_new = submit(services, establishment, concerns=["bullied"]).report_id
    clock.advance(timedelta(minutes=1))
    high_later = submit(services, establishment, concerns=["made_to_work"]).report_id
    client = signed_in_client(app, services, staff("lead"), clock)
    queue = page_at(client, "/triage/queue")
    assert queue_ids(queue) == [immediate, high, high_later, standard_old, standard_new]


def test_overdue_reports_are_marked_and_counted(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    late = submit(services, establishment, concerns=["hurting_myself"]).report_id
    clock.advance(timedelta(minutes=20))  # immediate: acknowledge within 15 minutes
    on_time = submit(services, establishment, concerns=["hurting_myself"]).report_id
    client = signed_in_client(app, services, staff("lead"), clock)
    queue = page_at(client, "/triage/queue")
    rows = queue.row_elements(queue.by_id("queue-table"))
    overdue = {int(row.attrs["data-report-id"]): "triage-overdue" in row.classes for row in rows}
    assert overdue == {late: True, on_time: False}
    assert "Overdue (1)" in queue.tabs()
    only = page_at(client, "/triage/queue?overdue=1")
    assert queue_ids(only) == [late]
    assert page_at(client, f"/triage/reports/{late}").has_id("case-overdue")
    assert not page_at(client, f"/triage/reports/{on_time}").has_id("case-overdue")


def test_filters_narrow_the_queue(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    with services.db.transaction() as session:
        wing = session.scalars(
            select(Location).where(Location.establishment_id == establishment)
        ).first()
        assert wing is not None
        wing_id = wing.id
    phone_welsh = submit(
        services, establishment, channel="phone", language="cy", concerns=["made_to_pay"]
    ).report_id
    kiosk_wing = submit(
        services, establishment, location_id=wing_id, concerns=["bullied"]
    ).report_id
    sexual = submit(services, establishment, concerns=["sexual"]).report_id
    client = signed_in_client(app, services, staff("lead"), clock)

    def ids(query: str) -> set[int]:
        return set(queue_ids(page_at(client, f"/triage/queue?{query}")))

    assert ids("channel=phone") == {phone_welsh}
    assert ids("language=cy") == {phone_welsh}
    assert ids(f"location={wing_id}") == {kiosk_wing}
    assert ids("category=sexual") == {sexual}
    assert ids("priority=high") == {sexual}
    assert ids("category=financial&channel=kiosk") == set()
    assert ids("status=closed") == set()
    assert ids("channel=nonsense") == {phone_welsh, kiosk_wing, sexual}  # unknown values ignored


def test_assigned_to_me_and_status_counts(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    first = submit(services, establishment).report_id
    submit(services, establishment)
    lead = staff("lead")
    client = signed_in_client(app, services, lead, clock)
    token = page_at(client, f"/triage/reports/{first}").csrf
    client.post(
        f"/triage/reports/{first}/assign",
        data={"csrf_token": token, "assign_staff": str(lead.id)},
    )
    queue = page_at(client, "/triage/queue")
    assert {"New (2)", "Acknowledged (0)", "Assigned to me (1)"} <= set(queue.tabs())
    assert queue_ids(page_at(client, "/triage/queue?mine=1")) == [first]


def test_restricted_reports_are_only_in_the_lead_and_governor_queues(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    general = submit(services, establishment, concerns=["bullied"]).report_id
    restricted = submit(services, establishment, concerns=["staff_bad"]).report_id
    expected = {
        "lead": {general, restricted},
        "governor": {general, restricted},
        "deputy": {general},
        "auditor": {general},
    }
    for role, ids in expected.items():
        client = signed_in_client(app, services, staff(role), clock)
        queue = page_at(client, "/triage/queue")
        assert set(queue_ids(queue)) == ids, role
        assert queue.tabs()[0] == f"All open ({len(ids)})"  # counts never leak restricted reports
    admin = signed_in_client(app, services, staff("admin"), clock)
    assert admin.get("/triage/queue").status_code == 403


def test_staff_see_only_their_establishments(
    app: Flask,
    services: Services,
    establishment: int,
    other_establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    ours = submit(services, establishment).report_id
    theirs = submit(services, other_establishment).report_id
    both = staff("lead", [establishment, other_establishment])
    one = staff("lead")
    queue_both = page_at(signed_in_client(app, services, both, clock), "/triage/queue")
    queue_one = page_at(signed_in_client(app, services, one, clock), "/triage/queue")
    assert set(queue_ids(queue_both)) == {ours, theirs}
    assert set(queue_ids(queue_one)) == {ours}


def test_viewing_the_queue_is_audited(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    submit(services, establishment)
    deputy = staff("deputy")
    signed_in_client(app, services, deputy, clock).get("/triage/queue?priority=standard")
    with services.db.transaction() as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "queue.viewed")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event is not None
        assert event.actor == f"staff:{deputy.id}"
        assert '"priorities":["standard"]' in event.detail


def test_the_queue_pages_past_fifty(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    for _ in range(53):
        submit(services, establishment)
    client = signed_in_client(app, services, staff("lead"), clock)
    first = page_at(client, "/triage/queue")
    assert len(queue_ids(first)) == 50
    [pages] = first.all("nav", class_="govuk-pagination")
    assert [said.text for said in first.inside(pages, "p")] == ["Page 1 of 2"]
    second = page_at(client, "/triage/queue?page=2")
    assert len(queue_ids(second)) == 3
    assert not set(queue_ids(first)) & set(queue_ids(second))


def test_the_totals_are_right_on_every_page_and_filter(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    """Totals come from the counts by status, a short page, or a count of their own: the
    lead reads the same numbers whichever gives them."""
    for _ in range(51):
        submit(services, establishment)
    high = [submit(services, establishment, concerns=["sexual"]).report_id for _ in range(2)]
    client = signed_in_client(app, services, staff("lead"), clock)

    def caption(query: str) -> str:
        page = page_at(client, f"/triage/queue?{query}")
        if not page.has_id("queue-table"):
            return "none"
        return page.inside(page.by_id("queue-table"), "caption")[0].text.strip()

    assert caption("") == "53 reports, most urgent first"
    assert caption("page=2") == "53 reports, most urgent first"
    assert caption("status=new") == "53 reports, most urgent first"
    assert caption("status=investigating") == "none"
    assert caption("priority=high") == "2 reports, most urgent first"
    assert caption("channel=kiosk") == "53 reports, most urgent first"
    with services.db.transaction() as session:
        for report_id in high:
            report = session.get(Report, report_id)
            assert report is not None
            report.status, report.closed_at = "closed", clock.now()
    assert caption("status=closed") == "2 reports, most urgent first"
    assert caption("status=closed&status=new") == "53 reports, most urgent first"
    assert caption("") == "51 reports, most urgent first"


def test_a_page_whose_total_the_counts_by_status_give_counts_nothing_again(
    services: Services, establishment: int, clock: FixedClock
) -> None:
    for _ in range(53):
        submit(services, establishment)
    scope = QueueScope(frozenset({establishment}), ("general", "restricted"))
    counted: list[str] = []

    def note_counts(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        if "count(" in statement.lower():
            counted.append(statement)

    def total(filters: QueueFilters, counts: QueueCounts) -> int:
        with services.db.transaction() as session:
            event.listen(services.db.engine, "before_cursor_execute", note_counts)
            try:
                page = fetch_queue(
                    session, scope=scope, filters=filters, rules=DEADLINE_RULES,
                    now=clock.now(), counts=counts,
                )  # fmt: skip
            finally:
                event.remove(services.db.engine, "before_cursor_execute", note_counts)
        return page.total

    with services.db.transaction() as session:
        counts = queue_counts(
            session, scope=scope, rules=DEADLINE_RULES, now=clock.now(), staff_id=0
        )
    assert total(QueueFilters(), counts) == 53
    assert total(QueueFilters(statuses=("new",)), counts) == 53
    assert counted == []
    assert total(QueueFilters(channels=("kiosk",)), counts) == 53
    assert len(counted) == 1  # a full page, filtered as the counts by status are not
