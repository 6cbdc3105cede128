"""Given an on-call chain, when an immediate report is made, then a human is paged by SMS,
voice and email within one worker pass, and paging moves down the chain until someone
acknowledges. Real SMTP (aiosmtpd) and a loopback recorder of Twilio's REST API."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from sqlalchemy import select

from safeguarding.alerts import acknowledge_alert
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.timeline_facts import NOBODY_ON_CALL, Fact, read_fact
from safereport.config import Config
from safereport.worker_setup import build_worker
from storage.models import EvidenceTask, ExternalReferral, OutboxAttempt, OutboxMessage, Report
from tests.alerts.live import BASE, SECRET, Live, run_until_idle, timeline
from tests.alerts.servers import self_signed_certificate, smtp_server
from tests.factories import submit


def test_an_immediate_report_pages_the_first_on_call_by_sms_voice_and_email(
    live: Live, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, in_danger_now=True, details=SECRET)
    live.run()
    [email] = live.box.messages
    assert email["To"] == "lead@prison.example"
    assert email["Subject"].startswith("Immediate safeguarding report at HMP Testing, case T")
    body = email.get_payload()
    assert isinstance(body, str)
    assert f"{BASE}/triage/reports/{receipt.report_id}" in body
    assert live.numbers("Messages") == ["+447700900001"]
    assert live.numbers("Calls") == ["+447700900001"]
    sms = next(form for path, form in live.recorder.requests if path.endswith("/Messages.json"))
    assert sms["From"] == "+441632960999"
    call = next(form for path, form in live.recorder.requests if path.endswith("/Calls.json"))
    assert "Press 1 to acknowledge it." in call["Twiml"]
    assert "/ivr/oncall/ack?escalation=" in call["Twiml"]
    assert SECRET not in str(email) + repr(live.recorder.requests)  # never what was said
    assert [kind for kind, _ in timeline(services, receipt.report_id)] == [
        "received",
        "alert_sent",
    ]


def test_paging_moves_down_the_chain_and_round_again_until_acknowledged(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    receipt = submit(services, establishment_id, concerns=["hurting_myself"])
    run_until_idle(worker)
    step = services.policy.alerts.acknowledge_step
    for _ in range(3):  # nobody answers: deputy, governor, then the lead again
        clock.advance(step)
        run_until_idle(worker)
    assert live.numbers("Calls") == [
        "+447700900001", "+447700900002", "+447700900003", "+447700900001",
    ]  # fmt: skip
    with services.db.transaction() as session:
        assert acknowledge_alert(
            session, report_id=receipt.report_id, by="Lena Lead", via="phone", clock=clock
        )
    clock.advance(step * 3)
    run_until_idle(worker)
    assert len(live.numbers("Calls")) == 4  # nobody else is woken
    pages = [
        read_fact(s) for kind, s in timeline(services, receipt.report_id) if kind == "alert_sent"
    ]
    every_channel = ["sms", "voice", "email"]
    assert [page.values if page else None for page in pages] == [
        {"step": 1, "role": "lead", "name": "Lena Lead", "channels": every_channel},
        {"step": 2, "role": "deputy", "name": "Dev Deputy", "channels": every_channel},
        {"step": 3, "role": "duty_governor", "name": "Gus Governor", "channels": every_channel},
        {"step": 4, "role": "lead", "name": "Lena Lead", "channels": every_channel},
    ]
    kind, summary = timeline(services, receipt.report_id)[-1]
    acknowledged = read_fact(summary)
    assert kind == "acknowledged" and acknowledged is not None
    assert acknowledged.values == {"via": "phone"}


def test_acknowledging_in_the_triage_queue_stops_the_paging(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    receipt = submit(services, establishment_id, in_danger_now=True)
    run_until_idle(worker)
    with services.db.transaction() as session:  # what the triage action does
        report = session.get(Report, receipt.report_id)
        assert report is not None
        report.acknowledged_at = clock.now()
    clock.advance(services.policy.alerts.acknowledge_step)
    run_until_idle(worker)
    assert live.numbers("Calls") == ["+447700900001"]


def test_a_failed_delivery_is_retried_and_every_attempt_is_recorded(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    live.recorder.fail_next = 1  # Twilio answers 503 once
    worker = live.worker()
    submit(services, establishment_id, in_danger_now=True)
    run_until_idle(worker)
    clock.advance(timedelta(seconds=5))
    run_until_idle(worker)
    assert len(live.numbers("Messages")) + len(live.numbers("Calls")) == 2
    with services.db.transaction() as session:
        failures = session.scalars(
            select(OutboxAttempt).where(OutboxAttempt.succeeded.is_(False))
        ).all()
        assert len(failures) == 1 and "503" in (failures[0].error or "")
        pending = session.scalars(
            select(OutboxMessage).where(OutboxMessage.delivered_at.is_(None))
        ).all()
        assert pending == []


def test_email_goes_over_starttls_to_a_relay_we_trust(
    live: Live, services: Services, establishment_id: int, tmp_path: Path
) -> None:
    cert, key = self_signed_certificate(tmp_path)
    with smtp_server((cert, key)) as (box, port):
        submit(services, establishment_id, in_danger_now=True)
        live.run(smtp_port=port, smtp_starttls=True, smtp_ca_file=str(cert))
    assert [m["To"] for m in box.messages] == ["lead@prison.example"]


def test_with_nobody_on_call_the_timeline_says_so(live: Live, services: Services) -> None:
    from tests.factories import new_establishment

    receipt = submit(services, new_establishment(services), in_danger_now=True)
    live.run()
    failed = [
        read_fact(s) for kind, s in timeline(services, receipt.report_id) if kind == "alert_failed"
    ]
    assert failed and failed[0] == Fact(name=NOBODY_ON_CALL, values={"step": 1})


def test_reports_about_to_breach_warn_the_lead_once(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    worker = live.worker()
    receipt = submit(services, establishment_id, concerns=["sexual"])  # high: 4 h to acknowledge
    run_until_idle(worker)
    told_at_once = len(live.box.messages)  # the lead and deputy (tests/alerts/test_notices.py)
    clock.advance(timedelta(hours=3, minutes=1))  # within an hour of the due time
    run_until_idle(worker)
    clock.advance(timedelta(minutes=10))
    run_until_idle(worker)
    subjects = [m["Subject"] for m in live.box.messages[told_at_once:]]
    assert len(subjects) == 1 and "nearly overdue" in subjects[0]
    assert f"-{receipt.report_id}" in subjects[0]


def test_the_daily_digest_goes_to_the_lead_once_a_day(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    submit(services, establishment_id, concerns=["made_to_pay"])
    worker = live.worker(digest_hour_utc=7)
    run_until_idle(worker)  # 09:00 UTC: after the digest hour
    clock.advance(timedelta(minutes=6))
    run_until_idle(worker)
    digests = [m for m in live.box.messages if "Daily safeguarding summary" in m["Subject"]]
    assert len(digests) == 1
    body = digests[0].get_payload()
    assert isinstance(body, str) and "0 immediate, 0 high, 1 standard" in body


def test_the_voice_acknowledgement_url_names_the_escalation_and_step(
    live: Live, services: Services, establishment_id: int
) -> None:
    submit(services, establishment_id, in_danger_now=True)
    live.run()
    twiml = next(f["Twiml"] for path, f in live.recorder.requests if path.endswith("Calls.json"))
    action = twiml.split('action="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    parsed = urlparse(action)
    assert parsed.path == "/ivr/oncall/ack"
    assert set(parse_qs(parsed.query)) == {"escalation", "step"}


def test_unconfigured_channels_fail_loudly_and_keep_the_page(
    services: Services, config: Config, establishment_id: int
) -> None:
    """Outside demo mode, a page that cannot be sent stays in the outbox with the reason."""
    worker = build_worker(config, services, base_url=BASE)  # no SMTP, no Twilio
    submit(services, establishment_id, in_danger_now=True)
    run_until_idle(worker)
    with services.db.transaction() as session:
        pending = session.scalars(
            select(OutboxMessage).where(OutboxMessage.delivered_at.is_(None))
        ).all()
        errors = {m.kind: m.last_error or "" for m in pending}
    assert set(errors) == {"notify.sms", "notify.voice", "notify.email"}
    assert "SAFEREPORT_SMTP_HOST" in errors["notify.email"]
    assert "SAFEREPORT_TWILIO_FROM_NUMBER" in errors["notify.sms"]


def test_the_demo_writes_pages_to_a_local_file(
    services: Services, config: Config, establishment_id: int
) -> None:
    demo = config.with_changes(demo=True, digest_hour_utc=23)
    worker = build_worker(demo, services, base_url=BASE)
    submit(services, establishment_id, in_danger_now=True, details=SECRET)
    run_until_idle(worker)
    lines = (config.instance_path / "demo-alerts.jsonl").read_text().splitlines()
    assert [json.loads(line)["channel"] for line in lines] == ["sms", "voice", "email"]
    assert SECRET not in "".join(lines)


def test_escalating_to_the_governor_texts_and_emails_the_duty_governor(
    live: Live, services: Services, establishment_id: int
) -> None:
    from safeguarding.access import Role, StaffPrincipal
    from safeguarding.actions import ActionContext, escalate

    worker = live.worker()
    receipt = submit(services, establishment_id, concerns=["made_to_pay"], details=SECRET)
    lead = StaffPrincipal(1, Role.LEAD, frozenset({establishment_id}), "Lena Lead")
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        context = ActionContext(session, lead, services.clock, services.secrets.vault)
        escalate(context, report, reason="He is being taxed by a gang on B wing.")
    run_until_idle(worker)
    run_until_idle(worker)  # a redelivered escalation message changes nothing
    assert [m["To"] for m in live.box.messages] == ["governor@prison.example"]
    assert "escalated to you" in live.box.messages[0]["Subject"]
    assert live.numbers("Messages") == ["+447700900003"]
    assert live.numbers("Calls") == []
    assert SECRET not in str(live.box.messages[0]) and "taxed" not in str(live.box.messages[0])


def test_the_daily_digest_names_the_cases_whose_deadline_passed_or_falls_today(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    """Case numbers, priority and time only: never what was said (issue 15.6)."""
    hours = {"overdue": -1, "soon": 5, "tomorrow": 30, "closed": -1}
    ids = {
        name: submit(services, establishment_id, concerns=["made_to_pay"], details=SECRET).report_id
        for name in hours
    }
    with services.db.transaction() as session:
        for name, report_id in ids.items():
            report = session.get(Report, report_id)
            assert report is not None
            report.acknowledge_due_at = clock.now() + timedelta(hours=hours[name])
            report.status = "closed" if name == "closed" else "new"
    run_until_idle(live.worker(digest_hour_utc=7))
    [digest] = [m for m in live.box.messages if "Daily safeguarding summary" in m["Subject"]]
    payload = digest.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode().replace("\r\n", "\n")
    assert SECRET not in body
    listed = body.split("Deadlines passed or due in the next 24 hours:\n", 1)[1].split("\n\n")[0]
    code = listed.split("-", 1)[0]
    assert listed.splitlines() == [
        f"{code}-{ids['overdue']} (standard): overdue since 28 Nov 2026 08:00 UTC",
        f"{code}-{ids['soon']} (standard): due by 28 Nov 2026 14:00 UTC",
    ]
    assert "Referrals with no answer by their chase date" not in body


def test_the_daily_digest_names_the_referrals_to_chase(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    """A referral that went nowhere is named by case, agency and date (issue 15.3)."""
    late = submit(services, establishment_id, concerns=["hurting_me"], details=SECRET).report_id
    waiting = submit(services, establishment_id, concerns=["hurting_me"]).report_id
    with services.db.transaction() as session:
        for report_id, chase_on in ((late, date(2026, 11, 25)), (waiting, date(2026, 12, 2))):
            session.add(
                ExternalReferral(
                    report_id=report_id, agency="sarc", sent_on=date(2026, 11, 18),
                    sent_by="staff:1", chase_on=chase_on, recorded_at=clock.now(),
                )
            )  # fmt: skip
    run_until_idle(live.worker(digest_hour_utc=7))
    [digest] = [m for m in live.box.messages if "Daily safeguarding summary" in m["Subject"]]
    payload = digest.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode().replace("\r\n", "\n")
    assert SECRET not in body
    listed = body.split("Referrals with no answer by their chase date:\n", 1)[1].split("\n\n")[0]
    code = listed.split("-", 1)[0]
    assert listed.splitlines() == [
        f"{code}-{late}: Sexual Assault Referral Centre (SARC), chase since 25 Nov 2026"
    ]


def test_the_daily_digest_names_the_evidence_about_to_be_lost(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    """Evidence not yet secured whose deadline is near or past, by case, kind and time; what is
    secured, or due later, or on a closed case, is not listed (issue 15.5)."""
    sexual = submit(services, establishment_id, concerns=["sexual"], details=SECRET).report_id
    secured = submit(services, establishment_id, concerns=["hurting_me"]).report_id
    with services.db.transaction() as session:
        for task in session.scalars(select(EvidenceTask)):
            if task.report_id == secured:
                task.outcome = "secured"
    clock.advance(timedelta(days=1, hours=12))  # photographs due in 12 hours
    run_until_idle(live.worker(digest_hour_utc=7))
    [digest] = [m for m in live.box.messages if "Daily safeguarding summary" in m["Subject"]]
    payload = digest.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode().replace("\r\n", "\n")
    assert SECRET not in body
    heading = "Evidence to secure, due in the next 24 hours or overdue:\n"
    listed = body.split(heading, 1)[1].split("\n\n")[0]
    code = listed.split("-", 1)[0]
    assert listed.splitlines() == [
        f"{code}-{sexual}: Photographs of injuries, by 30 Nov 2026 09:00 UTC"
    ]
