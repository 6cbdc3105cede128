"""Work on a case after triage: evidence to secure, tasks with an owner and a due date, and
the protection plan with its review date (safeguarding/evidence.py, case_tasks.py,
protection_plans.py). What a
task or plan says is on the sealed timeline, never here: these rows hold kinds, people and
dates, which the queue and reminders need without decrypting anything."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class CaseTask(Base):
    """One piece of work on a case (a cell move, a healthcare review), owned by one person."""

    __tablename__ = "case_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # safeguarding.case_tasks.TASK_LABELS
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    due_on: Mapped[date]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(20))  # done | not_needed
    finished_at: Mapped[datetime | None]


class ProtectionPlan(Base):
    """A case's protection plan: who owns it and when it is next reviewed. One per case."""

    __tablename__ = "protection_plan"

    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    review_on: Mapped[date]
    set_at: Mapped[datetime]
    reviewed_at: Mapped[datetime | None]


class EvidenceTask(Base):
    """Evidence to secure before it is lost (safeguarding/evidence.py): one row per kind per
    report, due a policy-set time after the report arrived, open until staff record it as
    secured or not possible (the reason is on the sealed timeline, not here)."""

    __tablename__ = "evidence_task"
    __table_args__ = (UniqueConstraint("report_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # safeguarding.evidence_policy.EVIDENCE_KINDS
    due_at: Mapped[datetime]
    outcome: Mapped[str | None] = mapped_column(String(20))  # secured | not_possible
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(80))  # the staff actor


class CapacityRecord(Base):
    """One decision where the person's capacity mattered (Mental Capacity Act 2005), as codes
    the board's figures need; the decision, the support given to decide, who was consulted
    and the least restrictive option are in the sealed timeline entry."""

    __tablename__ = "capacity_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(80))
    in_doubt: Mapped[bool]  # was there reason to doubt capacity for this decision?
    lacks_capacity: Mapped[str] = mapped_column(String(20))  # yes | no | not_assessed
    support: Mapped[str] = mapped_column(String(24))  # safeguarding.capacity.SUPPORT_LABELS
    best_interests: Mapped[bool]  # a best-interests decision was made for them


class RetaliationCheckIn(Base):
    """A check on someone who reported a person, some weeks after (safeguarding/checkins.py):
    due a policy-set time after the report arrived, whether or not the case is closed, open
    until staff record what they found (what the person said is on the sealed timeline)."""

    __tablename__ = "retaliation_checkin"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    number: Mapped[int]  # 1, 2, 3: the first, second, third check-in
    due_at: Mapped[datetime] = mapped_column(index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))  # safe | not_safe | not_seen
    recorded_at: Mapped[datetime | None]
    recorded_by: Mapped[str | None] = mapped_column(String(80))  # staff, or reporter:<channel>
    # What the reporter answered to "Are you safe now?" on coming back with their code
    # (safeguarding.checkin_answers): yes | no | not_saying. A fixed choice, never their
    # words, so plain like the outcome; "not_saying" leaves the outcome for staff.
    reporter_answer: Mapped[str | None] = mapped_column(String(20))
    reporter_answered_at: Mapped[datetime | None]
