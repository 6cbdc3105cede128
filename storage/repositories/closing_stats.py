"""The Safeguarding Adults Collection's closing figures for the board: of the reports closed in
the period, what they were asked and got (Making Safeguarding Personal), what became of the
risk, whether they lacked capacity and, if so, whether someone supported them."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import CapacityRecord, Report
from storage.repositories.stats import StatsScope

NOT_RECORDED = "not_recorded"
SUPPORTERS = ("advocate", "appropriate_adult", "family_friend")


def closing_counts(session: Session, *, scope: StatsScope) -> dict[str, dict[str, int]]:
    """section -> answer -> number of reports closed in the period."""
    if scope.empty:
        return {}
    closed = session.execute(
        select(
            Report.id, Report.outcomes_asked, Report.outcomes_achieved, Report.risk_outcome
        ).where(
            Report.closed_at >= scope.since,
            Report.closed_at < scope.until,
            Report.status == "closed",
            Report.establishment_id.in_(sorted(scope.establishment_ids)),
            Report.queue.in_(scope.queues),
        )
    ).all()
    capacity = _capacity_by_report(session, [row.id for row in closed])
    counts: dict[str, Counter[str]] = {
        name: Counter()
        for name in ("outcomes_asked", "outcomes_achieved", "risk", "lacked_capacity", "supported")
    }
    for report_id, asked, achieved, risk in closed:
        counts["outcomes_asked"][asked or NOT_RECORDED] += 1
        if asked == "asked_expressed":
            counts["outcomes_achieved"][achieved or NOT_RECORDED] += 1
        counts["risk"][risk or NOT_RECORDED] += 1
        lacked, supported = capacity.get(report_id, (NOT_RECORDED, False))
        counts["lacked_capacity"][lacked] += 1
        if lacked == "yes":
            counts["supported"]["yes" if supported else "no"] += 1
    return {name: dict(found) for name, found in counts.items() if found}


def _capacity_by_report(session: Session, report_ids: list[int]) -> dict[int, tuple[str, bool]]:
    """Per report: "yes" if any record found a lack of capacity, else "no"; and whether
    anyone in SUPPORTERS supported them."""
    found: dict[int, tuple[str, bool]] = {}
    for start in range(0, len(report_ids), 500):
        chunk = report_ids[start : start + 500]
        rows = session.execute(
            select(
                CapacityRecord.report_id, CapacityRecord.lacks_capacity, CapacityRecord.support
            ).where(CapacityRecord.report_id.in_(chunk))
        )
        for report_id, lacks, support in rows:
            lacked, supported = found.get(report_id, ("no", False))
            found[report_id] = (
                "yes" if lacks == "yes" or lacked == "yes" else "no",
                supported or support in SUPPORTERS,
            )
    return found
