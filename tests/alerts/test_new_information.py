"""What a reporter adds later reaches a person: the assignee (or the lead when nobody is
assigned) is told through the outbox, the case is marked and sorts up, a closed case reopens
on a clock of its own, and "yes, I am in danger now" pages the chain like an immediate
report. Delivered for real: aiosmtpd and the loopback Twilio REST recorder."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from safeguarding.access import Role, StaffPrincipal
from safeguarding.actions import (
    AWAITING_ACKNOWLEDGEMENT,
    AWAITING_TRIAGE,
    OPEN_STATUSES,
    ActionContext,
    add_note,
)
from safeguarding.alerts import acknowledge_alert
from safeguarding.clock import FixedClock
from safeguarding.followup import add_reporter_information
from safeguarding.new_information import REOPENED_KIND, reporter_in_danger
from safeguarding.services import Services
from safeguarding.timeline_facts import NOTIFIED, read_fact
from storage.models import Report, ReportAssignment, StaffUser
from storage.repositories.queue import DeadlineRules, QueueFilters, QueueScope, fetch_queue
from tests.alerts.live import SECRET, Live, timeline
from tests.conftest import START
from tests.factories import submit

LEAD = "+447700900001"


def add_text(services: Services, report_id: int, text: str = SECRET) -> None:
    with services.db.transaction() as session:
        add_reporter_information(
            session, report_id=report_id, text=text, channel="kiosk", vault=services.secrets.vault,
            policy=services.policy, clock=services.clock,
        )  # fmt: skip


def assign_to_new_staff(services: Services, report_id: int) -> int:
    with services.db.transaction() as session:
        staff = StaffUser(
            email="case.worker@prison.example", display_name="Cas Worker", role="deputy",
            created_at=START,
        )  # fmt: skip
        session.add(staff)
        session.flush()
        session.add(
            ReportAssignment(
                report_id=report_id, staff_id=staff.id, assigned_at=START, assigned_by="test"
            )
        )
        return staff.id


def report_of(services: Services, report_id: int) -> Report:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        session.expunge(report)
        return report


def test_unassigned_new_information_texts_and_emails_the_lead_and_marks_the_case(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, concerns=["made_to_pay"])
    live.run()
    clock.advance(timedelta(hours=2))
    add_text(services, receipt.report_id)
    live.run()
    assert [m["To"] for m in live.box.messages] == ["lead@prison.example"]
    assert "New information on case" in str(live.box.messages[0]["Subject"])
    assert live.numbers("Messages") == [LEAD]
    assert SECRET not in str(live.box.messages[0]) + repr(live.recorder.requests)
    assert report_of(services, receipt.report_id).new_information_at == clock.now()
    told = [read_fact(s) for k, s in timeline(services, receipt.report_id) if k == "alert_sent"]
    assert [f.values["role"] for f in told if f is not None and f.name == NOTIFIED] == ["lead"]


def test_the_assignee_is_emailed_instead_of_the_lead(
    live: Live, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, concerns=["made_to_pay"])
    assign_to_new_staff(services, receipt.report_id)
    add_text(services, receipt.report_id)
    live.run()
    assert [m["To"] for m in live.box.messages] == ["case.worker@prison.example"]
    assert live.recorder.requests == []  # staff have no phone number here: email only


def test_new_information_sorts_the_case_up_its_priority_until_the_team_acts(
    services: Services, clock: FixedClock, establishment_id: int
) -> None:
    older = submit(services, establishment_id, concerns=["made_to_pay"])
    clock.advance(timedelta(minutes=5))
    newer = submit(services, establishment_id, concerns=["made_to_pay"])
    immediate = submit(services, establishment_id, in_danger_now=True)

    def order() -> list[int]:
        scope = QueueScope(frozenset({establishment_id}), ("general", "restricted"))
        rules = DeadlineRules(OPEN_STATUSES, AWAITING_ACKNOWLEDGEMENT, AWAITING_TRIAGE)
        with services.db.transaction() as session:
            page = fetch_queue(
                session, scope=scope, filters=QueueFilters(), rules=rules, now=clock.now()
            )
            return [row.id for row in page.rows]

    assert order() == [immediate.report_id, older.report_id, newer.report_id]
    add_text(services, newer.report_id, "More.")
    assert order() == [immediate.report_id, newer.report_id, older.report_id]  # not above
    lead = StaffPrincipal(1, Role.LEAD, frozenset({establishment_id}), "Lena Lead")
    with services.db.transaction() as session:
        report = session.get(Report, newer.report_id)
        assert report is not None
        add_note(ActionContext(session, lead, clock, services.secrets.vault), report, text="Read")
    assert order() == [immediate.report_id, older.report_id, newer.report_id]


def test_a_closed_case_reopens_with_a_clock_of_its_own(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, concerns=["made_to_pay"])
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        report.status, report.closed_at, report.acknowledged_at = "closed", START, START
    clock.advance(timedelta(days=10))
    add_text(services, receipt.report_id)
    reopened = report_of(services, receipt.report_id)
    assert (reopened.status, reopened.closed_at, reopened.acknowledged_at) == ("new", None, None)
    assert reopened.triage_due_at == clock.now() + timedelta(days=3)  # standard: 3 days
    assert REOPENED_KIND in [kind for kind, _ in timeline(services, receipt.report_id)]
    clock.advance(timedelta(days=3, minutes=1))  # the new clock runs out: the governor hears
    live.run()
    assert "governor@prison.example" in [m["To"] for m in live.box.messages]


def test_in_danger_again_pages_the_chain_even_after_the_case_was_acknowledged(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    receipt = submit(services, establishment_id, in_danger_now=True)
    worker.run_once()
    worker.run_once()
    with services.db.transaction() as session:
        acknowledge_alert(session, report_id=receipt.report_id, by="Lena", via="x", clock=clock)
    clock.advance(timedelta(days=1))
    assert live.numbers("Calls") == [LEAD]
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        reporter_in_danger(
            session, report=report, channel="phone", policy=services.policy, clock=clock
        )
    for _ in range(3):
        worker.run_once()
    assert live.numbers("Calls") == [LEAD, LEAD]  # paged again from the top of the chain
    clock.advance(services.policy.alerts.acknowledge_step)
    for _ in range(3):
        worker.run_once()
    assert live.numbers("Calls") == [LEAD, LEAD, "+447700900002"]  # and on down it
    again = report_of(services, receipt.report_id)
    assert again.acknowledged_at is None and again.priority == "immediate"


def test_a_high_case_in_danger_again_becomes_immediate_and_is_paged(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, concerns=["sexual"])
    live.run()
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        report.status, report.acknowledged_at = "investigating", clock.now()
        reporter_in_danger(
            session, report=report, channel="kiosk", policy=services.policy, clock=clock
        )
    live.run()
    assert live.numbers("Calls") == [LEAD]
    now = report_of(services, receipt.report_id)
    assert (now.priority, now.priority_rank, now.status) == ("immediate", 0, "new")
    assert now.acknowledge_due_at == clock.now() + timedelta(minutes=15)
    with services.db.transaction() as session:
        assert session.scalars(select(Report.in_danger_now)).one() is True
