"""The SQL behind suggested links and cumulative concerns: reports that share a person (by
blind index, through ``ix_report_person_blind_index``) or a wing and a category. Nothing
sealed is read, and nothing here decides who may see what (safeguarding.suggestions does).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    and_,
    bindparam,
    case,
    func,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from storage.models import (
    CrossSiteRequest,
    Establishment,
    PlaceDayCount,
    Report,
    ReportCategory,
    ReportLink,
    ReportPerson,
    SuggestionDecision,
)
from storage.repositories.people import not_naming


@dataclass(frozen=True)
class Match:
    """Another report in a group: what access needs (queue, establishment), and why."""

    report_id: int
    establishment_id: int
    queue: str
    created_at: datetime
    key: str  # the blind index, or the category, it shares
    role: str = ""  # the role the other report gives the shared person


def people_matches(
    session: Session,
    *,
    indexes: Collection[str],
    establishment_id: int,
    roles: Collection[str] | None = None,
    since: datetime | None = None,
) -> list[Match]:
    """Reports at one establishment whose current people carry one of ``indexes``."""
    if not indexes:
        return []
    query = (
        select(
            ReportPerson.report_id,
            Report.establishment_id,
            Report.queue,
            Report.created_at,
            ReportPerson.blind_index,
            ReportPerson.role,
        )
        .join(Report, Report.id == ReportPerson.report_id)
        .where(
            ReportPerson.blind_index.in_(sorted(indexes)),
            ReportPerson.establishment_id == establishment_id,
            ReportPerson.removed_at.is_(None),
        )
    )
    if roles is not None:
        query = query.where(ReportPerson.role.in_(sorted(roles)))
    if since is not None:
        query = query.where(Report.created_at >= since)
    rows = session.execute(query.order_by(ReportPerson.report_id))
    return [
        Match(rid, place, queue, at, index or "", role)
        for rid, place, queue, at, index, role in rows
    ]


def place_matches(
    session: Session,
    *,
    location_id: int,
    categories: Collection[str],
    since: datetime,
    until: datetime,
) -> list[Match]:
    """Reports about one wing, with one of ``categories``, received in [since, until]."""
    if not categories:
        return []
    query = (
        select(
            Report.id, Report.establishment_id, Report.queue, Report.created_at,
            ReportCategory.category,
        )
        .join(ReportCategory, ReportCategory.report_id == Report.id)
        .where(
            Report.location_id == location_id,
            ReportCategory.category.in_(sorted(categories)),
            Report.created_at >= since,
            Report.created_at <= until,
        )
        .order_by(Report.id)
    )  # fmt: skip
    return [Match(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class Place:
    """Reports about one wing with one of some categories, received in [since, until]."""

    location_id: int
    categories: frozenset[str]
    since: datetime
    until: datetime

    def conditions(self) -> tuple[ColumnElement[bool], ...]:
        return (
            Report.location_id == self.location_id,
            ReportCategory.category.in_(sorted(self.categories)),
            Report.created_at >= self.since,
            Report.created_at <= self.until,
        )


@dataclass(frozen=True)
class LeftOut:
    """The case itself, as place_day_count counted it: left out of its own counts."""

    report_id: int
    establishment_id: int
    location_id: int | None
    queue: str
    created_at: datetime
    categories: frozenset[str]


def place_counts(
    session: Session,
    place: Place,
    *,
    leave_out: LeftOut,
    open_to: Visibility,
) -> dict[str, tuple[int, int]]:
    """Per category, how many reports about one wing in [since, until] (but ``leave_out``)
    the reader may open and may not. Whole days come from the counts the database keeps
    (place_day_count, migration 0037), less the few reports there that name the reader;
    the part-days at either end are counted report by report."""
    first, last = _whole_days(place)
    others = Report.id != leave_out.report_id
    if first >= last:
        counted = _tally(session, *place.conditions(), others, open_to=open_to)
        return {c: (seen, total - seen) for c, (seen, total) in counted.items()}
    start, end = _midnight(first), _midnight(last)
    totals = _day_counts(session, place, first, last, open_to)
    naming = _naming_reader(session, place, start, end, leave_out=leave_out, open_to=open_to)
    for adjust in (
        _tally(session, *place.conditions(), Report.created_at < start, others, open_to=open_to),
        _tally(session, *place.conditions(), Report.created_at >= end, others, open_to=open_to),
        _own(place, start, end, leave_out, open_to),
        {category: (-seen, 0) for category, seen in naming.items()},
    ):
        for category, (seen, total) in adjust.items():
            before = totals.get(category, (0, 0))
            totals[category] = (before[0] + seen, before[1] + total)
    return {c: (seen, total - seen) for c, (seen, total) in totals.items() if total > 0}


def _own(
    place: Place, start: datetime, end: datetime, case_: LeftOut, open_to: Visibility
) -> dict[str, tuple[int, int]]:
    """What the case itself added to the whole days' counts, to take away again."""
    if case_.location_id != place.location_id or not start <= case_.created_at < end:
        return {}
    in_scope = case_.establishment_id in open_to.establishment_ids and case_.queue in open_to.queues
    return {c: (-int(in_scope), -1) for c in case_.categories & place.categories}


def _whole_days(place: Place) -> tuple[date, date]:
    """The first whole day in [since, until] and the day after the last (UTC)."""
    first = place.since.astimezone(UTC).date()
    if _midnight(first) < place.since:
        first += timedelta(days=1)
    return first, place.until.astimezone(UTC).date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _day_counts(
    session: Session, place: Place, first: date, last: date, open_to: Visibility
) -> dict[str, tuple[int, int]]:
    """(in the reader's establishments and queues, all) per category over whole days."""
    in_scope = and_(
        PlaceDayCount.establishment_id.in_(sorted(open_to.establishment_ids)),
        PlaceDayCount.queue.in_(open_to.queues),
    )
    rows = session.execute(
        select(
            PlaceDayCount.category,
            func.sum(case((in_scope, PlaceDayCount.reports), else_=0)),
            func.sum(PlaceDayCount.reports),
        )
        .where(
            PlaceDayCount.location_id == place.location_id,
            PlaceDayCount.category.in_(sorted(place.categories)),
            PlaceDayCount.day >= first,
            PlaceDayCount.day < last,
        )
        .group_by(PlaceDayCount.category)
    )
    return {category: (int(seen or 0), int(total or 0)) for category, seen, total in rows}


def _tally(
    session: Session,
    *conditions: ColumnElement[bool],
    open_to: Visibility,
    readable: ColumnElement[bool] | None = None,
) -> dict[str, tuple[int, int]]:
    """(readable, all) per category of the reports meeting ``conditions``, one by one."""
    test = open_to.condition() if readable is None else readable
    query = (
        select(ReportCategory.category, func.sum(case((test, 1), else_=0)), func.count())
        .join(ReportCategory, ReportCategory.report_id == Report.id)
        .where(*conditions)
        .group_by(ReportCategory.category)
    )
    return {
        category: (int(seen or 0), int(total)) for category, seen, total in session.execute(query)
    }


def _naming_reader(
    session: Session,
    place: Place,
    start: datetime,
    end: datetime,
    *,
    leave_out: LeftOut,
    open_to: Visibility,
) -> dict[str, int]:
    """Per category, reports in [start, end) within the reader's establishments and queues
    that name the reader: counted in place_day_count as readable, yet hidden from them.
    Found from the reader's blind indexes (few reports), not by scanning the wing."""
    if not open_to.name_indexes:
        return {}
    rows = session.execute(
        select(ReportCategory.category, func.count(func.distinct(Report.id)))
        .select_from(ReportPerson)
        .join(Report, Report.id == ReportPerson.report_id)
        .join(ReportCategory, ReportCategory.report_id == Report.id)
        .where(
            ReportPerson.blind_index.in_(sorted(open_to.name_indexes)),
            ReportPerson.removed_at.is_(None),
            *place.conditions(),
            Report.created_at >= start,
            Report.created_at < end,
            Report.id != leave_out.report_id,
            open_to.scope(),
        )
        .group_by(ReportCategory.category)
    )
    return {category: int(count) for category, count in rows}


def place_listed(
    session: Session,
    place: Place,
    *,
    leave_out: Collection[int],
    open_to: Visibility,
    limit: int,
) -> list[Match]:
    """The newest reports about one wing the reader may open, at most ``limit``."""
    query = (
        select(
            Report.id, Report.establishment_id, Report.queue, Report.created_at,
            ReportCategory.category,
        )
        .join(ReportCategory, ReportCategory.report_id == Report.id)
        .where(
            *place.conditions(),
            Report.id.not_in(sorted(leave_out)),
            open_to.condition(),
        )
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
    )  # fmt: skip
    return [Match(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class Visibility:
    """Who is reading, as SQL can test it (safeguarding.access decides the values: the
    establishments they belong to, the queues their role reads, the indexes of their name)."""

    establishment_ids: frozenset[int]
    queues: tuple[str, ...]
    name_indexes: frozenset[str]

    def scope(self) -> ColumnElement[bool]:
        """Their establishments and queues, before any report naming them is left out."""
        return and_(
            Report.establishment_id.in_(sorted(self.establishment_ids)),
            Report.queue.in_(self.queues),
        )

    def condition(self) -> ColumnElement[bool]:
        return and_(self.scope(), not_naming(self.name_indexes))


def carrying(session: Session, report_ids: Iterable[int], indexes: Collection[str]) -> set[int]:
    """Which of ``report_ids`` name someone carrying one of ``indexes`` (a viewer's name)."""
    ids = sorted(set(report_ids))
    if not ids or not indexes:
        return set()
    return set(
        session.scalars(
            select(ReportPerson.report_id).where(
                ReportPerson.report_id.in_(ids),
                ReportPerson.blind_index.in_(sorted(indexes)),
                ReportPerson.removed_at.is_(None),
            )
        )
    )


def elsewhere_counts(
    session: Session, *, indexes: Collection[str], establishment_id: int
) -> dict[int, int]:
    """Per other establishment, how many reports there name someone carrying ``indexes``."""
    if not indexes:
        return {}
    rows = session.execute(
        select(ReportPerson.establishment_id, func.count(func.distinct(ReportPerson.report_id)))
        .where(
            ReportPerson.blind_index.in_(sorted(indexes)),
            ReportPerson.establishment_id != establishment_id,
            ReportPerson.removed_at.is_(None),
        )
        .group_by(ReportPerson.establishment_id)
    )
    return {establishment: count for establishment, count in rows}


def decided_with(session: Session, report_id: int) -> set[int]:
    """Reports already linked to, or decided about with, ``report_id``: not suggested."""
    return set(session.scalars(_DECIDED_WITH, {"report_id": report_id}))


_CASE: BindParameter[int] = bindparam("report_id", type_=Integer)
# One statement, built once: the links, and the other side of each decided pair.
_DECIDED_WITH = union_all(
    select(ReportLink.linked_report_id).where(ReportLink.report_id == _CASE),
    select(SuggestionDecision.other_report_id).where(SuggestionDecision.report_id == _CASE),
    select(SuggestionDecision.report_id).where(SuggestionDecision.other_report_id == _CASE),
)


def establishment_names(session: Session, establishment_ids: Collection[int]) -> dict[int, str]:
    rows = session.execute(
        select(Establishment.id, Establishment.name).where(
            Establishment.id.in_(sorted(establishment_ids))
        )
    )
    return {establishment_id: name for establishment_id, name in rows}


def asked_establishments(session: Session, report_id: int) -> set[int]:
    return set(
        session.scalars(
            select(CrossSiteRequest.other_establishment_id).where(
                CrossSiteRequest.report_id == report_id
            )
        )
    )
