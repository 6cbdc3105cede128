"""Recorded phone and kiosk prompts, kept in the database so every app server plays the same.

A recording says one fixed sentence that every caller hears (never anything a prisoner
said), so it is not personal data and is stored plain, not sealed. The audio itself is
content-addressed: ``PromptAudio`` is keyed by the SHA-256 of its bytes, and a
``PromptRecording`` names which audio an establishment (or, with no establishment, the
installation as a default) plays for one sentence in one language.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base

SHA256_HEX = 64


class PromptAudio(Base):
    __tablename__ = "prompt_audio"

    sha256: Mapped[str] = mapped_column(String(SHA256_HEX), primary_key=True)
    audio: Mapped[bytes] = mapped_column(LargeBinary)  # 16-bit PCM WAV, checked at upload
    size: Mapped[int]
    created_at: Mapped[datetime]


class PromptRecording(Base):
    __tablename__ = "prompt_recording"
    __table_args__ = (
        # One recording per sentence per scope (an establishment, or the installation).
        UniqueConstraint("scope", "language", "text_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the installation's default, heard wherever an establishment has none of its own.
    establishment_id: Mapped[int | None] = mapped_column(ForeignKey("establishment.id"), index=True)
    # establishment_id, or 0 for the installation's default: a unique constraint does not
    # tell NULLs apart, and an expression index is not portable between the databases.
    scope: Mapped[int]
    language: Mapped[str] = mapped_column(String(16))
    # The key of the exact sentence (speech.cache.text_key): new wording needs a new take.
    text_key: Mapped[str] = mapped_column(String(32))
    prompt_id: Mapped[str] = mapped_column(String(80))  # which prompt, for people reading
    sha256: Mapped[str] = mapped_column(ForeignKey("prompt_audio.sha256"), index=True)
    seconds: Mapped[float] = mapped_column(Float)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(80))
