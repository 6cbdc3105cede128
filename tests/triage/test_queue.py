"""The queue: most urgent first, overdue unmistakable, filters, counts, and who sees what."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent, Location
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import signed_in_client


def queue_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-report-id="(\d+)"', html)]


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
    html = client.get("/triage/queue").get_data(as_text=True)
    assert queue_ids(html) == [immediate, high, high_later, standard_old, standard_new]


def test_overdue_reports_are_marked_and_counted(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    late = submit(services, establishment, concerns=["hurting_myself"]).report_id
    clock.advance(timedelta(minutes=20))  # immediate: acknowledge within 15 minutes
    on_time = submit(services, establishment, concerns=["hurting_myself"]).report_id
    client = signed_in_client(app, services, staff("lead"), clock)
    html = client.get("/triage/queue").get_data(as_text=True)
    rows = re.findall(
        r'<tr class="govuk-table__row( triage-overdue)?" data-report-id="(\d+)"', html
    )
    assert {int(rid): bool(overdue) for overdue, rid in rows} == {late: True, on_time: False}
    assert "Overdue (1)" in html
    only = client.get("/triage/queue?overdue=1").get_data(as_text=True)
    assert queue_ids(only) == [late]
    assert 'id="case-overdue"' in client.get(f"/triage/reports/{late}").get_data(as_text=True)
    assert 'id="case-overdue"' not in client.get(f"/triage/reports/{on_time}").get_data(
        as_text=True
    )


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
        return set(queue_ids(client.get(f"/triage/queue?{query}").get_data(as_text=True)))

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
    token = re.search(
        r'name="csrf_token" value="([^"]+)"',
        client.get(f"/triage/reports/{first}").get_data(as_text=True),
    )
    assert token is not None
    client.post(
        f"/triage/reports/{first}/assign",
        data={"csrf_token": token.group(1), "assign_staff": str(lead.id)},
    )
    html = client.get("/triage/queue").get_data(as_text=True)
    assert "New (2)" in html and "Acknowledged (0)" in html and "Assigned to me (1)" in html
    assert queue_ids(client.get("/triage/queue?mine=1").get_data(as_text=True)) == [first]


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
        html = client.get("/triage/queue").get_data(as_text=True)
        assert set(queue_ids(html)) == ids, role
        assert f"All open ({len(ids)})" in html  # counts never leak restricted reports
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
    html_both = (
        signed_in_client(app, services, both, clock).get("/triage/queue").get_data(as_text=True)
    )
    html_one = (
        signed_in_client(app, services, one, clock).get("/triage/queue").get_data(as_text=True)
    )
    assert set(queue_ids(html_both)) == {ours, theirs}
    assert set(queue_ids(html_one)) == {ours}


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
    first = client.get("/triage/queue").get_data(as_text=True)
    assert len(queue_ids(first)) == 50 and "Page 1 of 2" in first
    second = client.get("/triage/queue?page=2").get_data(as_text=True)
    assert len(queue_ids(second)) == 3
    assert not set(queue_ids(first)) & set(queue_ids(second))
