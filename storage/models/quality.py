"""Quality assurance and retention: practice audits of closed cases, and what is left of a
report after it is purged (a tombstone with no content)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.report import Report, TimelineEvent

# The quality dashboard reads a year of reports at a time. This index covers every column
# its counts and response times read (storage/repositories/stats.py), so they never touch
# the table itself. Declared here, beside the read models that need it, rather than in
# report.py; it lives on the report table all the same (migration 0006_quality).
STATS_INDEX = Index(
    "ix_report_stats",
    Report.establishment_id,
    Report.created_at,
    Report.queue,
    Report.channel,
    Report.language,
    Report.location_id,
    Report.priority,
    Report.acknowledge_due_at,
    Report.acknowledged_at,
    Report.triage_due_at,
)
# Referral decisions and triage steps in a period, found by kind and time.
EVENTS_BY_KIND_INDEX = Index("ix_timeline_event_kind_at", TimelineEvent.kind, TimelineEvent.at)


class PurgedReport(Base):
    """A report deleted at the end of its retention period: only what access to the audit
    trail about it needs (its establishment and queue) and the dates. No content at all.

    The id is the purged report's own id (the audit log refers to it); it is never reused.
    """

    __tablename__ = "purged_report"

    report_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    queue: Mapped[str] = mapped_column(String(16))  # general | restricted
    closed_at: Mapped[datetime]
    purged_at: Mapped[datetime]


class PracticeAuditSample(Base):
    """Closed cases drawn at random (the CSPRNG) for a practice audit."""

    __tablename__ = "practice_audit_sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    drawn_at: Mapped[datetime]
    drawn_by: Mapped[str] = mapped_column(String(80))
    requested: Mapped[int]
    # The cases were drawn from those closed in this window [closed_since, closed_before).
    closed_since: Mapped[datetime]
    closed_before: Mapped[datetime]


class PracticeAuditCase(Base):
    """One sampled case and what the auditor found. Structured answers only, no free text:
    nothing here needs sealing. Deleted with its report when the report is purged."""

    __tablename__ = "practice_audit_case"
    __table_args__ = (
        Index("ix_practice_audit_case_sample", "sample_id", "position"),
        UniqueConstraint("sample_id", "report_id", name="uq_practice_audit_case_sample_report"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("practice_audit_sample.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    position: Mapped[int]
    outcome: Mapped[str | None] = mapped_column(String(24))  # see safeguarding.quality
    responded_in_time: Mapped[bool | None]
    threshold_recorded: Mapped[bool | None]
    reporter_informed: Mapped[bool | None]
    record_complete: Mapped[bool | None]
    # 0030_capacity_and_outcomes: wishes, capacity, consent and statutory duties (issue 15.2).
    wishes_sought: Mapped[bool | None]
    capacity_considered: Mapped[bool | None]
    consent_respected: Mapped[bool | None]
    statutory_duties_met: Mapped[bool | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
