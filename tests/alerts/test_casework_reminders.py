"""An overdue task or protection plan review reaches a person (issue 15.4): its owner gets
one email per due or review date while they may still work the case, else the lead on call.
Case number, kind of task and date only. Delivered for real through aiosmtpd."""

from __future__ import annotations

from datetime import date, timedelta

from safeguarding.case_tasks import add_task, finish_task
from safeguarding.clock import FixedClock
from safeguarding.protection_plans import review_plan, set_plan
from safeguarding.recategorise import recategorise
from safeguarding.services import Services
from storage.models import Report
from tests.alerts.live import SECRET, Live
from tests.alerts.test_referral_chase import context
from tests.factories import submit
from tests.triage.helpers import make_staff

PLAN_WORDS = "Keep him off the landing at association."


def mails(live: Live, subject_start: str) -> list[tuple[str, str]]:
    found = []
    for message in live.box.messages:
        if message["Subject"].startswith(subject_start):
            payload = message.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found.append((message["To"], payload.decode()))
    return found


def test_the_owner_of_an_overdue_task_is_reminded_once_until_it_is_done(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    deputy = make_staff(services, role="deputy", establishment_ids=[establishment_id])
    report_id = submit(services, establishment_id, concerns=["bullied"], details=SECRET).report_id
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        task = add_task(
            context(services, session, deputy.id, establishment_id), report,
            kind="healthcare_review", owner_id=deputy.id, due_on=date(2026, 11, 30),
            note="Bruising on his arms.",
        )  # fmt: skip
        task_id = task.id
    live.run()
    assert mails(live, "A task on case") == []  # 2026-11-28: not due yet
    clock.advance(timedelta(days=3))  # 2026-12-01
    live.run()
    live.run()
    [(to, body)] = mails(live, "A task on case")
    assert to == deputy.email
    assert f"-{report_id} was due by 30 Nov 2026" in body and "Healthcare review" in body
    assert SECRET not in body and "Bruising" not in body
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        finish_task(
            context(services, session, deputy.id, establishment_id), report,
            task_id=task_id, outcome="done",
        )  # fmt: skip
    clock.advance(timedelta(days=10))
    live.run()
    assert len(mails(live, "A task on case")) == 1


def test_an_overdue_plan_review_reminds_its_owner_or_the_lead_once_out_of_their_sight(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    deputy = make_staff(services, role="deputy", establishment_ids=[establishment_id])
    lead = make_staff(services, role="lead", establishment_ids=[establishment_id])
    report_id = submit(services, establishment_id, concerns=["bullied"]).report_id
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        set_plan(
            context(services, session, lead.id, establishment_id), report,
            owner_id=deputy.id, review_on=date(2026, 12, 1), plan=PLAN_WORDS,
        )  # fmt: skip
    clock.advance(timedelta(days=4))  # 2026-12-02
    live.run()
    [(to, body)] = mails(live, "Review the protection plan")
    assert to == deputy.email
    assert "was due for review by 01 Dec 2026" in body and PLAN_WORDS not in body
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        ctx = context(services, session, lead.id, establishment_id)
        review_plan(ctx, report, next_review_on=date(2026, 12, 10), note="Still at risk.")
        recategorise(
            ctx, report, categories=["staff_misconduct"], reason="An officer is named.",
            policy=services.policy,
        )  # fmt: skip
    clock.advance(timedelta(days=9))  # 2026-12-11: the next review is late too
    live.run()
    # Not the deputy, who may not open a case in the restricted queue.
    assert [to for to, _body in mails(live, "Review the protection plan")] == [
        deputy.email,
        "lead@prison.example",
    ]


def test_a_check_in_due_on_a_closed_case_reminds_the_lead_on_call_once(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    report_id = submit(
        services, establishment_id, concerns=["hurting_me"], details=SECRET
    ).report_id
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        report.status = "closed"  # a case closed early: the check-ins still fall due
    live.run()
    assert mails(live, "Check on the person") == []
    clock.advance(timedelta(days=30, minutes=1))
    live.run()
    live.run()
    [(to, body)] = mails(live, "Check on the person")
    assert to == "lead@prison.example"
    assert (
        "check-in 1 on the person who made report" in body and "even if the case is closed" in body
    )
    assert SECRET not in body
    clock.advance(timedelta(days=30))  # the second falls due: one more email, not two
    live.run()
    assert len(mails(live, "Check on the person")) == 2
