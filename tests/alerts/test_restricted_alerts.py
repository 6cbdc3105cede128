"""A report in the restricted queue (staff may be involved, or the reporter was not sure) is
paged and told only to those on call who could open it: the lead and the duty governor, not
the deputy, who would be woken for a case the software then refuses to show them. If nobody
on call could open it, everyone is paged rather than nobody. Real SMTP and a loopback Twilio
REST recorder, as in test_alerts.py."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.timeline_facts import read_fact
from safereport.app import create_app
from safereport.config import Config
from storage.models import AlertEscalation, OnCallContact, Report
from tests.alerts.conftest import CHAIN
from tests.alerts.live import Live, run_until_idle, timeline
from tests.factories import new_establishment, submit
from tests.ivr.conftest import AUTH_TOKEN
from tests.ivr.emulator import signed_post

LEAD, DEPUTY, GOVERNOR = (phone for *_, phone in CHAIN)
# What Send now at the kiosk files when the staff question was never reached: "not sure".
IN_DANGER_STAFF_UNKNOWN = {"in_danger_now": True, "staff_involved": "not_sure"}


def pages(services: Services, report_id: int) -> list[dict[str, object]]:
    found = [read_fact(s) for kind, s in timeline(services, report_id) if kind == "alert_sent"]
    return [fact.values for fact in found if fact is not None]


def queue_of(services: Services, report_id: int) -> str:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        return report.queue


def test_a_restricted_emergency_pages_the_lead_and_governor_never_the_deputy(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    receipt = submit(services, establishment_id, **IN_DANGER_STAFF_UNKNOWN)
    assert receipt.priority == "immediate"
    assert queue_of(services, receipt.report_id) == "restricted"
    run_until_idle(worker)
    for _ in range(2):  # nobody answers: the governor, then the lead again
        clock.advance(services.policy.alerts.acknowledge_step)
        run_until_idle(worker)
    assert live.numbers("Calls") == [LEAD, GOVERNOR, LEAD]
    assert DEPUTY not in live.numbers("Messages")
    assert "deputy@prison.example" not in [str(m["To"]) for m in live.box.messages]
    assert [page["role"] for page in pages(services, receipt.report_id)] == [
        "lead", "duty_governor", "lead",
    ]  # fmt: skip


def test_the_same_emergency_in_the_general_queue_still_pages_the_deputy(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    receipt = submit(services, establishment_id, in_danger_now=True, staff_involved="no")
    assert queue_of(services, receipt.report_id) == "general"
    run_until_idle(worker)
    clock.advance(services.policy.alerts.acknowledge_step)
    run_until_idle(worker)
    assert live.numbers("Calls") == [LEAD, DEPUTY]


def test_with_only_deputies_on_call_a_restricted_emergency_still_wakes_someone(
    live: Live, services: Services
) -> None:
    establishment = new_establishment(services)
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment, chain_position=1, role="deputy",
                display_name="Dev Deputy", email="deputy@prison.example", phone=DEPUTY,
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )  # fmt: skip
    receipt = submit(services, establishment, **IN_DANGER_STAFF_UNKNOWN)
    live.run()
    assert live.numbers("Calls") == [DEPUTY]  # better the deputy than nobody
    assert [page["role"] for page in pages(services, receipt.report_id)] == ["deputy"]


def test_a_high_report_naming_staff_is_told_to_the_lead_not_the_deputy(
    live: Live, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, concerns=["made_to_pay"], staff_involved="yes")
    assert receipt.priority == "high"
    live.run()
    assert [str(m["To"]) for m in live.box.messages] == ["lead@prison.example"]
    assert live.numbers("Messages") == [LEAD]
    assert live.numbers("Calls") == []


def test_pressing_1_names_the_person_the_restricted_chain_called(
    live: Live, services: Services, clock: FixedClock, establishment_id: int, config: Config
) -> None:
    """Step 1 of a restricted report's paging is the governor (the deputy is skipped), so
    that is who pressed 1 on the second call."""
    worker = live.worker()
    receipt = submit(services, establishment_id, **IN_DANGER_STAFF_UNKNOWN)
    run_until_idle(worker)
    clock.advance(services.policy.alerts.acknowledge_step)
    run_until_idle(worker)
    with services.db.transaction() as session:
        escalation = session.scalars(
            select(AlertEscalation).where(AlertEscalation.report_id == receipt.report_id)
        ).one()
        escalation_id, step = escalation.id, escalation.step
    assert step == 1
    url = f"http://localhost/ivr/oncall/ack?escalation={escalation_id}&step={step}"
    phone_line = create_app(config.with_changes(twilio_auth_token=AUTH_TOKEN), services=services)
    answer = signed_post(
        phone_line.test_client(),
        auth_token=AUTH_TOKEN,
        url=url,
        params={"CallSid": "CA1", "Digits": "1"},
    )
    assert answer.status_code == 200
    with services.db.transaction() as session:
        acknowledged = session.get(AlertEscalation, escalation_id)
        assert acknowledged is not None
        assert acknowledged.acknowledged_by == "Gus Governor (duty_governor)"
