from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

# The chain of events that belong to no establishment (a sign-in, a command run by the
# server's operator). Every establishment's chain is numbered by its establishment id.
INSTALLATION_CHAIN = 0


class AuditEvent(Base):
    """Append-only record of every read of content and every change, in one keyed chain
    per establishment (HMAC-SHA256 under the audit key, which never enters the database)."""

    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("chain", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(48))
    # Not a foreign key (dropped in 0006_quality): a purged report's events stay, unchanged,
    # so the chain still verifies; storage.models.quality.PurgedReport keeps the id's scope.
    report_id: Mapped[int | None] = mapped_column(index=True)
    # Whose event this is (None: the installation's). Not a foreign key either: the event
    # must outlive anything it names. Audit views filter on it.
    establishment_id: Mapped[int | None] = mapped_column(index=True)
    # The establishment id, or INSTALLATION_CHAIN; seq is the position in that chain (1..).
    chain: Mapped[int] = mapped_column(default=INSTALLATION_CHAIN)
    seq: Mapped[int]
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON, never sensitive text
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditChainHead(Base):
    """The tip of one chain; locked while appending to that chain only, so writes at one
    establishment never wait for another's."""

    __tablename__ = "audit_chain_head"

    chain: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_hash: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(default=0)
