from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class OnCallContact(Base):
    """A person in an establishment's escalation chain and how to reach them.

    The chain is the active contacts in ``chain_position`` order: typically the safeguarding
    lead on call, a deputy, then the duty governor.
    """

    __tablename__ = "on_call_contact"
    __table_args__ = (Index("ix_on_call_contact_chain", "establishment_id", "chain_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    chain_position: Mapped[int]
    role: Mapped[str] = mapped_column(String(24))  # lead | deputy | duty_governor
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))  # E.164, for SMS and voice
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class AlertEscalation(Base):
    """Paging for one immediate report, step by step down the chain until acknowledged."""

    __tablename__ = "alert_escalation"
    __table_args__ = (Index("ix_alert_escalation_due", "acknowledged_at", "next_step_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), unique=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    step: Mapped[int] = mapped_column(default=0)  # counts on past the chain's end: it repeats
    # 0013: paging starts again (round 1, 2 ...) when the reporter says they are in danger
    # again after the case was acknowledged.
    round: Mapped[int] = mapped_column(default=0)
    next_step_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime]


class BreachWarning(Base):
    """A warning to the lead that a report is about to pass its due time (sent once each)."""

    __tablename__ = "breach_warning"

    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), primary_key=True)
    due_kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # acknowledge | triage
    warned_at: Mapped[datetime]


class MissedDeadline(Base):
    """A due time that passed with the work undone: the governor was told (once per clock).

    A reopened case runs a new clock, so the due time is part of the key: the same case can
    miss again, and the governor hears again."""

    __tablename__ = "missed_deadline"

    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), primary_key=True)
    due_kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # acknowledge | triage
    due_at: Mapped[datetime] = mapped_column(primary_key=True)
    escalated_at: Mapped[datetime]
