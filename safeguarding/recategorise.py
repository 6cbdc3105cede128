"""Re-categorising a report: staff correct the categories a prisoner's plain words mapped to.

The categories feed the Care Act figures the Safeguarding Adults Board receives, and they
decide two prompts on the case page (ACCT for self-harm, the duty to notify for modern
slavery). A correction never lowers a safeguard: a prompt once raised stays raised, and a
report re-categorised as staff misconduct moves to the restricted queue and stays there.
"""

from __future__ import annotations

from safeguarding import timeline_facts as facts
from safeguarding.access import RESTRICTED_QUEUE, Permission, raised_queue, require
from safeguarding.actions import (
    ActionContext,
    ActionRefused,
    record_action,
    refuse_if_closed,
    required_text,
)
from safeguarding.catalogue import Category
from safeguarding.checkins import open_checkins
from safeguarding.evidence import open_evidence_tasks
from safeguarding.policy import Policy
from storage.models import Report, ReportCategory

EVENT_RECATEGORISED = "recategorised"
RESTRICTED_CATEGORIES = frozenset({Category.STAFF_MISCONDUCT})


def recategorise(
    ctx: ActionContext, report: Report, *, categories: list[str], reason: str, policy: Policy
) -> None:
    """Replace the report's categories with ``categories``, saying why (sealed)."""
    require(ctx.principal, Permission.RECATEGORISE, report)
    refuse_if_closed(report)
    reason = required_text(reason)
    chosen = _valid_categories(categories)
    before = sorted(c.category for c in report.categories)
    if sorted(chosen) == before:
        raise ActionRefused("categories:unchanged")
    report.categories.clear()
    ctx.session.flush()  # the old rows go before new rows with the same keys arrive
    report.categories.extend(ReportCategory(category=c.value) for c in sorted(chosen))
    _raise_safeguards(report, chosen, policy)
    open_evidence_tasks(ctx.session, report, policy)
    open_checkins(ctx.session, report, policy)
    record_action(
        ctx,
        report,
        EVENT_RECATEGORISED,
        "report.recategorised",
        summary=facts.recategorised(categories=[c.value for c in chosen]),
        body=reason,
        detail={"from": before, "to": sorted(chosen), "queue": report.queue},
    )


def _valid_categories(categories: list[str]) -> set[Category]:
    known = {c.value for c in Category}
    chosen = {c for c in categories if c}
    if not chosen:
        raise ActionRefused("categories:required")
    if not chosen <= known:
        raise ActionRefused("categories:invalid")
    return {Category(c) for c in chosen}


def _raise_safeguards(report: Report, chosen: set[Category], policy: Policy) -> None:
    if chosen & RESTRICTED_CATEGORIES:
        report.queue = raised_queue(report.queue, RESTRICTED_QUEUE)
    if chosen & policy.acct_when_categories:
        report.acct_prompted = True
    if chosen & policy.duty_to_notify_when_categories:
        report.duty_to_notify_prompted = True
