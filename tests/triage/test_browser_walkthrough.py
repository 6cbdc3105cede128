"""Two cases worked from report to closing in a real Chromium, by the people who would do
it (issue 15, "Done means"): a modern slavery case and an assault by a member of staff.
Each step asserts what the person sees; with SAFEREPORT_SCREENSHOTS=1 each meaningful step
is also saved for docs/triage-walkthrough.md. Every name here is made up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.test_browser import assert_accessible, live_url  # noqa: F401
from tests.triage.walkthrough_steps import (
    Closing,
    Referral,
    Walk,
    acknowledge_assign_investigate,
    add_task,
    answer_referral,
    banner,
    close_case,
    finish_task,
    name_staff,
    on_call,
    open_case,
    outbox_kinds,
    press,
    press_and_see,
    record_evidence,
    refer,
    sign_in,
    walk_page,  # noqa: F401
    wishes,
    write_plan,
)

pytestmark = pytest.mark.browser

MADE_TO_WORK = (
    "A man on my landing says I owe him for tobacco. He makes me clean his cell and "
    "carry things for him every day. He says the debt keeps going up."
)
PUSHED = "An officer pushed me into the door frame at unlock. My arm is bruised."


def test_a_modern_slavery_case_from_report_to_closing(
    walk_page: Any,  # noqa: F811
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    page, walk = walk_page, Walk(walk_page, "modern-slavery")
    lead, deputy = staff("lead"), staff("deputy")
    name_staff(services, lead, "Lena Lead")
    name_staff(services, deputy, "Dara Deputy")
    on_call(services, establishment)
    report_id = submit(
        services, establishment, concerns=["made_to_work", "made_to_pay"],
        staff_involved="no", when_happened="keeps_happening", details=MADE_TO_WORK,
    ).report_id  # fmt: skip
    wishes(services, report_id, ["stop", "move"], "yes")

    sign_in(page, lead, clock)
    row = page.inner_text(f"#queue-table tr[data-report-id='{report_id}']")
    assert "Modern slavery" in row and "High" in row
    walk.shot("queue")

    open_case(page, report_id)
    assert "the duty to notify applies" in page.inner_text("main")
    assert "Make it stop" in page.inner_text("#wishes-wants")
    assert "Before closing, record the duty to notify decision." in page.inner_text(
        "#closing-blockers"
    )
    assert_accessible(page)
    walk.shot("case-and-duty-to-notify")

    acknowledge_assign_investigate(page, lead)
    page.click("#capacity summary")
    page.fill("#capacity_decision", "Whether to agree to an NRM referral.")
    page.check("#capacity_in_doubt-yes")
    page.select_option("#capacity_lacks", "no")
    page.fill("#capacity_support_given", "Easy Read leaflet, an interpreter and time to think.")
    page.select_option("#capacity_support", "advocate")
    press_and_see(page, "Record capacity decision", "Capacity record added.")
    assert "Has capacity for this decision" in page.inner_text("#capacity-table")
    walk.shot("capacity")

    page.select_option("#dtn_route", "nrm")
    page.select_option("#dtn_consent", "given")
    page.fill("#dtn_referred_by", "Lena Lead")
    page.select_option("#dtn_first_responder", "salvation_army")
    page.fill("#dtn_referred_on", "2026-11-28")
    page.fill("#dtn_reference", "NRM-TEST-0001")
    page.fill("#dtn_reason", "He agreed to the referral with his advocate present.")
    press(page, "Record duty to notify decision")
    duty = page.inner_text("#duty-to-notify")
    assert "NRM referral made" in duty and "Consent given" in duty
    assert "Lena Lead to The Salvation Army on 2026-11-28" in duty
    assert page.locator("#closing-blockers").count() == 0
    walk.shot("duty-to-notify-recorded")

    # The same submission tracks the referral (safeguarding.nrm_referral): typed once.
    page.locator("#referrals-table").scroll_into_view_if_needed()
    referrals = page.inner_text("#referrals-table")
    assert "Through The Salvation Army" in referrals and "Chase by 2026-12-05" in referrals
    walk.shot("nrm-referral")

    add_task(page, "cell_move", deputy, "2026-11-29")
    write_plan(
        page, "Move him to B Wing away from the man he owes. Wing staff check on him daily.",
        lead, "2026-12-12",
    )  # fmt: skip
    assert "Cell or wing move" in page.inner_text("#tasks-table")
    walk.shot("task-and-plan")

    clock.advance(timedelta(days=5))  # the Salvation Army's answer comes
    sign_in(page, lead, clock)
    page.goto(f"/triage/reports/{report_id}")
    finish_task(page)  # he moved to B Wing the next day
    assert "Done" in page.inner_text("#tasks-table")
    answer_referral(
        page, "nrm_reasonable_grounds_positive", "2026-12-03", "Support offered in custody."
    )
    assert "NRM: positive Reasonable Grounds decision (2026-12-03)" in page.inner_text(
        "#referrals-table"
    )
    walk.shot("referral-answer")

    close_case(
        page,
        Closing("referred_externally", "partly", "reduced", "Moved; the NRM decides next."),
    )
    assert_accessible(page)
    walk.shot("closed")
    assert len(walk.taken) <= 12


def test_a_staff_assault_case_from_report_to_the_first_check_in(
    walk_page: Any,  # noqa: F811
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    page, walk = walk_page, Walk(walk_page, "staff-assault")
    lead, deputy, governor = staff("lead"), staff("deputy"), staff("governor")
    name_staff(services, lead, "Lena Lead")
    name_staff(services, deputy, "Dara Deputy")
    name_staff(services, governor, "Glen Governor")
    on_call(services, establishment)
    report_id = submit(
        services, establishment, concerns=["staff_bad", "hurting_me"], staff_involved="yes",
        injured=True, when_happened="today", details=PUSHED,
    ).report_id  # fmt: skip
    wishes(services, report_id, ["police", "move"], "ask_me")

    sign_in(page, deputy, clock)
    assert f"Report {report_id}" not in page.inner_text("main")
    walk.shot("deputy-queue")
    assert page.request.get(f"/triage/reports/{report_id}").status == 404  # as if none

    sign_in(page, lead, clock)
    row = page.inner_text(f"#queue-table tr[data-report-id='{report_id}']")
    assert "Restricted: staff involved" in row and "Secure evidence by" in row
    walk.shot("lead-queue")

    open_case(page, report_id)
    evidence = page.inner_text("#evidence-table")
    assert "Photographs of injuries" in evidence and "CCTV and body-worn video" in evidence
    assert "left: " in evidence  # "Days left: 1", "Hours left: 23"
    assert_accessible(page)
    walk.shot("case-and-evidence-clocks")

    acknowledge_assign_investigate(page, lead)
    record_evidence(page, "Photographs of injuries")
    record_evidence(page, "CCTV and body-worn video")
    assert page.inner_text("#evidence-table").count("Secured") == 2
    walk.shot("evidence-secured")

    refer(page, Referral("professional_standards", "Use of force by an officer, with injury."))
    refer(page, Referral("police", "He wants the police told.", reference="TEST-CAD-0001"))
    assert "Professional standards" in page.inner_text("#referrals-table")
    walk.shot("referrals")

    page.fill("#escalate_reason", "An officer is said to have injured a prisoner.")
    press_and_see(page, "Escalate", "Escalated to the governor. The duty governor on call")
    assert "alert.escalation" in outbox_kinds(services)
    walk.shot("escalated")

    sign_in(page, governor, clock)
    open_case(page, report_id)
    assert "Escalated to the governor" in page.inner_text("#case-timeline")
    walk.shot("governor-reads-it")

    sign_in(page, lead, clock)
    page.goto(f"/triage/reports/{report_id}")
    answer_referral(page, "accepted", "2026-11-28", "Investigating; the officer is off the wing.")
    answer_referral(page, "accepted", "2026-11-28", "A crime number is given.")
    assert page.inner_text("#referrals-table").count("Accepted") == 2
    close_case(
        page,
        Closing("referred_externally", "partly", "reduced", "With the police and PSU now."),
    )
    assert page.inner_text("#checkins-table").count("Not yet") == 3
    walk.shot("closed")

    clock.advance(timedelta(days=30, minutes=1))  # the session is long gone
    sign_in(page, lead, clock)
    assert f"Report {report_id}, check-in 1" in page.inner_text("#handover-checkins")
    walk.shot("check-in-due")

    page.goto(f"/triage/reports/{report_id}")
    page.check("#checkin_outcome-safe")
    press_and_see(page, "Record check-in", "Check-in recorded.")
    assert "Safe" in page.inner_text("#checkins-table")
    assert page.inner_text("#case-status") == "Closed"
    assert banner(page)
    assert_accessible(page)
    walk.shot("check-in-recorded")
    assert len(walk.taken) <= 12
