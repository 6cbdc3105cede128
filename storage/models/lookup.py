from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class CodeLookupAttempt(Base):
    """A try at a follow-up code, kept so that guessing can be limited."""

    __tablename__ = "code_lookup_attempt"
    __table_args__ = (Index("ix_code_lookup_attempt_scope_at", "scope_hash", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_hash: Mapped[str] = mapped_column(String(64))  # keyed hash of kiosk session or call
    at: Mapped[datetime] = mapped_column(index=True)
    succeeded: Mapped[bool]
