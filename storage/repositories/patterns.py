"""Read models for the patterns page and the digest's patterns: how many reports about each
place and category, per ISO week or over a whole window. Counts only, never content.

Who may be counted (establishments, queues) and the window are decided in
safeguarding.patterns and passed in as a StatsScope; this module only turns them into SQL.
Weeks are ISO weeks in UTC, named by their Monday (YYYY-MM-DD), the same on SQLite and
PostgreSQL. A report with two categories counts once in each, like the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from storage.models import Establishment, Location, Report, ReportCategory
from storage.repositories.stats import StatsScope


@dataclass(frozen=True)
class PlaceCount:
    """Reports about one place (a location, or none given) and one category."""

    establishment_id: int
    location_id: int | None  # None: the reporter gave no place
    category: str
    week: str  # the Monday of the ISO week (YYYY-MM-DD), or "" when not split by week
    count: int


@dataclass(frozen=True)
class PlaceName:
    establishment_id: int
    establishment: str
    location_id: int
    name: str
    position: int


def week_of(session: Session, column: Any) -> ColumnElement[str]:
    """The Monday (UTC) of the ISO week a time falls in, as YYYY-MM-DD."""
    if session.get_bind().dialect.name == "sqlite":
        # Back six days, then forward to the next Monday (or stay on one).
        return func.date(column, "-6 days", "weekday 1")
    return func.to_char(func.date_trunc("week", func.timezone("UTC", column)), "YYYY-MM-DD")


def _where(scope: StatsScope, category: str | None) -> list[ColumnElement[bool]]:
    conditions = [
        Report.establishment_id.in_(sorted(scope.establishment_ids)),
        Report.queue.in_(scope.queues),
        Report.created_at >= scope.since,
        Report.created_at < scope.until,
    ]
    if category is not None:
        conditions.append(ReportCategory.category == category)
    return conditions


def counts_by_place_category_week(
    session: Session, *, scope: StatsScope, category: str | None = None
) -> list[PlaceCount]:
    """Reports per (establishment, location, category, ISO week) in scope."""
    if scope.empty:
        return []
    week = week_of(session, Report.created_at).label("week")
    statement = (
        select(
            Report.establishment_id, Report.location_id, ReportCategory.category, week, func.count()
        )
        .join(ReportCategory, ReportCategory.report_id == Report.id)
        .where(*_where(scope, category))
        .group_by(Report.establishment_id, Report.location_id, ReportCategory.category, week)
    )
    return [
        PlaceCount(int(e), None if loc is None else int(loc), str(c), str(w), int(n))
        for e, loc, c, w, n in session.execute(statement)
    ]


def counts_by_place_category(
    session: Session, *, scope: StatsScope, at_least: int = 1
) -> list[PlaceCount]:
    """Reports per (establishment, location, category) in scope, with ``at_least`` reports,
    most first."""
    if scope.empty:
        return []
    count = func.count()
    statement = (
        select(Report.establishment_id, Report.location_id, ReportCategory.category, count)
        .join(ReportCategory, ReportCategory.report_id == Report.id)
        .where(*_where(scope, None))
        .group_by(Report.establishment_id, Report.location_id, ReportCategory.category)
        .having(count >= at_least)
    )
    found = [
        PlaceCount(int(e), None if loc is None else int(loc), str(c), "", int(n))
        for e, loc, c, n in session.execute(statement)
    ]
    return sorted(
        found, key=lambda p: (-p.count, p.establishment_id, p.location_id or 0, p.category)
    )


def place_names(session: Session, *, establishment_ids: frozenset[int]) -> list[PlaceName]:
    """Every location of these establishments, in the establishment's own order."""
    statement = (
        select(Location.establishment_id, Establishment.name, Location.id, Location.name,
               Location.position)
        .join(Establishment, Establishment.id == Location.establishment_id)
        .where(Location.establishment_id.in_(sorted(establishment_ids)))
        .order_by(Establishment.name, Location.position, Location.name)
    )  # fmt: skip
    return [PlaceName(int(e), str(en), int(i), str(n), int(p)) for e, en, i, n, p in
            session.execute(statement)]  # fmt: skip


def establishment_names(session: Session, *, establishment_ids: frozenset[int]) -> dict[int, str]:
    statement = select(Establishment.id, Establishment.name).where(
        Establishment.id.in_(sorted(establishment_ids))
    )
    return {int(i): str(n) for i, n in session.execute(statement)}
