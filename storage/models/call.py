from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class CallSession(Base):
    """The state of one phone call, found by a keyed hash of Twilio's CallSid."""

    __tablename__ = "call_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # HMAC-SHA256 of the CallSid under the code pepper (storage.repositories.calls): the
    # CallSid itself, which names the call at Twilio, is never stored (0008_call_secrets).
    call_sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    phone_line_id: Mapped[int] = mapped_column(ForeignKey("phone_line.id"))
    language: Mapped[str | None] = mapped_column(String(16))
    step: Mapped[str] = mapped_column(String(32), default="language")
    answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON of catalogue ids only
    # The call's submission key (its report's follow-up code derives from it): sealed.
    submission_nonce_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"))
    status: Mapped[str] = mapped_column(String(24), default="in-progress")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # 0002_phone_line: every response carries the turn it answers, so that a webhook Twilio
    # delivers twice (or late) is recognised and changes nothing.
    turn: Mapped[int] = mapped_column(default=0)
    silences: Mapped[int] = mapped_column(default=0)  # unanswered prompts in a row
    # Where the caller is in a menu (page, what "go back" means): JSON, never what they said.
    navigation: Mapped[str] = mapped_column(Text, default="{}")
    mode: Mapped[str] = mapped_column(String(16), default="report")  # report | follow_up
    ended_at: Mapped[datetime | None]
