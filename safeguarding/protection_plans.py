"""A case's protection plan (issue 15.4): what is being done to keep the person safe, who owns
it, and when it is next reviewed. The plan's words and each review's are sealed on the
timeline ("Protection plan set", "Protection plan reviewed"); this row keeps the owner and the
review date, so an overdue review can be shown and its owner reminded without decrypting.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import Permission, StaffPrincipal, may, require
from safeguarding.actions import (
    OPEN_STATUSES,
    ActionContext,
    ActionRefused,
    may_take_work,
    record_action,
    refuse_if_closed,
    required_text,
)
from storage.models import ProtectionPlan, Report

EVENT_PLAN_SET = "plan_set"
EVENT_PLAN_REVIEWED = "plan_reviewed"
LONGEST_BETWEEN_REVIEWS = 92  # days: a plan left a quarter without review is not a plan


def set_plan(
    ctx: ActionContext, report: Report, *, owner_id: int | None, review_on: date | None, plan: str
) -> ProtectionPlan:
    """Write (or rewrite) the plan, naming its owner and first review date."""
    require(ctx.principal, Permission.ADD_NOTE, report)
    refuse_if_closed(report)
    text = required_text(plan)
    if owner_id is None or not may_take_work(ctx.session, report, owner_id):
        raise ActionRefused("plan_owner:invalid")
    review_on = _review_date(ctx, review_on, "plan_review_on:invalid")
    current = ctx.session.get(ProtectionPlan, report.id)
    if current is None:
        current = ProtectionPlan(report_id=report.id)
        ctx.session.add(current)
    current.owner_id, current.review_on = owner_id, review_on
    current.set_at, current.reviewed_at = ctx.clock.now(), None
    record_action(
        ctx, report, EVENT_PLAN_SET, "report.plan_set",
        summary=facts.plan_set(owner_id=owner_id, review_on=review_on.isoformat()), body=text,
        detail={"owner_id": owner_id, "review_on": review_on.isoformat()},
    )  # fmt: skip
    return current


def review_plan(
    ctx: ActionContext, report: Report, *, next_review_on: date | None, note: str
) -> ProtectionPlan:
    """Record a review (what was found, sealed) and when the next one is due."""
    require(ctx.principal, Permission.ADD_NOTE, report)
    refuse_if_closed(report)
    current = ctx.session.get(ProtectionPlan, report.id)
    if current is None:
        raise ActionRefused("plan:none")
    text = required_text(note)
    next_review_on = _review_date(ctx, next_review_on, "plan_next_review_on:invalid")
    current.review_on, current.reviewed_at = next_review_on, ctx.clock.now()
    record_action(
        ctx, report, EVENT_PLAN_REVIEWED, "report.plan_reviewed",
        summary=facts.plan_reviewed(review_on=next_review_on.isoformat()), body=text,
        detail={"review_on": next_review_on.isoformat()},
    )  # fmt: skip
    return current


def plan_of(session: Session, report_id: int) -> ProtectionPlan | None:
    return session.get(ProtectionPlan, report_id)


def review_overdue(plan: ProtectionPlan, today: date) -> bool:
    return plan.review_on < today


def _review_date(ctx: ActionContext, review_on: date | None, refusal: str) -> date:
    today = ctx.clock.now().date()
    if review_on is None or not today < review_on <= today + timedelta(LONGEST_BETWEEN_REVIEWS):
        raise ActionRefused(refusal)
    return review_on


def plans_owned_by(session: Session, principal: StaffPrincipal) -> list[tuple[int, date]]:
    """(case number, review date) of the open cases whose plan this person owns and may
    still read, soonest review first."""
    rows = session.execute(
        select(ProtectionPlan, Report)
        .join(Report, Report.id == ProtectionPlan.report_id)
        .where(ProtectionPlan.owner_id == principal.staff_id, Report.status.in_(OPEN_STATUSES))
        .order_by(ProtectionPlan.review_on, ProtectionPlan.report_id)
    )
    return [
        (report.id, plan.review_on)
        for plan, report in rows
        if may(principal, Permission.READ_REPORT, report)
    ]
