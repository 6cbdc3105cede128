"""The on-call chain: who is paged, in which order, for an immediate report. One function
per change, called by the administration page, ``safereport oncall`` and the demo."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.admin_rules import (
    AdminRefused,
    Manager,
    NotManaged,
    audit,
    clean_email,
    clean_name,
    clean_phone,
    move_in_order,
    require_establishment,
)
from safeguarding.alerts import ON_CALL_ROLES
from safeguarding.clock import Clock
from storage.models import OnCallContact


def whole_chain(session: Session, establishment_id: int) -> list[OnCallContact]:
    """Everyone in the chain, active or not, in paging order."""
    return list(
        session.scalars(
            select(OnCallContact)
            .where(OnCallContact.establishment_id == establishment_id)
            .order_by(OnCallContact.chain_position, OnCallContact.id)
        )
    )


def add_oncall_contact(
    session: Session, *, by: Manager, establishment_id: int, role: str, display_name: str,
    email: str | None, phone: str | None, clock: Clock,
) -> OnCallContact:  # fmt: skip
    """Added at the end of the chain."""
    require_establishment(by, establishment_id)
    if role not in ON_CALL_ROLES:
        raise AdminRefused("role", "choice")
    display_name = clean_name(display_name)
    email, phone = (email or "").strip(), (phone or "").strip()
    if not email and not phone:
        raise AdminRefused("phone", "no_way_to_reach")
    if phone:
        phone = clean_phone(phone)
    if email:
        email = clean_email(email)
    last = max((c.chain_position for c in whole_chain(session, establishment_id)), default=0)
    contact = OnCallContact(
        establishment_id=establishment_id, chain_position=last + 1, role=role,
        display_name=display_name, email=email or None, phone=phone or None,
        created_at=clock.now(),
    )  # fmt: skip
    session.add(contact)
    session.flush()
    audit(
        session, by=by, clock=clock, action="admin.oncall_added",
        establishment_id=establishment_id, contact_id=contact.id,
    )  # fmt: skip
    return contact


def _contact(
    session: Session, by: Manager, establishment_id: int, contact_id: int
) -> tuple[list[OnCallContact], OnCallContact]:
    require_establishment(by, establishment_id)
    contacts = whole_chain(session, establishment_id)
    contact = next((c for c in contacts if c.id == contact_id), None)
    if contact is None:
        raise NotManaged()
    return contacts, contact


def move_oncall_contact(
    session: Session, *, by: Manager, establishment_id: int, contact_id: int, step: int,
    clock: Clock,
) -> None:  # fmt: skip
    contacts, contact = _contact(session, by, establishment_id, contact_id)
    move_in_order(contacts, contact, step, attribute="chain_position")
    audit(
        session, by=by, clock=clock, action=f"admin.oncall_{'up' if step < 0 else 'down'}",
        establishment_id=establishment_id, contact_id=contact_id,
    )  # fmt: skip


def set_oncall_active(
    session: Session, *, by: Manager, establishment_id: int, contact_id: int, active: bool,
    clock: Clock,
) -> None:  # fmt: skip
    """Standing someone down removes them from paging; the row stays, because pages already
    queued and the audit trail name it."""
    _contacts, contact = _contact(session, by, establishment_id, contact_id)
    contact.active = active
    audit(
        session, by=by, clock=clock, action=f"admin.oncall_{'on' if active else 'off'}",
        establishment_id=establishment_id, contact_id=contact_id,
    )  # fmt: skip
