"""Managing staff accounts: invite, reset sign-in, deactivate, re-activate, change role.

One function per operation, called by the staff pages, ``safereport user`` and the demo.
Rules: an administrator manages a person only if they administer every establishment that
person belongs to, never themself; anything that gives, restores or changes the power to
read reports becomes a pending request (safeguarding.access_requests) when an administrator
asks. The server operator (the command line) acts directly and is told the link.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Permission, Role, StaffPrincipal, allows
from safeguarding.access_requests import request_access
from safeguarding.admin_rules import (
    AdminRefused,
    Manager,
    NotManaged,
    ServerOperator,
    clean_email,
    clean_name,
    reads_reports,
    require_manages_person,
)
from safeguarding.clock import Clock
from safeguarding.staff_accounts import (
    create_account,
    notify_readers_changed,
    reset_account,
    set_active,
    set_role,
)
from storage.models import Establishment, StaffUser
from storage.repositories.staff import establishment_ids_of, find_staff_by_email


@dataclass(frozen=True)
class StaffChange:
    """What happened: done (with a setup link to hand over, for roles that read nothing or
    for the server operator), or waiting for a lead's approval."""

    staff_id: int | None
    setup_token: str | None = None
    request_id: int | None = None


def _needs_approval(by: Manager, *roles: str) -> bool:
    return isinstance(by, StaffPrincipal) and any(reads_reports(role) for role in roles)


def _user(session: Session, by: Manager, staff_id: int) -> tuple[StaffUser, frozenset[int]]:
    belongs_to = require_manages_person(session, by, staff_id)
    user = session.get(StaffUser, staff_id)
    if user is None:
        raise NotManaged()
    return user, belongs_to


def _clean_establishments(session: Session, by: Manager, wanted: list[int]) -> frozenset[int]:
    chosen = frozenset(wanted)
    existing = set(session.scalars(select(Establishment.id).where(Establishment.id.in_(chosen))))
    allowed = existing if isinstance(by, ServerOperator) else existing & by.establishment_ids
    if not chosen or not chosen <= allowed:
        raise AdminRefused("establishment", "choice")
    return chosen


def invite_member(
    session: Session,
    *,
    by: Manager,
    email: str,
    display_name: str,
    role: str,
    establishment_ids: list[int],
    pepper: bytes,
    clock: Clock,
) -> StaffChange:
    if isinstance(by, StaffPrincipal) and not allows(by.role, Permission.MANAGE_STAFF):
        raise NotManaged()
    email = clean_email(email)
    display_name = clean_name(display_name)
    if role not in {r.value for r in Role}:
        raise AdminRefused("role", "choice")
    chosen = _clean_establishments(session, by, establishment_ids)
    if find_staff_by_email(session, email) is not None:
        raise AdminRefused("email", "taken")
    if isinstance(by, StaffPrincipal) and _needs_approval(by, role):
        request = request_access(
            session, by=by, kind="invite", role=role, establishment_ids=chosen, clock=clock,
            email=email, display_name=display_name,
        )  # fmt: skip
        return StaffChange(None, request_id=request.id)
    user, token = create_account(
        session, by=by, email=email, display_name=display_name, role=role,
        establishment_ids=sorted(chosen), pepper=pepper, clock=clock,
    )  # fmt: skip
    if reads_reports(role):
        notify_readers_changed(
            session, establishment_ids=chosen, event="granted", staff_id=user.id, role=role,
            clock=clock,
        )  # fmt: skip
    return StaffChange(user.id, setup_token=token)


def reset_sign_in(
    session: Session, *, by: Manager, staff_id: int, pepper: bytes, clock: Clock
) -> StaffChange:
    user, belongs_to = _user(session, by, staff_id)
    if isinstance(by, StaffPrincipal) and _needs_approval(by, user.role):
        request = request_access(
            session, by=by, kind="reset", role=user.role, establishment_ids=belongs_to,
            clock=clock, staff_id=user.id,
        )  # fmt: skip
        return StaffChange(user.id, request_id=request.id)
    token = reset_account(session, by=by, user=user, pepper=pepper, clock=clock)
    if reads_reports(user.role):
        notify_readers_changed(
            session, establishment_ids=belongs_to, event="reset", staff_id=user.id,
            role=user.role, clock=clock,
        )  # fmt: skip
    return StaffChange(user.id, setup_token=token)


def deactivate_member(session: Session, *, by: Manager, staff_id: int, clock: Clock) -> None:
    """Taking access away needs no second person: it ends every session at once."""
    user, belongs_to = _user(session, by, staff_id)
    set_active(session, by=by, user=user, active=False, clock=clock)
    if reads_reports(user.role):
        notify_readers_changed(
            session, establishment_ids=belongs_to, event="deactivated", staff_id=user.id,
            role=user.role, clock=clock,
        )  # fmt: skip


def reactivate_member(session: Session, *, by: Manager, staff_id: int, clock: Clock) -> StaffChange:
    user, belongs_to = _user(session, by, staff_id)
    if isinstance(by, StaffPrincipal) and _needs_approval(by, user.role):
        request = request_access(
            session, by=by, kind="reactivate", role=user.role, establishment_ids=belongs_to,
            clock=clock, staff_id=user.id,
        )  # fmt: skip
        return StaffChange(user.id, request_id=request.id)
    set_active(session, by=by, user=user, active=True, clock=clock)
    return StaffChange(user.id)


def change_role(
    session: Session, *, by: Manager, staff_id: int, role: str, clock: Clock
) -> StaffChange:
    """Also for an administrator's own account, but only as a request: nobody gives
    themself the power to read reports."""
    if role not in {r.value for r in Role}:
        raise AdminRefused("role", "choice")
    if isinstance(by, StaffPrincipal) and staff_id == by.staff_id:
        user = session.get(StaffUser, staff_id)
        belongs_to = establishment_ids_of(session, staff_id)
        if user is None or not allows(by.role, Permission.MANAGE_STAFF):
            raise NotManaged()
    else:
        user, belongs_to = _user(session, by, staff_id)
    if isinstance(by, StaffPrincipal) and (
        _needs_approval(by, user.role, role) or staff_id == by.staff_id
    ):
        request = request_access(
            session, by=by, kind="role", role=role, establishment_ids=belongs_to, clock=clock,
            staff_id=user.id,
        )  # fmt: skip
        return StaffChange(user.id, request_id=request.id)
    set_role(session, by=by, user=user, role=role, clock=clock)
    return StaffChange(user.id)
