"""Given an on-call chain, high reports reach the lead and deputy at once, and every missed
deadline (acknowledge or triage, every priority) reaches the duty governor. A fixed clock
moves time; real SMTP (aiosmtpd) and the loopback Twilio REST recorder receive the alerts."""

from __future__ import annotations

from datetime import timedelta
from email.message import Message

import pytest
from sqlalchemy import select

from safeguarding.alerts import acknowledge_alert
from safeguarding.clock import FixedClock
from safeguarding.notices import notify_high_report
from safeguarding.services import Services
from safeguarding.timeline_facts import DEADLINE_MISSED, NOBODY_TO_NOTIFY, NOTIFIED, read_fact
from storage.models import Establishment, Location, OnCallContact, Report
from tests.alerts.live import SECRET, Live, timeline
from tests.factories import new_establishment, submit

LEAD, DEPUTY, GOVERNOR = "+447700900001", "+447700900002", "+447700900003"


def recipients(live: Live) -> list[str]:
    return sorted(str(m["To"]) for m in live.box.messages)


def text_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def facts_of(services: Services, report_id: int, name: str) -> list[dict[str, object]]:
    found = []
    for _kind, summary in timeline(services, report_id):
        fact = read_fact(summary)
        if fact is not None and fact.name == name:
            found.append(fact.values)
    return found


@pytest.mark.parametrize(
    "answers",
    [
        {"concerns": ["sexual"]},  # sexual abuse
        {"concerns": ["made_to_work"]},  # modern slavery
    ],  # staff involved: the restricted queue, tests/alerts/test_restricted_alerts.py
    ids=["sexual", "modern_slavery"],
)
def test_a_high_report_texts_and_emails_the_lead_and_deputy_at_once(
    live: Live, services: Services, establishment_id: int, answers: dict[str, object]
) -> None:
    receipt = submit(services, establishment_id, details=SECRET, **answers)
    assert receipt.priority == "high"
    live.run()
    assert recipients(live) == ["deputy@prison.example", "lead@prison.example"]
    assert sorted(live.numbers("Messages")) == [LEAD, DEPUTY]
    assert live.numbers("Calls") == []  # not a paging call: nobody is rung for a high report
    subject = str(live.box.messages[0]["Subject"])
    assert subject.startswith("High priority safeguarding report at HMP Testing, case T")
    sms = [form["Body"] for path, form in live.recorder.requests if path.endswith("Messages.json")]
    assert all(f"-{receipt.report_id}." in body for body in sms)
    assert all("Wing" not in body for body in sms)  # case number only by default
    everything = str([str(m) for m in live.box.messages]) + repr(live.recorder.requests)
    assert SECRET not in everything
    told = facts_of(services, receipt.report_id, NOTIFIED)
    assert told == [
        {"role": "lead", "name": "Lena Lead", "channels": ["sms", "email"]},
        {"role": "deputy", "name": "Dev Deputy", "channels": ["sms", "email"]},
    ]


def test_a_redelivered_new_report_message_tells_nobody_twice(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, concerns=["sexual"])
    live.run()
    with services.db.transaction() as session:  # what a second delivery of the message does
        assert notify_high_report(session, report_id=receipt.report_id, clock=clock) == 0
    live.run()
    assert len(live.box.messages) == 2 and len(live.numbers("Messages")) == 2
    assert len(facts_of(services, receipt.report_id, NOTIFIED)) == 2


def test_the_wing_is_named_only_where_the_establishment_chooses(
    live: Live, services: Services, establishment_id: int
) -> None:
    with services.db.transaction() as session:
        wing = session.scalars(
            select(Location).where(Location.establishment_id == establishment_id)
        ).first()
        assert wing is not None
        wing_id, wing_name = wing.id, wing.name
        establishment = session.get(Establishment, establishment_id)
        assert establishment is not None
        establishment.high_alert_names_wing = True
    submit(services, establishment_id, concerns=["sexual"], location_id=wing_id, details=SECRET)
    live.run()
    sms = [form["Body"] for path, form in live.recorder.requests if path.endswith("Messages.json")]
    assert len(sms) == 2 and all(wing_name in body for body in sms)
    body = text_of(live.box.messages[0])
    assert f"Wing: {wing_name}" in body
    assert SECRET not in body


def test_standard_and_immediate_reports_do_not_use_the_high_notice(
    live: Live, services: Services, establishment_id: int
) -> None:
    standard = submit(services, establishment_id, concerns=["made_to_pay"])
    live.run()
    assert live.box.messages == [] and live.recorder.requests == []
    immediate = submit(services, establishment_id, in_danger_now=True)
    live.run()
    assert live.numbers("Calls") == [LEAD]  # paged as before, the lead only
    for receipt in (standard, immediate):
        assert facts_of(services, receipt.report_id, NOTIFIED) == []


def test_with_no_lead_or_deputy_the_timeline_says_nobody_was_told(
    live: Live, services: Services
) -> None:
    receipt = submit(services, new_establishment(services), concerns=["sexual"])
    live.run()
    live.run()
    assert facts_of(services, receipt.report_id, NOBODY_TO_NOTIFY) == [{}]


def test_a_missed_acknowledge_deadline_tells_the_governor_once(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    receipt = submit(services, establishment_id, concerns=["sexual"])  # 4 h to acknowledge
    worker.run_once()
    clock.advance(timedelta(hours=3, minutes=59))
    worker.run_once()
    assert GOVERNOR not in live.numbers("Messages")
    clock.advance(timedelta(minutes=2))  # 4 h 1 m: the acknowledge deadline has passed
    for _ in range(3):
        worker.run_once()
        clock.advance(timedelta(minutes=1))
    to_governor = [m for m in live.box.messages if m["To"] == "governor@prison.example"]
    assert len(to_governor) == 1
    assert "is overdue" in str(to_governor[0]["Subject"])
    body = text_of(to_governor[0])
    assert "(high) was not acknowledged by 28 Nov 2026 13:00 UTC" in body
    assert live.numbers("Messages").count(GOVERNOR) == 1
    assert live.numbers("Calls") == []
    assert facts_of(services, receipt.report_id, DEADLINE_MISSED) == [
        {"due_kind": "acknowledge", "governors": 1}
    ]


def test_an_immediate_report_acknowledged_then_left_untriaged_reaches_the_governor(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    receipt = submit(services, establishment_id, in_danger_now=True)  # 4 h to triage
    worker.run_once()
    with services.db.transaction() as session:
        acknowledge_alert(
            session, report_id=receipt.report_id, by="Lena Lead", via="x", clock=clock
        )
    clock.advance(timedelta(hours=3, minutes=1))  # an hour before triage is due: the warning
    worker.run_once()
    warnings = [m for m in live.box.messages if "nearly overdue" in str(m["Subject"])]
    assert [m["To"] for m in warnings] == ["lead@prison.example"]
    clock.advance(timedelta(hours=1))  # 4 h 1 m: triage is overdue
    worker.run_once()
    worker.run_once()
    overdue = [m for m in live.box.messages if "is overdue" in str(m["Subject"])]
    assert [m["To"] for m in overdue] == ["governor@prison.example"]
    body = text_of(overdue[0])
    assert "(immediate) was not triaged by" in body
    assert facts_of(services, receipt.report_id, DEADLINE_MISSED) == [
        {"due_kind": "triage", "governors": 1}
    ]


def test_a_standard_report_missing_triage_reaches_the_governor_and_worked_ones_do_not(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    left = submit(services, establishment_id, concerns=["made_to_pay"])  # 3 days to triage
    worked = submit(services, establishment_id, concerns=["bullied"])
    with services.db.transaction() as session:
        report = session.get(Report, worked.report_id)
        assert report is not None
        report.status, report.acknowledged_at = "investigating", clock.now()
    clock.advance(timedelta(days=3, minutes=1))
    worker.run_once()
    worker.run_once()
    overdue = [m for m in live.box.messages if "is overdue" in str(m["Subject"])]
    assert [m["To"] for m in overdue] == ["governor@prison.example"]
    assert f"-{left.report_id} " in str(overdue[0]["Subject"])
    assert facts_of(services, worked.report_id, DEADLINE_MISSED) == []


def test_with_no_duty_governor_a_missed_deadline_still_shows_on_the_timeline(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    with services.db.transaction() as session:
        for contact in session.scalars(select(OnCallContact)):
            contact.active = contact.role != "duty_governor"
    worker = live.worker()
    receipt = submit(services, establishment_id, concerns=["made_to_work"])
    clock.advance(timedelta(hours=4, minutes=1))
    worker.run_once()
    assert facts_of(services, receipt.report_id, DEADLINE_MISSED) == [
        {"due_kind": "acknowledge", "governors": 0}
    ]
    assert "governor@prison.example" not in recipients(live)
