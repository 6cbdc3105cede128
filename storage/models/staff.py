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


class StaffAccessRequest(Base):
    """An administrator's request to give someone the power to read reports (invite, reset,
    re-activate or change the role of a reading account). Nothing happens until a lead or
    governor of the establishment, not the requester, approves it."""

    __tablename__ = "staff_access_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # invite | reset | reactivate | role
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))  # only for an invite
    display_name: Mapped[str | None] = mapped_column(String(120))  # only for an invite
    role: Mapped[str] = mapped_column(String(16))  # the role the account would have
    establishment_ids: Mapped[str] = mapped_column(String(400))  # "1,2": whose approval counts
    requested_by: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    requested_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))  # approved | refused

    @property
    def establishment_id_set(self) -> frozenset[int]:
        return frozenset(int(part) for part in self.establishment_ids.split(",") if part)
