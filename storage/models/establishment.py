from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base


class Establishment(Base):
    """A prison or approved premises."""

    __tablename__ = "establishment"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Babel locale codes in the order this establishment offers them, comma separated.
    languages: Mapped[str] = mapped_column(String(300), default="en")
    kiosk_idle_seconds: Mapped[int] = mapped_column(default=90)
    created_at: Mapped[datetime]
    # 0007_phone_settings. JSON {language: Twilio voice}: those languages are spoken by
    # Twilio's <Say> on this establishment's lines instead of our own audio.
    say_voices: Mapped[str] = mapped_column(Text, default="{}")
    # Off by default: only then is a caller's number kept (sealed) with their report.
    keep_caller_number: Mapped[bool] = mapped_column(default=False)
    # 0010_limits. Reports one kiosk may send per policy window here; None: the policy's.
    kiosk_reports_limit: Mapped[int | None]
    # 0013_after: whether the wing goes into a high report's alert (case number only by
    # default: SMS and email are not private).
    high_alert_names_wing: Mapped[bool] = mapped_column(default=False)
    # 0018_wing_on_the_phone: whether the wing goes into an immediate report's page (on by
    # default: help must know where to go; never what was reported).
    immediate_alert_names_wing: Mapped[bool] = mapped_column(default=True)
    # 0021_place_versions. Bumped by database triggers on any change to this row, its
    # locations or its phone lines: the kiosk's place cache is keyed by it. Never set it.
    place_version: Mapped[int] = mapped_column(default=0, server_default="0")

    locations: Mapped[list[Location]] = relationship(
        back_populates="establishment", order_by="Location.position"
    )

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Location(Base):
    """A wing or place within an establishment (chosen by the reporter as 'where')."""

    __tablename__ = "location"

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    establishment: Mapped[Establishment] = relationship(back_populates="locations")


class KioskDevice(Base):
    """A registered touch-screen kiosk. Only enrolled devices may use the kiosk."""

    __tablename__ = "kiosk_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id"))
    label: Mapped[str] = mapped_column(String(120))
    # Keyed hashes only: the device cookie and the one-time enrolment link.
    device_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolment_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolment_expires_at: Mapped[datetime | None]
    enrolled_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class PhoneLine(Base):
    """A dialled number; the number called decides the establishment of a phone report."""

    __tablename__ = "phone_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # E.164
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime]


class LanguageReview(Base):
    """A fluent person checked a language's translation (``safereport languages review``).

    Kept in the database, not in code, so that an establishment's review is its own record
    and survives upgrades. A language without a row (and not the source language) is
    unreviewed: offering it needs an administrator's confirmation."""

    __tablename__ = "language_review"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)  # Babel locale
    reviewed_by: Mapped[str] = mapped_column(String(120))
    reviewed_on: Mapped[date]
    recorded_at: Mapped[datetime]
