"""Facts about the installation that its checks compare against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Establishment, InstallationFact, KioskDevice, OnCallContact, PhoneLine


def read_fact(session: Session, name: str) -> str | None:
    fact = session.get(InstallationFact, name)
    return fact.value if fact is not None else None


def record_fact(session: Session, *, name: str, value: str, at: datetime) -> None:
    session.merge(InstallationFact(name=name, value=value, recorded_at=at))


def establishment_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Establishment.id).order_by(Establishment.id)))


@dataclass(frozen=True)
class EstablishmentReadiness:
    """What an operator's check needs to know about one establishment (no report data)."""

    code: str
    name: str
    id: int
    languages: list[str]
    say_voices: str
    phone_lines: int
    kiosks: int
    contacts: int
    contacts_with_phone: int
    contacts_with_email: int
    contact_roles: frozenset[str] = frozenset()


def establishment_readiness(session: Session) -> list[EstablishmentReadiness]:
    found = []
    for establishment in session.scalars(select(Establishment).order_by(Establishment.code)):
        contacts = session.scalars(
            select(OnCallContact).where(
                OnCallContact.establishment_id == establishment.id, OnCallContact.active
            )
        ).all()
        found.append(
            EstablishmentReadiness(
                code=establishment.code,
                name=establishment.name,
                id=establishment.id,
                languages=establishment.language_codes,
                say_voices=establishment.say_voices,
                phone_lines=_count(session, PhoneLine, establishment.id),
                kiosks=_count(session, KioskDevice, establishment.id, KioskDevice.revoked_at),
                contacts=len(contacts),
                contacts_with_phone=sum(1 for contact in contacts if contact.phone),
                contacts_with_email=sum(1 for contact in contacts if contact.email),
                contact_roles=frozenset(contact.role for contact in contacts),
            )
        )
    return found


def _count(session: Session, model: Any, establishment_id: int, unset: Any = None) -> int:
    query = (
        select(func.count()).select_from(model).where(model.establishment_id == establishment_id)
    )
    if unset is not None:
        query = query.where(unset.is_(None))
    return int(session.scalar(query) or 0)
