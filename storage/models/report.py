from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Computed, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base

if TYPE_CHECKING:
    from storage.models.people import ReportPerson


# The rules of safeguarding.actions as the database applies them (migration 0041;
# tests/triage/test_queue_due_at.py checks they agree for every status).
OPEN_SQL = "status IN ('new', 'acknowledged', 'investigating', 'waiting')"
DUE_AT_SQL = (
    "CASE WHEN status IN ('new') AND acknowledge_due_at IS NOT NULL THEN acknowledge_due_at"
    " WHEN status IN ('new', 'acknowledged') THEN triage_due_at END"
)
QUEUE_RANK_SQL = (
    f"CASE WHEN {OPEN_SQL} THEN priority_rank * 4"
    " + CASE WHEN new_information_at IS NULL THEN 2 ELSE 0 END"
    f" + CASE WHEN ({DUE_AT_SQL}) IS NULL THEN 1 ELSE 0 END END"
)


class Report(Base):
    """One safeguarding concern. Sensitive fields are sealed (see storage.crypto)."""

    __tablename__ = "report"
    __table_args__ = (
        Index("ix_report_queue_order", "establishment_id", "status", "priority_rank"),
        # Suggestions and cumulative rules: reports about one wing within a window (0036).
        Index("ix_report_location_created", "location_id", "created_at"),
        # 0041_report_due_at: open reports in the queue's order (storage.repositories.queue).
        Index(
            "ix_report_queue_due",
            "establishment_id",
            "queue_rank",
            "due_at",
            "created_at",
            "id",
            postgresql_where=text("queue_rank IS NOT NULL"),
            sqlite_where=text("queue_rank IS NOT NULL"),
        ),
        # 0041: what the counts above the queue read, for open reports only.
        Index(
            "ix_report_open_counts",
            "establishment_id",
            "status",
            "queue",
            "due_at",
            "new_information_at",
            "queue_rank",
            "id",  # so PostgreSQL can count from the index alone
            postgresql_where=text("queue_rank IS NOT NULL"),
            sqlite_where=text("queue_rank IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))  # where it happened
    # 0012: where the kiosk that sent it stands, copied from the device when it was sent.
    # A location id without a foreign key (see the migration); removing a place checks it.
    sent_from_location_id: Mapped[int | None]
    kiosk_device_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk_device.id"))
    phone_line_id: Mapped[int | None] = mapped_column(ForeignKey("phone_line.id"))
    channel: Mapped[str] = mapped_column(String(16))  # kiosk | phone
    language: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))  # immediate | high | standard
    priority_rank: Mapped[int]  # 0 most urgent; lets the queue sort in SQL
    queue: Mapped[str] = mapped_column(String(16))  # general | restricted
    status: Mapped[str] = mapped_column(String(24), default="new")
    in_danger_now: Mapped[bool] = mapped_column(default=False)  # the reporter is
    # 0012_someone_else_in_danger: another person is in danger now (a third party's report).
    someone_else_in_danger_now: Mapped[bool] = mapped_column(default=False)
    self_harm_risk: Mapped[bool] = mapped_column(default=False)
    staff_involved: Mapped[str] = mapped_column(String(12), default="no")  # yes | no | not_sure
    about_someone_else: Mapped[bool] = mapped_column(default=False)
    injured: Mapped[bool] = mapped_column(default=False)
    when_happened: Mapped[str | None] = mapped_column(String(24))
    wants_contact: Mapped[bool] = mapped_column(default=False)
    acct_prompted: Mapped[bool] = mapped_column(default=False)
    duty_to_notify_prompted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(index=True)
    acknowledge_due_at: Mapped[datetime | None]
    triage_due_at: Mapped[datetime]
    # 0041_report_due_at: the deadline running now, computed by the database from the three
    # columns it depends on (safeguarding.actions.next_deadline is the same rule); read-only.
    due_at: Mapped[datetime | None] = mapped_column(Computed(DUE_AT_SQL))
    # The queue's order in one number: priority_rank * 4, + 2 unless the reporter added
    # something, + 1 when no clock runs; None once closed (out of every queue).
    queue_rank: Mapped[int | None] = mapped_column(Computed(QUEUE_RANK_SQL))
    acknowledged_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Keyed hashes (HMAC): the follow-up code and the door's idempotency key.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_attempt: Mapped[int] = mapped_column(default=0)
    submission_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # 0027_code_secrets: "pictures" or "pin", and an argon2 hash of it keyed to this report.
    code_secret_kind: Mapped[str | None] = mapped_column(String(8))
    code_secret_hash: Mapped[str | None] = mapped_column(String(200))
    # Sealed: what the report says and who made it.
    details_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    reporter_identity_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # 0007_phone_settings: the caller's number, only where the establishment keeps it.
    caller_number_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # 0013_acting_on_reports: the reporter added something since the team last acted on it.
    new_information_at: Mapped[datetime | None]
    # 0030_capacity_and_outcomes: at closing, in the terms of the NHS Safeguarding Adults
    # Collection (safeguarding/personal_outcomes.py), so the board compares with community data.
    outcomes_asked: Mapped[str | None] = mapped_column(String(24))
    outcomes_achieved: Mapped[str | None] = mapped_column(String(24))
    risk_outcome: Mapped[str | None] = mapped_column(String(24))

    answers: Mapped[list[ReportAnswer]] = relationship(
        back_populates="report", order_by="ReportAnswer.id", cascade="all, delete-orphan"
    )
    categories: Mapped[list[ReportCategory]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )
    events: Mapped[list[TimelineEvent]] = relationship(
        back_populates="report", order_by="TimelineEvent.id", cascade="all, delete-orphan"
    )
    recordings: Mapped[list[Recording]] = relationship(
        back_populates="report", order_by="Recording.id", cascade="all, delete-orphan"
    )
    # 0035_report_people: who it is about (storage.models.people); read-only from here.
    people: Mapped[list[ReportPerson]] = relationship(viewonly=True, order_by="ReportPerson.id")

    @property
    def named_indexes(self) -> frozenset[str]:
        """The blind indexes of everyone it names or ever named (safeguarding.access checks
        them): a person removed as a correction stays named for conflict of interest, so a
        colleague's removal never opens a report to the officer it accused."""
        return frozenset(person.blind_index for person in self.people if person.blind_index)


class ReportAnswer(Base):
    """A choice the reporter made, as catalogue ids (never free text)."""

    __tablename__ = "report_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    question: Mapped[str] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(String(64))

    report: Mapped[Report] = relationship(back_populates="answers")


class ReportCategory(Base):
    """A safeguarding category the report falls under; staff may re-categorise."""

    __tablename__ = "report_category"

    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)

    report: Mapped[Report] = relationship(back_populates="categories")


class Recording(Base):
    """A voice message left on the phone line; the audio is sealed once fetched."""

    __tablename__ = "recording"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    duration_seconds: Mapped[int | None]
    content_type: Mapped[str] = mapped_column(String(40), default="audio/wav")
    audio_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    source_url_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    fetched_at: Mapped[datetime | None]
    # 0002_phone_line: the call it was left on, and where the audio is.
    call_session_id: Mapped[int | None] = mapped_column(ForeignKey("call_session.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|fetched|absent
    replaced: Mapped[bool] = mapped_column(default=False)  # the caller chose to record again
    provider_deleted_at: Mapped[datetime | None]
    # 0018_wing_on_the_phone: "message" (the voice message) or "name" (the caller's name
    # and cell, asked after "in danger").
    kind: Mapped[str] = mapped_column(String(16), default="message")

    report: Mapped[Report] = relationship(back_populates="recordings")


class TimelineEvent(Base):
    """Something that happened to a report; free text bodies are sealed."""

    __tablename__ = "timeline_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime]
    summary: Mapped[str] = mapped_column(String(400), default="")  # never sensitive
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)

    report: Mapped[Report] = relationship(back_populates="events")
