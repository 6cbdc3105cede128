"""Read models for quality assurance: counts over time, response times, overdue, referrals,
and the closed cases a practice audit draws from.

Who may be counted (establishments, queues) is decided in safeguarding.access and passed
in as a StatsScope; what counts as triage is decided in safeguarding.quality and passed in
as a TriageEvents. This module only turns them into SQL. Months are calendar months in UTC
(the same on SQLite and PostgreSQL).

The dashboard reads a year of reports at a time, so the work is done in the database:
counts with GROUP BY over ``ix_report_stats`` (a covering index: no table reads), and
response times as aggregates and window functions over one pass of the reports, returning
a handful of rows rather than one per report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Float,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from storage.models import Report, ReportCategory, TimelineEvent
from storage.repositories.queue import DeadlineRules

DIMENSIONS = ("category", "channel", "language", "location")
STEPS = ("acknowledge", "triage")


@dataclass(frozen=True)
class StatsScope:
    establishment_ids: frozenset[int]
    queues: tuple[str, ...]  # general and/or restricted; empty means nothing at all
    since: datetime  # reports received at or after
    until: datetime  # and before

    @property
    def empty(self) -> bool:
        return not self.queues or not self.establishment_ids


@dataclass(frozen=True)
class TriageEvents:
    """The timeline events that mark a report as triaged (see safeguarding.quality)."""

    status_kind: str  # a status change ...
    summary_endings: tuple[str, ...]  # ... whose summary ends so (a move to a status)
    closing_kind: str  # or closing the case


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM
    key: str  # the category, channel, language code or location id ("" for none)
    count: int


@dataclass(frozen=True)
class StepSummary:
    """One step (acknowledge or triage) for one priority, over the reports in scope.
    "In time" is done at or before the report's own due time, compared in the database."""

    clocks: int  # reports that had a due time for this step
    done: int
    done_in_time: int
    not_done_past_due: int  # not done, and the due time has passed
    median_seconds: float | None
    p90_seconds: float | None  # nearest rank: a time that really happened


@dataclass(frozen=True)
class CaseClock:
    """For one report: was each step done, and in time? (None: no clock, or not done.)"""

    acknowledged_in_time: bool | None
    triaged_in_time: bool | None


def month_of(session: Session, column: Any) -> ColumnElement[str]:
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM")


def seconds_between(session: Session, start: Any, end: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end - start)


def _in_scope(scope: StatsScope) -> list[ColumnElement[bool]]:
    return [
        Report.establishment_id.in_(sorted(scope.establishment_ids)),
        Report.queue.in_(scope.queues),
        Report.created_at >= scope.since,
        Report.created_at < scope.until,
    ]


def counts_by_month(session: Session, *, scope: StatsScope) -> dict[str, list[MonthCount]]:
    """Reports received per month, split by each dimension (a report with two categories
    counts once in each). Channel, language and place come from one pass of the index."""
    found: dict[str, list[MonthCount]] = {dimension: [] for dimension in DIMENSIONS}
    if scope.empty:
        return found
    month = month_of(session, Report.created_at).label("month")
    combined = (
        select(month, Report.channel, Report.language, Report.location_id, func.count())
        .where(*_in_scope(scope))
        .group_by(month, Report.channel, Report.language, Report.location_id)
    )
    totals: dict[str, dict[tuple[str, str], int]] = {"channel": {}, "language": {}, "location": {}}
    for found_month, channel, language, location_id, count in session.execute(combined):
        keys = {"channel": channel, "language": language, "location": location_id}
        for dimension, key in keys.items():
            slot = (str(found_month), "" if key is None else str(key))
            totals[dimension][slot] = totals[dimension].get(slot, 0) + int(count)
    for dimension, table in totals.items():
        found[dimension] = [MonthCount(m, k, c) for (m, k), c in sorted(table.items())]
    by_category = (
        select(month, ReportCategory.category, func.count())
        .join(ReportCategory, ReportCategory.report_id == Report.id)
        .where(*_in_scope(scope))
        .group_by(month, ReportCategory.category)
        .order_by(month, ReportCategory.category)
    )
    found["category"] = [
        MonthCount(str(m), str(k), int(c)) for m, k, c in session.execute(by_category)
    ]
    return found


def triaged_at_expression(events: TriageEvents) -> ColumnElement[datetime]:
    """When a report was first triaged: its first qualifying timeline event (or NULL)."""
    moved_on = or_(*(TimelineEvent.summary.like(f"%{end}") for end in events.summary_endings))
    return (
        select(func.min(TimelineEvent.at))
        .where(
            TimelineEvent.report_id == Report.id,
            or_(
                TimelineEvent.kind == events.closing_kind,
                and_(TimelineEvent.kind == events.status_kind, moved_on),
            ),
        )
        .correlate(Report)
        .scalar_subquery()
    )


def _clocks(scope: StatsScope, events: TriageEvents) -> CTE:
    """Each report's due and done times, worked out once (MATERIALIZED: the triage time is
    a subquery that a flattened query would run again for every use)."""
    return (
        select(
            Report.priority.label("priority"),
            Report.created_at.label("created"),
            Report.acknowledge_due_at.label("acknowledge_due"),
            Report.acknowledged_at.label("acknowledge_done"),
            Report.triage_due_at.label("triage_due"),
            triaged_at_expression(events).label("triage_done"),
        )
        .where(*_in_scope(scope))
        .cte("clocks")
        .prefix_with("MATERIALIZED")
    )


def step_summaries(
    session: Session, *, scope: StatsScope, events: TriageEvents, now: datetime
) -> dict[tuple[str, str], StepSummary]:
    """Counts, median and 90th percentile per (step, priority), for steps with a clock.

    One statement: the counts and the ranked times both read the materialised clocks, so
    the reports (and their triage times) are read once."""
    if scope.empty:
        return {}
    clocks = _clocks(scope, events)
    moment = literal(now, type_=Report.created_at.type)
    statement = union_all(
        *(_count_rows(clocks, step, moment) for step in STEPS), _rank_rows(session, clocks)
    )
    counted: dict[tuple[str, str], list[int]] = {}
    ranked: dict[tuple[str, str], dict[int, float]] = {}
    sizes: dict[tuple[str, str], int] = {}
    for kind, step, priority, first, second, third, fourth in session.execute(statement):
        key = (str(step), str(priority))
        if kind == "count":
            counted[key] = [int(value or 0) for value in (first, second, third, fourth)]
        else:  # a time at one of the ranks wanted: (n, rank, seconds)
            sizes[key] = int(first)
            ranked.setdefault(key, {})[int(second)] = float(third)
    summaries = {}
    for key, (total, finished, in_time, past_due) in counted.items():
        if total:  # this priority has a clock for this step
            middle, p90 = _at_ranks(ranked.get(key), sizes.get(key, 0))
            summaries[key] = StepSummary(total, finished, in_time, past_due, middle, p90)
    return summaries


def _count_rows(clocks: CTE, step: str, moment: Any) -> Select[*tuple[Any, ...]]:
    due, done = clocks.c[f"{step}_due"], clocks.c[f"{step}_done"]
    return select(
        literal_column("'count'").label("kind"),
        literal_column(f"'{step}'").label("step"),
        clocks.c.priority,
        cast(func.count(due), Float),
        cast(func.count(case((due.is_not(None), done))), Float),
        cast(func.sum(case((done <= due, 1), else_=0)), Float),
        cast(func.sum(case((and_(done.is_(None), due < moment), 1), else_=0)), Float),
    ).group_by(clocks.c.priority)


def _rank_rows(session: Session, clocks: CTE) -> Select[*tuple[Any, ...]]:
    """The times to each step at the ranks of the median and the nearest-rank 90th
    percentile, found with window functions: only those rows come back."""
    parts = []
    for step in STEPS:
        due, done = clocks.c[f"{step}_due"], clocks.c[f"{step}_done"]
        parts.append(
            select(
                literal_column(f"'{step}'").label("step"),
                clocks.c.priority.label("priority"),
                seconds_between(session, clocks.c.created, done).label("seconds"),
            ).where(due.is_not(None), done.is_not(None))
        )
    times = union_all(*parts).subquery("times")
    group = (times.c.step, times.c.priority)
    ranked = select(
        times.c.step,
        times.c.priority,
        times.c.seconds,
        func.row_number().over(partition_by=group, order_by=times.c.seconds).label("rank"),
        func.count().over(partition_by=group).label("n"),
    ).subquery("ranked")
    n, rank = ranked.c.n, ranked.c.rank
    return select(
        literal_column("'rank'").label("kind"),
        ranked.c.step,
        ranked.c.priority,
        cast(n, Float),
        cast(rank, Float),
        cast(ranked.c.seconds, Float),
        cast(null(), Float),
    ).where(rank.in_([(n + 1) // 2, (n + 2) // 2, (9 * n + 9) // 10]))


def _at_ranks(values: dict[int, float] | None, size: int) -> tuple[float | None, float | None]:
    """The median (the mean of the two middle times when there is an even number) and
    the nearest-rank 90th percentile: the smallest time with 90% at or below it."""
    if not values:
        return None, None
    middle = (values[(size + 1) // 2] + values[(size + 2) // 2]) / 2
    return round(middle, 3), round(values[(9 * size + 9) // 10], 3)


def case_clocks(
    session: Session, *, report_ids: Sequence[int], events: TriageEvents
) -> dict[int, CaseClock]:
    """For a few given reports (a practice-audit sample): each step in time or not."""
    if not report_ids:
        return {}
    triaged = triaged_at_expression(events)
    statement = select(
        Report.id,
        case(
            (Report.acknowledge_due_at.is_(None) | Report.acknowledged_at.is_(None), None),
            (Report.acknowledged_at <= Report.acknowledge_due_at, True),
            else_=False,
        ),
        case((triaged.is_(None), None), (triaged <= Report.triage_due_at, True), else_=False),
    ).where(Report.id.in_(sorted(report_ids)))
    return {
        report_id: CaseClock(_flag(acknowledged), _flag(triaged_in_time))
        for report_id, acknowledged, triaged_in_time in session.execute(statement)
    }


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)


def overdue_by_priority(
    session: Session,
    *,
    establishment_ids: frozenset[int],
    queues: tuple[str, ...],
    rules: DeadlineRules,
    now: datetime,
) -> dict[str, int]:
    """Open reports past the deadline running now, by priority (the queue's own rule)."""
    if not queues or not establishment_ids:
        return {}
    statement = (
        select(Report.priority, func.count(Report.id))
        .where(
            Report.establishment_id.in_(sorted(establishment_ids)),
            Report.queue.in_(queues),
            Report.status.in_(rules.open_statuses),
            Report.due_at < now,
        )
        .group_by(Report.priority)
    )
    return {priority: int(count) for priority, count in session.execute(statement)}


def referral_counts(
    session: Session, *, scope: StatsScope, kind: str
) -> list[tuple[str, str, int]]:
    """Referral decisions recorded in the period, as (agency, decision, count)."""
    if scope.empty:
        return []
    statement = (
        select(TimelineEvent.summary, func.count(TimelineEvent.id))
        .join(Report, Report.id == TimelineEvent.report_id)
        .where(
            TimelineEvent.kind == kind,
            TimelineEvent.at >= scope.since,
            TimelineEvent.at < scope.until,
            Report.establishment_id.in_(sorted(scope.establishment_ids)),
            Report.queue.in_(scope.queues),
        )
        .group_by(TimelineEvent.summary)
    )
    found = []
    for summary, count in session.execute(statement):
        # A referral fact (safeguarding.timeline_facts.referral): its agency and decision.
        fact = json.loads(summary)
        found.append((str(fact["agency"]), str(fact["decision"]), int(count)))
    return sorted(found)


def closed_report_ids(
    session: Session,
    *,
    establishment_id: int,
    queues: tuple[str, ...],
    closed_since: datetime,
    closed_before: datetime,
) -> Sequence[int]:
    """Every case closed in the window: what a practice-audit sample is drawn from."""
    if not queues:
        return []
    return session.scalars(
        select(Report.id)
        .where(
            Report.establishment_id == establishment_id,
            Report.queue.in_(queues),
            Report.status == "closed",
            Report.closed_at >= closed_since,
            Report.closed_at < closed_before,
        )
        .order_by(Report.id)
    ).all()
