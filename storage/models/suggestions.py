"""Suggested links and what staff decided, cumulative-concern firings, and requests to
another establishment about the same person (issue 14; migration 0036), and the counts of
reports per wing, category, day and queue the database keeps (migration 0037)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SuggestionDecision(Base):
    """A suggested link a member of staff confirmed (the link itself is a ReportLink) or
    dismissed; either way the pair is not suggested again. Stored once per pair, the lower
    report id first."""

    __tablename__ = "suggestion_decision"
    __table_args__ = (UniqueConstraint("report_id", "other_report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"))
    other_report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # confirmed | dismissed
    decided_at: Mapped[datetime]
    decided_by: Mapped[str] = mapped_column(String(80))


class CumulativeFiring(Base):
    """A cumulative-concern rule fired for one group: it does not fire again for that group
    within the rule's window. ``group_key`` is a blind index or ``location:category``."""

    __tablename__ = "cumulative_firing"
    __table_args__ = (Index("ix_cumulative_firing_group", "establishment_id", "rule", "group_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    rule: Mapped[str] = mapped_column(String(64))
    group_key: Mapped[str] = mapped_column(String(96))
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    reports: Mapped[int]
    fired_at: Mapped[datetime]


class CrossSiteRequest(Base):
    """A lead asked another establishment's lead about the reports there that name the
    person on one of their cases. Nothing about those reports is shown without an answer."""

    __tablename__ = "cross_site_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    other_establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    reports: Mapped[int]  # how many there were when asked
    requested_at: Mapped[datetime]
    requested_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16))  # asked | approved | refused
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(String(80))
    # 0038_cross_site_answers: why, if the answering lead said (sealed, CROSS_SITE_REASON).
    answer_reason_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)


class CrossSiteShared(Base):
    """One of the asked establishment's reports whose case number, date, categories and
    status the asking lead may see, because the request was approved. Only the reports the
    answering lead could open when they approved, never more later (migration 0038)."""

    __tablename__ = "cross_site_shared"
    __table_args__ = (UniqueConstraint("request_id", "report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("cross_site_request.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)


class PlaceDayCount(Base):
    """How many reports about one wing, in one category, received on one day (UTC), sit in
    one queue. Kept by database triggers (migration 0037) whenever a report or its
    categories are written, so it is true in every transaction; a row at zero is deleted.
    Nothing here is not already plain on the report table."""

    __tablename__ = "place_day_count"

    location_id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    queue: Mapped[str] = mapped_column(String(16), primary_key=True)
    establishment_id: Mapped[int] = mapped_column(primary_key=True)
    reports: Mapped[int]
