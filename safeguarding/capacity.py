"""Capacity and consent on a case (Mental Capacity Act 2005), one record per decision.

The five principles shape what is asked: capacity is presumed, so a record where it was not
in doubt needs no assessment; where it was, the support given to help the person decide is
required before anyone may say they lack capacity; an unwise decision is not a lack of
capacity (the page says so); a person found to lack capacity for this decision has a
best-interests decision, which names who was consulted and the least restrictive option.
Whether an advocate, an appropriate adult, or family or a friend supported them is kept as a
code, for the Safeguarding Adults Collection. The words are sealed on the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Permission, require
from safeguarding.actions import (
    ActionContext,
    ActionRefused,
    record_action,
    refuse_if_closed,
    required_text,
)
from safeguarding.i18n import N_
from storage.models import CapacityRecord, Report

EVENT_CAPACITY = "capacity_recorded"

LACKS_LABELS = {
    # Translators: capacity record: assessed, and the person has capacity for this decision.
    "no": N_("Has capacity for this decision"),
    # Translators: capacity record: assessed, and the person lacks capacity for this decision.
    "yes": N_("Lacks capacity for this decision"),
    # Translators: capacity record: capacity was not in doubt, so it was not assessed.
    "not_assessed": N_("Not in doubt: capacity presumed"),
}
SUPPORT_LABELS = {
    # Translators: capacity record: an independent advocate supported the person.
    "advocate": N_("An independent advocate"),
    # Translators: capacity record: an appropriate adult supported the person.
    "appropriate_adult": N_("An appropriate adult"),
    # Translators: capacity record: family or a friend supported the person.
    "family_friend": N_("Family or a friend"),
    # Translators: capacity record: nobody of these supported the person.
    "none": N_("None of these"),
}


@dataclass(frozen=True)
class CapacityAnswers:
    decision: str  # which decision (sealed)
    in_doubt: bool
    lacks_capacity: str = "not_assessed"  # LACKS_LABELS
    support_given: str = ""  # how they were helped to decide (sealed; needed when in doubt)
    support: str = "none"  # SUPPORT_LABELS
    consulted: str = ""  # best interests: who was consulted (sealed; needed when lacking)
    least_restrictive: str = ""  # best interests: the least restrictive option (sealed)


def record_capacity(
    ctx: ActionContext, report: Report, answers: CapacityAnswers, *, body: str
) -> CapacityRecord:
    """Keep one capacity record; ``body`` is the door's sealed wording of the answers."""
    require(ctx.principal, Permission.ADD_NOTE, report)
    refuse_if_closed(report)
    _check(answers)
    record = CapacityRecord(
        report_id=report.id, recorded_at=ctx.clock.now(), recorded_by=ctx.principal.actor,
        in_doubt=answers.in_doubt, lacks_capacity=answers.lacks_capacity,
        support=answers.support, best_interests=answers.lacks_capacity == "yes",
    )  # fmt: skip
    ctx.session.add(record)
    ctx.session.flush()
    record_action(
        ctx, report, EVENT_CAPACITY, "report.capacity_recorded", body=required_text(body),
        summary=answers.lacks_capacity,
        detail={"capacity_record_id": record.id, "lacks_capacity": answers.lacks_capacity},
    )  # fmt: skip
    return record


def _check(answers: CapacityAnswers) -> None:
    if not answers.decision.strip():
        raise ActionRefused("capacity_decision:required")
    if answers.support not in SUPPORT_LABELS:
        raise ActionRefused("capacity_support:invalid")
    if not answers.in_doubt:
        if answers.lacks_capacity != "not_assessed":
            raise ActionRefused("capacity_lacks:presumed")  # no doubt, no finding of lack
        return
    if answers.lacks_capacity not in ("yes", "no"):
        raise ActionRefused("capacity_lacks:required")
    if not answers.support_given.strip():
        raise ActionRefused("capacity_support_given:required")
    if answers.lacks_capacity == "yes":
        if not answers.consulted.strip():
            raise ActionRefused("capacity_consulted:required")
        if not answers.least_restrictive.strip():
            raise ActionRefused("capacity_least_restrictive:required")


def records_of(session: Session, report_id: int) -> list[CapacityRecord]:
    return list(
        session.scalars(
            select(CapacityRecord)
            .where(CapacityRecord.report_id == report_id)
            .order_by(CapacityRecord.recorded_at, CapacityRecord.id)
        )
    )
