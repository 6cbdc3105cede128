"""The safeguarding queue: most urgent first, overdue worked out in SQL, filters and counts.

Who may see which establishments and queues is decided in safeguarding.access and passed
in as a QueueScope; which statuses run which clock is decided in safeguarding.actions and
passed in as DeadlineRules. This module only turns them into SQL.

The deadline running now is ``report.due_at``, computed by the database (migration 0041),
and ix_report_queue_due keeps open reports per establishment in the queue's own order, so a
page reads its rows from the index and stops after one page, however long the open
backlog and the years of closed reports behind it. The counts still go over the open
reports (through ix_report_open_counts), once; totals come from them when they already
answer, so a page needs no count of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, case, exists, func, literal_column, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from storage.models import (
    CaseTask,
    EvidenceTask,
    ExternalReferral,
    Location,
    ProtectionPlan,
    Report,
    ReportAssignment,
    ReportCategory,
    RetaliationCheckIn,
    StaffUser,
)
from storage.repositories.people import not_naming

Sortable = ColumnElement[Any] | InstrumentedAttribute[Any]
PAGE_SIZE = 50
OPEN_LIKELIHOOD = 0.05  # the share of reports open at once, as a planner hint


@dataclass(frozen=True)
class QueueScope:
    establishment_ids: frozenset[int]
    queues: tuple[str, ...]  # general and/or restricted; empty means nothing at all
    # The viewer's name (blind indexes): reports that name them are left out (conflicts).
    hidden_indexes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DeadlineRules:
    open_statuses: tuple[str, ...]
    # The database applies these two in report.due_at (migration 0041); the tests check that
    # it agrees with them for every status.
    awaiting_acknowledgement: tuple[str, ...]  # statuses in which the acknowledge clock runs
    awaiting_triage: tuple[str, ...]  # statuses in which the triage clock runs


@dataclass(frozen=True)
class QueueFilters:
    statuses: tuple[str, ...] = ()  # empty: every open status
    priorities: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    location_ids: tuple[int, ...] = ()
    assigned_to: int | None = None
    overdue_only: bool = False


@dataclass(frozen=True)
class QueueRow:
    """What the queue shows: metadata only, never what the report says."""

    id: int
    establishment_id: int
    priority: str
    queue: str
    status: str
    channel: str
    language: str
    location: str | None
    created_at: datetime
    due_at: datetime | None
    overdue: bool
    in_danger_now: bool
    self_harm_risk: bool
    assigned_to: str | None
    new_information: bool = False  # the reporter added to it since the team last acted
    categories: list[str] = field(default_factory=list)
    someone_else_in_danger_now: bool = False
    sent_from: str | None = None  # the place of the kiosk it was sent from
    chase_overdue: bool = False  # a referral's chase date has passed with no answer
    evidence_due_at: datetime | None = None  # the soonest evidence still to secure
    evidence_late: bool = False
    casework_late: bool = False  # a task past its due date, or the plan past its review
    checkin_due: bool = False  # a retaliation check-in's date has come, nothing recorded


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    offset: int


@dataclass(frozen=True)
class QueueCounts:
    by_status: dict[str, int]
    overdue: int
    assigned_to_me: int


def overdue_chase_expression(today: date) -> ColumnElement[bool]:
    """A referral of this report is past its chase date. A final answer clears the chase
    date (safeguarding.referrals), so the date alone says there is no answer."""
    return (
        exists()
        .where(
            ExternalReferral.report_id == Report.id,
            ExternalReferral.chase_on.is_not(None),
            ExternalReferral.chase_on < today,
        )
        .correlate(Report)
    )


def evidence_due_expression() -> ColumnElement[datetime]:
    """When the soonest evidence of this report not yet secured (nor found impossible) is due."""
    return (
        select(func.min(EvidenceTask.due_at))
        .where(EvidenceTask.report_id == Report.id, EvidenceTask.outcome.is_(None))
        .correlate(Report)
        .scalar_subquery()
    )


def checkin_due_expression(now: datetime) -> ColumnElement[bool]:
    """A retaliation check-in of this report is due and not recorded."""
    return (
        exists()
        .where(
            RetaliationCheckIn.report_id == Report.id,
            RetaliationCheckIn.outcome.is_(None),
            RetaliationCheckIn.due_at <= now,
        )
        .correlate(Report)
    )


def late_casework_expression(today: date) -> ColumnElement[bool]:
    """A task of this report is past its due date, or its protection plan past its review."""
    late_task = exists().where(
        CaseTask.report_id == Report.id, CaseTask.outcome.is_(None), CaseTask.due_on < today
    )
    late_plan = exists().where(
        ProtectionPlan.report_id == Report.id, ProtectionPlan.review_on < today
    )
    return or_(late_task.correlate(Report), late_plan.correlate(Report))


def _only_open(statuses: tuple[str, ...], rules: DeadlineRules) -> bool:
    return set(statuses) <= set(rules.open_statuses)


def _status_condition(
    session: Session, statuses: tuple[str, ...], rules: DeadlineRules
) -> ColumnElement[bool]:
    # queue_rank (0041) is set exactly when a report is open (tests/triage/
    # test_queue_due_at.py checks it for every status), and is the predicate of the partial
    # indexes of open reports, so both planners read open reports from them.
    is_open = Report.queue_rank.is_not(None)
    if set(statuses) == set(rules.open_statuses):
        # No status term: with one, planners narrow by status through ix_report_open_counts
        # and sort every open report, where ix_report_queue_due gives the page in order.
        return is_open
    condition: ColumnElement[bool] = Report.status.in_(statuses)
    if not _only_open(statuses, rules):
        return condition
    if session.get_bind().dialect.name == "sqlite":
        # SQLite's planner (built without STAT4) assumes statuses are evenly spread, so after
        # ANALYZE it would scan every report to find the open few. likelihood() tells it
        # that open reports are rare.
        hinted = func.likelihood(condition, literal_column(repr(OPEN_LIKELIHOOD)))
        condition = cast(ColumnElement[bool], hinted)  # untyped, so SQLite sees a bare term
    return and_(is_open, condition)


def _order(statuses: tuple[str, ...], rules: DeadlineRules) -> tuple[Sortable, ...]:
    """Priority; within it new information from the reporter first, then reports with a
    running clock (soonest due first), then those with none, then the oldest."""
    if _only_open(statuses, rules):
        # queue_rank (0041) holds the first three, and ix_report_queue_due has these columns
        # in this order: the page is read from the index.
        return (Report.queue_rank, Report.due_at, Report.created_at, Report.id)
    # Closed reports asked for too: they have no queue_rank, so the same order spelled out.
    return (
        Report.priority_rank,
        Report.new_information_at.is_(None),
        Report.due_at.is_(None),
        Report.due_at,
        Report.created_at,
        Report.id,
    )


def in_scope(scope: QueueScope) -> list[ColumnElement[bool]]:
    """The reports ``scope`` covers: of its establishments, in its queues, naming none of
    its hidden indexes."""
    return [
        Report.establishment_id.in_(sorted(scope.establishment_ids)),
        Report.queue.in_(scope.queues),
        not_naming(scope.hidden_indexes),
    ]


def _base_conditions(
    session: Session,
    scope: QueueScope,
    filters: QueueFilters,
    rules: DeadlineRules,
    now: datetime,
) -> list[ColumnElement[bool]]:
    statuses = filters.statuses or rules.open_statuses
    conditions = [*in_scope(scope), _status_condition(session, statuses, rules)]
    if filters.priorities:
        conditions.append(Report.priority.in_(filters.priorities))
    if filters.channels:
        conditions.append(Report.channel.in_(filters.channels))
    if filters.languages:
        conditions.append(Report.language.in_(filters.languages))
    if filters.location_ids:
        conditions.append(Report.location_id.in_(filters.location_ids))
    if filters.categories:
        conditions.append(
            exists()
            .where(
                ReportCategory.report_id == Report.id,
                ReportCategory.category.in_(filters.categories),
            )
            .correlate(Report)
        )
    if filters.assigned_to is not None:
        conditions.append(
            exists()
            .where(
                ReportAssignment.report_id == Report.id,
                ReportAssignment.staff_id == filters.assigned_to,
            )
            .correlate(Report)
        )
    if filters.overdue_only:
        conditions.append(Report.due_at < now)
    return conditions


def fetch_queue(
    session: Session,
    *,
    scope: QueueScope,
    filters: QueueFilters,
    rules: DeadlineRules,
    now: datetime,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    counts: QueueCounts | None = None,
) -> QueuePage:
    """One page of the queue, most urgent first: priority, then the next deadline, then age.

    ``counts`` (from queue_counts, same scope and rules) gives the total when the filters
    are by status only; a page shorter than ``limit`` gives it too. Otherwise it is counted.
    """
    if not scope.queues or not scope.establishment_ids:
        return QueuePage([], 0, 0)
    conditions = _base_conditions(session, scope, filters, rules, now)
    sent_from = aliased(Location)
    statement = (
        select(
            Report,
            Location.name.label("location"),
            StaffUser.display_name.label("assignee"),
            sent_from.name.label("sent_from"),
            overdue_chase_expression(now.date()).label("chase_overdue"),
            evidence_due_expression().label("evidence_due_at"),
            late_casework_expression(now.date()).label("casework_late"),
            checkin_due_expression(now).label("checkin_due"),
        )
        .outerjoin(Location, Location.id == Report.location_id)
        .outerjoin(sent_from, sent_from.id == Report.sent_from_location_id)
        .outerjoin(ReportAssignment, ReportAssignment.report_id == Report.id)
        .outerjoin(StaffUser, StaffUser.id == ReportAssignment.staff_id)
        .where(*conditions)
        .order_by(*_order(filters.statuses or rules.open_statuses, rules))
        .offset(offset)
        .limit(limit)
    )

    rows = [_queue_row(row, now) for row in session.execute(statement)]
    _attach_categories(session, rows)
    total = _known_total(filters, rules, counts, offset, len(rows), limit)
    if total is None:
        total = session.scalar(select(func.count(Report.id)).where(*conditions)) or 0
    return QueuePage(rows, total, offset)


def _known_total(
    filters: QueueFilters,
    rules: DeadlineRules,
    counts: QueueCounts | None,
    offset: int,
    shown: int,
    limit: int,
) -> int | None:
    """The total without counting again, when what is at hand already says it."""
    if shown < limit and (shown or not offset):
        return offset + shown  # the last page (a page past the end says nothing)
    if counts is None or replace(filters, statuses=()) != QueueFilters():
        return None
    statuses = filters.statuses or rules.open_statuses
    if not set(statuses) <= set(rules.open_statuses):
        return None  # counts cover open reports only
    return sum(counts.by_status.get(status, 0) for status in statuses)


def _queue_row(row: Any, now: datetime) -> QueueRow:  # a Row of the select above
    report: Report = row.Report
    return QueueRow(
        id=report.id,
        establishment_id=report.establishment_id,
        priority=report.priority,
        queue=report.queue,
        status=report.status,
        channel=report.channel,
        language=report.language,
        location=row.location,
        created_at=report.created_at,
        due_at=report.due_at,
        overdue=report.due_at is not None and report.due_at < now,
        in_danger_now=report.in_danger_now,
        self_harm_risk=report.self_harm_risk,
        assigned_to=row.assignee,
        new_information=report.new_information_at is not None,
        someone_else_in_danger_now=report.someone_else_in_danger_now,
        sent_from=row.sent_from,
        chase_overdue=bool(row.chase_overdue),
        evidence_due_at=row.evidence_due_at,
        evidence_late=row.evidence_due_at is not None and row.evidence_due_at < now,
        casework_late=bool(row.casework_late),
        checkin_due=bool(row.checkin_due),
    )


def _attach_categories(session: Session, rows: Sequence[QueueRow]) -> None:
    by_id = {row.id: row for row in rows}
    if not by_id:
        return
    statement = (
        select(ReportCategory.report_id, ReportCategory.category)
        .where(ReportCategory.report_id.in_(by_id))
        .order_by(ReportCategory.report_id, ReportCategory.category)
    )
    for report_id, category in session.execute(statement):
        by_id[report_id].categories.append(category)


def queue_counts(
    session: Session, *, scope: QueueScope, rules: DeadlineRules, now: datetime, staff_id: int
) -> QueueCounts:
    """Open reports by status, how many are overdue, and how many are assigned to ``staff_id``.

    The first two through ix_report_open_counts; the assigned ones from the assignments of
    ``staff_id`` (a few), not by joining every open report to its assignment."""
    if not scope.queues or not scope.establishment_ids:
        return QueueCounts({}, 0, 0)
    conditions = _base_conditions(session, scope, QueueFilters(), rules, now)
    overdue = func.sum(case((Report.due_at < now, 1), else_=0))
    statement = (
        select(Report.status, func.count(Report.id), overdue)
        .where(*conditions)
        .group_by(Report.status)
    )
    by_status: dict[str, int] = {}
    overdue_total = 0
    for status, count, overdue_count in session.execute(statement):
        by_status[status] = count
        overdue_total += int(overdue_count or 0)
    # From this person's few assignments, each report looked up by its id: a join lets a
    # planner without statistics start from every open report instead.
    in_scope = exists().where(Report.id == ReportAssignment.report_id, *conditions)
    mine = select(func.count()).where(ReportAssignment.staff_id == staff_id, in_scope)
    return QueueCounts(by_status, overdue_total, session.scalar(mine) or 0)
