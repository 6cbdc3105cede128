from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class KioskDraft(Base):
    """One person's session at a kiosk: their language and sealed answers, until it expires.

    The browser holds only a random token; this row holds a keyed hash of it, so reading
    the database does not let anyone take over a session. Everything said is sealed.
    """

    __tablename__ = "kiosk_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("kiosk_device.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    # JSON of the answers and where the person is in the journey, sealed (see sealed_fields).
    state_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    # 0026_kiosk_voice: a voice message recorded at the kiosk, sealed, until it is sent.
    # Deferred: a page view reads the answers, not megabytes of audio.
    voice_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
