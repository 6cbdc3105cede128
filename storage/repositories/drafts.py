"""The kiosk's storage: drafts (the server side of a kiosk session) and the devices they run on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.orm import Session

from storage.models import Establishment, KioskDevice, KioskDraft, PhoneLine, Report

# Every kiosk page view runs these. Built once per process: building a SELECT through the
# ORM costs about as much again as running it on SQLite (issue 18, docs/architecture.md).
# An enrolled, unrevoked device with its establishment's place_version: one round trip, not
# two, and plain columns, not an ORM object to build (issue 18).
_DEVICES = cast(Table, KioskDevice.__table__)
_ESTABLISHMENTS = cast(Table, Establishment.__table__)
_KIOSK_BY_TOKEN = (
    select(_DEVICES.c.id, _DEVICES.c.establishment_id, _ESTABLISHMENTS.c.place_version)
    .join(_ESTABLISHMENTS, _ESTABLISHMENTS.c.id == _DEVICES.c.establishment_id)
    .where(
        _DEVICES.c.device_token_hash == bindparam("token_hash"),
        _DEVICES.c.revoked_at.is_(None),
    )
)
_DRAFT_BY_TOKEN = select(KioskDraft).where(KioskDraft.token_hash == bindparam("token_hash"))
_DRAFT_BY_TOKEN_FOR_UPDATE = _DRAFT_BY_TOKEN.with_for_update()
_ANY_EXPIRED = select(KioskDraft.id).where(KioskDraft.expires_at <= bindparam("now")).limit(1)
_PLACE_VERSION = select(Establishment.place_version).where(
    Establishment.id == bindparam("establishment_id")
)


def add_draft(session: Session, draft: KioskDraft) -> KioskDraft:
    session.add(draft)
    session.flush()
    return draft


def find_draft_for_update(session: Session, token_hash: str) -> KioskDraft | None:
    """The draft with this token hash, locked until the transaction ends (two taps on Send
    at once then run one after the other on PostgreSQL; SQLite already holds its write lock)."""
    found = session.scalars(_DRAFT_BY_TOKEN_FOR_UPDATE, {"token_hash": token_hash})
    return found.one_or_none()


def delete_draft(session: Session, token_hash: str) -> int:
    result = session.execute(delete(KioskDraft).where(KioskDraft.token_hash == token_hash))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def count_drafts(session: Session) -> int:
    return session.scalar(select(func.count(KioskDraft.id))) or 0


@dataclass(frozen=True)
class EnrolledKiosk:
    device_id: int
    establishment_id: int
    place_version: int  # its establishment's (safeguarding.place_cache)


def find_enrolled_kiosk(session: Session, device_token_hash: str) -> EnrolledKiosk | None:
    """The unrevoked device with this token hash, with its establishment's place_version."""
    found = session.execute(_KIOSK_BY_TOKEN, {"token_hash": device_token_hash}).one_or_none()
    return None if found is None else EnrolledKiosk(*found)


def find_device_by_enrolment_hash(
    session: Session, enrolment_token_hash: str
) -> KioskDevice | None:
    return session.scalars(
        select(KioskDevice)
        .where(KioskDevice.enrolment_token_hash == enrolment_token_hash)
        .with_for_update()
    ).one_or_none()


def find_device_by_label(session: Session, establishment_id: int, label: str) -> KioskDevice | None:
    return session.scalars(
        select(KioskDevice).where(
            KioskDevice.establishment_id == establishment_id, KioskDevice.label == label
        )
    ).first()


def add_device(session: Session, device: KioskDevice) -> KioskDevice:
    session.add(device)
    session.flush()
    return device


def count_reports_from_device(session: Session, *, device_id: int, since: datetime) -> int:
    return (
        session.scalar(
            select(func.count(Report.id)).where(
                Report.kiosk_device_id == device_id, Report.created_at >= since
            )
        )
        or 0
    )


def find_establishment_by_code(session: Session, code: str) -> Establishment | None:
    return session.scalars(select(Establishment).where(Establishment.code == code)).one_or_none()


def find_phone_number(session: Session, establishment_id: int) -> str | None:
    """The establishment's safeguarding line, to tell a kiosk user another way to report."""
    return session.scalars(
        select(PhoneLine.number)
        .where(PhoneLine.establishment_id == establishment_id)
        .order_by(PhoneLine.id)
    ).first()


def find_draft(session: Session, token_hash: str) -> KioskDraft | None:
    """The draft with this token hash, read without a lock (a page view that only reads)."""
    return session.scalars(_DRAFT_BY_TOKEN, {"token_hash": token_hash}).one_or_none()


def any_draft_expired(session: Session, now: datetime) -> bool:
    """Whether some draft has expired and must be ended (the expires_at index answers it)."""
    return session.scalar(_ANY_EXPIRED, {"now": now}) is not None


def find_place_version(session: Session, establishment_id: int) -> int | None:
    """The establishment's place_version (0021_place_versions), None when there is none."""
    return session.scalar(_PLACE_VERSION, {"establishment_id": establishment_id})
