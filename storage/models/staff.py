from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class StaffUser(Base):
    """A member of staff who works the queue or administers the system."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))  # lead | deputy | governor | auditor | admin
    password_hash: Mapped[str | None] = mapped_column(String(200))
    totp_secret_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    setup_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    setup_expires_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class StaffMembership(Base):
    """Which establishments' reports a member of staff may see."""

    __tablename__ = "staff_membership"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), primary_key=True)
