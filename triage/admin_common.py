"""What the administration pages share: the access check on the exact establishment, the
audit of every change, and the checks on what an administrator types.

Administrators manage the places and devices of the establishments they belong to; they
never see a report (the access table gives them no reading at all).
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort
from sqlalchemy.orm import Session

from safeguarding.access import Permission, StaffPrincipal, allows
from storage.ids import parse_row_id
from storage.models import Establishment
from storage.repositories.audit import append_audit
from triage.guard import current_principal, services
from triage.i18n import _

E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME_CHARS = 120


def admin_principal() -> StaffPrincipal:
    principal = current_principal()
    if not allows(principal.role, Permission.MANAGE_ESTABLISHMENTS):
        abort(403)
    return principal


def managed_establishment(session: Session, establishment_id: int) -> Establishment:
    """The establishment if this administrator belongs to it; 404 otherwise (also for one
    that does not exist, so existence is not revealed)."""
    principal = admin_principal()
    establishment = session.get(Establishment, establishment_id)
    if establishment is None or establishment.id not in principal.establishment_ids:
        abort(404)
    return establishment


def audit_admin(session: Session, action: str, **detail: Any) -> None:
    """Every change an administrator makes, with ids only (never phone numbers or emails)."""
    append_audit(
        session,
        at=services().clock.now(),
        actor=current_principal().actor,
        action=action,
        detail=detail,
    )


def name_problem(value: str) -> str | None:
    value = value.strip()
    if not value or len(value) > MAX_NAME_CHARS:
        # Translators: error on an administration form when a name is missing or too long.
        return _("Enter a name of up to %(most)d characters.", most=MAX_NAME_CHARS)
    return None


def phone_problem(value: str) -> str | None:
    if not E164.match(value.strip()):
        # Translators: error on an administration form; keep the example number as it is.
        return _("Enter the number in international format, like +441632960001.")
    return None


def email_problem(value: str) -> str | None:
    value = value.strip()
    if not EMAIL.match(value) or len(value) > 254:
        # Translators: error on an administration form.
        return _("Enter an email address like name@example.gov.uk.")
    return None


def number_in(value: str, low: int, high: int) -> int | None:
    number = parse_row_id(value)
    if number is None or not low <= number <= high:
        return None
    return number
