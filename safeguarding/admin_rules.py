"""What every administration operation shares: who is acting, whether they manage this
establishment or person, what counts as a valid name, email or phone number, and the audit.

Each operation (safeguarding.staff_admin, safeguarding.access_requests,
safeguarding.places_admin, safeguarding.oncall_admin) is one function that the staff pages,
the command line and the demo all call, so a rule is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from safeguarding.access import Permission, Role, StaffPrincipal, allows
from safeguarding.clock import Clock
from safeguarding.email_addresses import is_email_address, normal_email
from safeguarding.errors import SafeguardingError
from safeguarding.phone_numbers import is_phone_number
from storage.repositories.audit import append_audit
from storage.repositories.staff import establishment_ids_of

MAX_NAME_CHARS = 120

# Roles whose holders read reports. Giving, restoring or changing one of these needs a
# second person (a lead or governor), never an administrator alone.
READING_ROLES = frozenset(role for role in Role if allows(role, Permission.READ_REPORT))
APPROVER_ROLES = frozenset(role for role in Role if allows(role, Permission.APPROVE_ACCESS))


@dataclass(frozen=True)
class ServerOperator:
    """Whoever runs ``safereport`` on the server. They hold the keys and the database
    already, so the command line is trusted with every operation."""

    actor: str = "system:cli"


Manager = StaffPrincipal | ServerOperator


class AdminRefused(SafeguardingError):
    """An administration form was filled in wrongly; ``field`` and ``code`` say how."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"{field}:{code}")
        self.field = field
        self.code = code


class NotManaged(SafeguardingError):
    """Not something this person manages (or it does not exist: doors answer 404 for both)."""


def reads_reports(role: str) -> bool:
    return role in {r.value for r in READING_ROLES}


def require_establishment(by: Manager, establishment_id: int) -> None:
    """An administrator manages the places, devices and chain of their establishments."""
    if isinstance(by, ServerOperator):
        return
    if not allows(by.role, Permission.MANAGE_ESTABLISHMENTS):
        raise NotManaged()
    if establishment_id not in by.establishment_ids:
        raise NotManaged()


def require_manages_person(session: Session, by: Manager, staff_id: int) -> frozenset[int]:
    """An administrator manages a person only if they administer EVERY establishment that
    person belongs to: an admin of B may not reach a lead who also works at A. Returns the
    person's establishments."""
    belongs_to = establishment_ids_of(session, staff_id)
    if isinstance(by, ServerOperator):
        return belongs_to
    if not allows(by.role, Permission.MANAGE_STAFF) or staff_id == by.staff_id:
        raise NotManaged()
    if not belongs_to or not belongs_to <= by.establishment_ids:
        raise NotManaged()
    return belongs_to


def clean_name(value: str, *, field: str = "display_name") -> str:
    value = value.strip()
    if not value or len(value) > MAX_NAME_CHARS:
        raise AdminRefused(field, "name")
    return value


def clean_email(value: str, *, field: str = "email") -> str:
    if not is_email_address(value):
        raise AdminRefused(field, "email")
    return normal_email(value)


def clean_phone(value: str, *, field: str = "phone") -> str:
    value = value.strip()
    if not is_phone_number(value):
        raise AdminRefused(field, "phone")
    return value


def audit(session: Session, *, by: Manager, clock: Clock, action: str, **detail: Any) -> None:
    """Every change, with ids only (never phone numbers or emails), at the service clock."""
    append_audit(session, at=clock.now(), actor=by.actor, action=action, detail=detail)


def move_in_order(rows: list[Any], row: Any, step: int, *, attribute: str) -> None:
    """Swap ``row`` with its neighbour ``step`` away, then number the list 1, 2, 3...
    (which also repairs equal positions). The one ordering rule for every admin list."""
    index = rows.index(row)
    other = index + step
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, each in enumerate(rows, start=1):
        setattr(each, attribute, position)
