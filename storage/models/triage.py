"""The safeguarding team's side: staff sign-in state, and how cases are being worked.

Staff sessions live on the server (the cookie holds only a random token, stored here as a
hash), so that idle and absolute expiry and sign-out are enforced where they cannot be
tampered with.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class StaffSession(Base):
    """A signed-in member of staff (or one part-way through setting up their account)."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the cookie
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # active | enrolling
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]  # the absolute limit, whatever the activity
    ended_at: Mapped[datetime | None]
    # Only while enrolling: the chosen password's argon2 hash, kept until TOTP is confirmed.
    pending_password_hash: Mapped[str | None] = mapped_column(String(200))


class StaffSignInAttempt(Base):
    """One try at signing in, kept to throttle guessing per account and per address."""

    __tablename__ = "staff_sign_in_attempt"
    __table_args__ = (
        Index("ix_staff_sign_in_attempt_account_at", "account_hash", "at"),
        Index("ix_staff_sign_in_attempt_address_at", "address_hash", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    # Keyed hashes of the entered email and of the network address: an account that does
    # not exist is throttled exactly like one that does.
    account_hash: Mapped[str] = mapped_column(String(64))
    address_hash: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool]
    # 0010_limits: the keyed hash of a known browser's cookie when the try came from a
    # browser that had signed in to this account before; None for an unknown browser.
    browser_hash: Mapped[str | None] = mapped_column(String(64))


class StaffKnownBrowser(Base):
    """A browser that has signed in to an account: it is judged by its own tries only,
    so nobody else's failures can keep that person out (0010_limits)."""

    __tablename__ = "staff_known_browser"
    __table_args__ = (UniqueConstraint("browser_hash", "account_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    browser_hash: Mapped[str] = mapped_column(String(64))  # keyed hash of the cookie
    account_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]
    last_signed_in_at: Mapped[datetime]


class StaffAccountState(Base):
    """Per-account settings and second-factor state that the staff_user row does not hold."""

    __tablename__ = "staff_account_state"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), default="en")
    # The last TOTP time step accepted: a code from that step or an earlier one is refused.
    last_totp_step: Mapped[int | None]
    totp_confirmed_at: Mapped[datetime | None]


class StaffRecoveryCode(Base):
    """A one-time code for signing in without the authenticator app (stored as a keyed hash)."""

    __tablename__ = "staff_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ReportAssignment(Base):
    """Who is working a report now (one person at a time)."""

    __tablename__ = "report_assignment"

    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    assigned_at: Mapped[datetime]
    assigned_by: Mapped[str] = mapped_column(String(80))


class ReportLink(Base):
    """Two reports about the same matter; stored in both directions for simple lookups."""

    __tablename__ = "report_link"

    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), primary_key=True)
    linked_report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id"), primary_key=True, index=True
    )
    linked_at: Mapped[datetime]
    linked_by: Mapped[str] = mapped_column(String(80))


class DutyToNotifyDecision(Base):
    """The Modern Slavery Act duty-to-notify decision on a case (safeguarding/statutory.py):
    the adult's consent, and the NRM referral's facts or the MS1 notification's date."""

    __tablename__ = "duty_to_notify_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    route: Mapped[str] = mapped_column(String(16))  # nrm | ms1 | not_required
    consent: Mapped[str] = mapped_column(String(16))  # given|refused|not_asked|lacks_capacity
    referred_by: Mapped[str | None] = mapped_column(String(120))  # who made the NRM referral
    first_responder: Mapped[str | None] = mapped_column(String(40))  # which organisation
    referred_on: Mapped[date | None]
    reference: Mapped[str | None] = mapped_column(String(40))  # the NRM referral's reference
    ms1_notified_on: Mapped[date | None]
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(80))


class ExternalReferral(Base):
    """A referral made to another agency, tracked until they answer (safeguarding/referrals.py):
    who sent it and when, their reference, when to chase them, and what they decided."""

    __tablename__ = "external_referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    agency: Mapped[str] = mapped_column(String(40))
    sent_on: Mapped[date]
    sent_by: Mapped[str] = mapped_column(String(80))  # the staff actor who recorded it
    reference: Mapped[str | None] = mapped_column(String(40))  # the agency's own reference
    # NRM only: the First Responder Organisation it went through (safeguarding.statutory)
    first_responder: Mapped[str | None] = mapped_column(String(40))
    # The person's consent to this disclosure (safeguarding.statutory.CONSENT_LABELS; None:
    # made before 0033, not recorded), and why it was shared when they refused.
    consent: Mapped[str | None] = mapped_column(String(20))
    sharing_basis: Mapped[str | None] = mapped_column(String(24))
    chase_on: Mapped[date | None]  # chase them if there is no answer by then
    response: Mapped[str | None] = mapped_column(String(40))  # safeguarding.agencies
    response_on: Mapped[date | None]
    recorded_at: Mapped[datetime]


class HandoverNote(Base):
    """A note from one shift to the next at one establishment (issue 15.6). What it says is
    sealed; ``audience`` is the queue its readers must be able to see (a note by someone who
    reads the restricted queue may be kept to those who also read it)."""

    __tablename__ = "handover_note"
    __table_args__ = (Index("ix_handover_note_place_time", "establishment_id", "written_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    written_at: Mapped[datetime]
    audience: Mapped[str] = mapped_column(String(16))  # general | restricted
    body_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
