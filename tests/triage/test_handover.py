"""Handing over between shifts: above the queue, what changed since this person was last
here (new reports, new information, deadlines in the next 12 hours) and who is first on
call; counted only over reports they may see."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy import delete

from safeguarding.clock import FixedClock
from safeguarding.followup import add_reporter_information
from safeguarding.services import Services
from storage.models import ExternalReferral, OnCallContact, Report, StaffSession
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, page_at, signed_in_client


def handover_of(
    app: Flask, services: Services, login: StaffLogin, clock: FixedClock
) -> dict[str, str]:
    """A new sign-in's queue page: the handover box's lines by id."""
    page = page_at(signed_in_client(app, services, login, clock), "/triage/queue")
    return {
        key: page.region(key)
        for key in ("handover", "handover-new", "handover-information", "handover-due")
        if page.has_id(key)
    } | {"on-call": page.region("handover-on-call")}


def added_information(services: Services, report_id: int) -> None:
    with services.db.transaction() as session:
        add_reporter_information(
            session, report_id=report_id, text="It happened again.", channel="kiosk",
            vault=services.secrets.vault, policy=services.policy, clock=services.clock,
        )  # fmt: skip


def test_a_first_sign_in_has_nothing_to_compare_with(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    with services.db.transaction() as session:  # the setup's own session, as if never used
        session.execute(delete(StaffSession).where(StaffSession.staff_id == lead.id))
    box = handover_of(app, services, lead, clock)
    assert "This is your first time here" in box["handover"]
    assert "handover-new" not in box


def test_the_next_shift_sees_what_came_in_and_what_falls_due_only_what_they_may_read(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int
) -> None:
    lead, deputy = staff("lead"), staff("deputy")
    older = submit(services, establishment, concerns=["made_to_pay"]).report_id
    for person in (lead, deputy):
        handover_of(app, services, person, clock)  # the day shift's last look at 09:00
    clock.advance(timedelta(hours=10))
    submit(services, establishment, concerns=["made_to_pay"], staff_involved="no")
    submit(services, establishment, concerns=["made_to_pay"], staff_involved="yes")  # restricted
    added_information(services, older)
    clock.advance(timedelta(hours=1))

    night = handover_of(app, services, lead, clock)
    assert night["handover"].startswith("Since you were last here (28 Nov 2026, 09:00):")
    assert night["handover-new"] == "2 new reports"
    assert night["handover-information"] == "1 case with new information from the reporter"
    deputy_night = handover_of(app, services, deputy, clock)
    assert deputy_night["handover-new"] == "1 new report"  # not the report naming staff


def test_deadlines_within_the_next_12_hours_are_counted_and_later_ones_are_not(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int
) -> None:
    lead = staff("lead")
    handover_of(app, services, lead, clock)
    soon = submit(services, establishment, concerns=["made_to_pay"]).report_id
    later = submit(services, establishment, concerns=["made_to_pay"]).report_id
    with services.db.transaction() as session:
        for report_id, hours in ((soon, 11), (later, 13)):
            report = session.get(Report, report_id)
            assert report is not None
            report.acknowledge_due_at = clock.now() + timedelta(hours=hours)
    box = handover_of(app, services, lead, clock)
    assert box["handover-due"] == "1 deadline in the next 12 hours"


def test_the_box_names_who_is_first_on_call_or_warns_that_nobody_is(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int
) -> None:
    lead = staff("lead")
    assert "Nobody is on call" in handover_of(app, services, lead, clock)["on-call"]
    with services.db.transaction() as session:
        for position, (role, name) in enumerate((("deputy", "Dev Deputy"), ("lead", "Lena Lead"))):
            session.add(
                OnCallContact(
                    establishment_id=establishment, chain_position=position + 1, role=role,
                    display_name=name, phone="+447700900001",
                    created_at=datetime(2026, 1, 1, tzinfo=UTC),
                )
            )  # fmt: skip
    on_call = handover_of(app, services, lead, clock)["on-call"]
    assert on_call.startswith("First on call at HMP Alpha: Dev Deputy (")


def test_cases_with_a_referral_to_chase_are_counted_for_the_next_shift(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock, establishment: int
) -> None:
    lead = staff("lead")
    handover_of(app, services, lead, clock)
    late = submit(services, establishment, concerns=["hurting_me"]).report_id
    closed = submit(services, establishment, concerns=["hurting_me"]).report_id
    answered = submit(services, establishment, concerns=["hurting_me"]).report_id
    with services.db.transaction() as session:
        for report_id, response in ((late, None), (closed, None), (answered, "accepted")):
            session.add(
                ExternalReferral(
                    report_id=report_id, agency="police", sent_on=date(2026, 11, 20),
                    sent_by="staff:1", chase_on=None if response else date(2026, 11, 27),
                    response=response, recorded_at=clock.now(),
                )
            )  # fmt: skip
        closed_report = session.get(Report, closed)
        assert closed_report is not None
        closed_report.status = "closed"
    page = page_at(signed_in_client(app, services, lead, clock), "/triage/queue")
    assert page.region("handover-chases") == "1 case with a referral to chase"
