from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class InstallationFact(Base):
    """A fact about this installation that its checks compare against, such as the
    fingerprint of the code pepper (never the pepper itself)."""

    __tablename__ = "installation_fact"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]
