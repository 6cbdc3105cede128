from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class AuditEvent(Base):
    """Append-only, hash-chained record of every read of content and every change."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(48))
    # Not a foreign key (dropped in 0006_quality): a purged report's events stay, unchanged,
    # so the chain still verifies; storage.models.quality.PurgedReport keeps the id's scope.
    report_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON, never sensitive text
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditChainHead(Base):
    """One row holding the chain's tip; locked while appending so the chain never forks."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(default=0)
