"""British Sign Language videos for the kiosk (issue 17.2), one per establishment and slot.

A video signs a fixed kiosk sentence (a screen, or one choice on it) that every person at
that establishment's kiosks sees: made by staff, never anything a prisoner said, so it is
not personal data and is stored plain, not sealed, like the recorded prompts
(storage.models.prompts). Each video belongs to exactly one establishment: there is no
installation-wide default, so one prison's video never plays at another's kiosk.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

SHA256_HEX = 64


class BslVideo(Base):
    __tablename__ = "bsl_video"
    __table_args__ = (UniqueConstraint("establishment_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    # Which screen, or screen and choice ("danger", "danger.yes"): safeguarding.bsl_videos.
    slot: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(20))  # video/mp4 or video/webm, sniffed
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(SHA256_HEX))  # the kiosk's ETag
    video: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[str] = mapped_column(String(80))
