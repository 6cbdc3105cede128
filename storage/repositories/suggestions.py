"""The SQL behind suggested links and cumulative concerns: reports that share a person (by
blind index, through ``ix_report_person_blind_index``) or a wing and a category. Nothing
sealed is read, and nothing here decides who may see what (safeguarding.suggestions does).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    CrossSiteRequest,
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


def place_counts(
    session: Session,
    place: Place,
    *,
    leave_out: int,
    open_to: Visibility,
) -> dict[str, tuple[int, int]]:
    """Per category, how many reports about one wing in [since, until] (but ``leave_out``)
    the reader may open and may not: counted in SQL, as a busy wing has thousands."""
    readable = open_to.condition()
    query = (
        select(
            ReportCategory.category,
            func.sum(case((readable, 1), else_=0)),
            func.count(),
        )
        .join(ReportCategory, ReportCategory.report_id == Report.id)
        .where(*place.conditions(), Report.id != leave_out)
        .group_by(ReportCategory.category)
    )
    return {
        category: (int(seen or 0), int(total) - int(seen or 0))
        for category, seen, total in session.execute(query)
    }


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

    def condition(self) -> ColumnElement[bool]:
        return and_(
            Report.establishment_id.in_(sorted(self.establishment_ids)),
            Report.queue.in_(self.queues),
            not_naming(self.name_indexes),
        )


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
    linked = select(ReportLink.linked_report_id).where(ReportLink.report_id == report_id)
    pairs = select(SuggestionDecision.report_id, SuggestionDecision.other_report_id).where(
        or_(
            SuggestionDecision.report_id == report_id,
            SuggestionDecision.other_report_id == report_id,
        )
    )
    decided = {one if one != report_id else two for one, two in session.execute(pairs)}
    return decided | set(session.scalars(linked))


def asked_establishments(session: Session, report_id: int) -> set[int]:
    return set(
        session.scalars(
            select(CrossSiteRequest.other_establishment_id).where(
                CrossSiteRequest.report_id == report_id
            )
        )
    )
