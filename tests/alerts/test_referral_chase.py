"""A referral that went nowhere reaches a person: once its chase date passes with no answer,
whoever sent it gets one email (again for each new chase date, never after the answer);
if they may no longer open the case, the lead on call gets it instead. Case number, agency
and date only. Delivered for real through aiosmtpd."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from safeguarding.access import StaffPrincipal, role_of
from safeguarding.actions import ActionContext
from safeguarding.clock import FixedClock
from safeguarding.recategorise import recategorise
from safeguarding.referrals import Sending, record_referral_decision, record_response
from safeguarding.services import Services
from storage.models import Report, StaffUser
from tests.alerts.live import SECRET, Live
from tests.factories import submit
from tests.triage.helpers import make_staff


def context(
    services: Services, session: Session, staff_id: int, establishment_id: int
) -> ActionContext:
    """Acting as this member of staff, as the case page would."""
    user = session.get(StaffUser, staff_id)
    assert user is not None
    role = role_of(user.role)
    assert role is not None
    principal = StaffPrincipal(
        staff_id=user.id, role=role, establishment_ids=frozenset({establishment_id}),
        display_name=user.display_name,
    )  # fmt: skip
    return ActionContext(session, principal, services.clock, services.secrets.vault)


def refer(services: Services, staff_id: int, establishment_id: int, report_id: int) -> int:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        referral = record_referral_decision(
            context(services, session, staff_id, establishment_id), report,
            agency="local_authority", decision="met", reason="Care and support needs.",
            sending=Sending(chase_on=date(2026, 12, 1)),
        )  # fmt: skip
        assert referral is not None
        return referral.id


def chase_mails(live: Live) -> list[tuple[str, str]]:
    found = []
    for message in live.box.messages:
        if message["Subject"].startswith("Chase the referral"):
            payload = message.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found.append((message["To"], payload.decode()))
    return found


def test_whoever_sent_the_referral_is_reminded_once_per_chase_date_until_they_answer(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    deputy = make_staff(services, role="deputy", establishment_ids=[establishment_id])
    report_id = submit(services, establishment_id, concerns=["no_care"], details=SECRET).report_id
    referral_id = refer(services, deputy.id, establishment_id, report_id)
    live.run()
    assert chase_mails(live) == []  # 2026-11-28: not yet

    clock.advance(timedelta(days=4))  # 2026-12-02: the chase date has passed
    live.run()
    live.run()
    [(to, body)] = chase_mails(live)
    assert to == deputy.email
    assert "the referral to Local authority: advice and needs assessment (Care Act s76)" in body
    assert f"-{report_id} has had no answer by 01 Dec 2026" in body
    assert SECRET not in body and "Care and support needs" not in body

    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        record_response(
            context(services, session, deputy.id, establishment_id), report,
            referral_id=referral_id, response="none_yet", response_on=None,
            chase_again_on=date(2026, 12, 5),
        )  # fmt: skip
    clock.advance(timedelta(days=4))  # 2026-12-06: the new date has passed too
    live.run()
    assert len(chase_mails(live)) == 2

    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        record_response(
            context(services, session, deputy.id, establishment_id), report,
            referral_id=referral_id, response="advice_given", response_on=date(2026, 12, 6),
        )  # fmt: skip
    clock.advance(timedelta(days=30))  # a month on: nothing more to chase
    live.run()
    assert len(chase_mails(live)) == 2


def test_a_case_the_sender_may_no_longer_open_is_chased_by_the_lead_on_call(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    deputy = make_staff(services, role="deputy", establishment_ids=[establishment_id])
    lead = make_staff(services, role="lead", establishment_ids=[establishment_id])
    report_id = submit(services, establishment_id, concerns=["no_care"]).report_id
    refer(services, deputy.id, establishment_id, report_id)
    with services.db.transaction() as session:  # staff misconduct: the restricted queue
        report = session.get(Report, report_id)
        assert report is not None
        recategorise(
            context(services, session, lead.id, establishment_id), report,
            categories=["staff_misconduct"], reason="An officer is named.",
            policy=services.policy,
        )  # fmt: skip
    clock.advance(timedelta(days=4))
    live.run()
    # Not the deputy, who may not open a case in the restricted queue.
    assert [to for to, _body in chase_mails(live)] == ["lead@prison.example"]


def test_a_referral_on_a_closed_case_is_still_chased(
    live: Live, services: Services, clock: FixedClock, establishment_id: int
) -> None:
    """An NRM decision or a local authority's answer often comes after the case is closed;
    closing must not make an unanswered referral quietly disappear."""
    lead = make_staff(services, role="lead", establishment_ids=[establishment_id])
    report_id = submit(services, establishment_id, concerns=["no_care"]).report_id
    refer(services, lead.id, establishment_id, report_id)
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        report.status, report.closed_at = "closed", clock.now()
    clock.advance(timedelta(days=4))
    live.run()
    assert [to for to, _body in chase_mails(live)] == [lead.email]
