"""What the administration pages share: who is asking, and the words for each refusal the
rules (safeguarding.admin_rules and the operations built on it) can give.

Administrators manage the places and devices of the establishments they belong to; they
never see a report (the access table gives them no reading at all).
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy.orm import Session

from safeguarding.access import Permission, StaffPrincipal, allows
from safeguarding.admin_rules import MAX_NAME_CHARS, AdminRefused, NotManaged, audit
from safeguarding.places_admin import managed_establishment as _managed_establishment
from storage.ids import parse_row_id
from storage.models import Establishment
from translations.i18n import _
from triage.guard import current_principal, services


def admin_principal() -> StaffPrincipal:
    principal = current_principal()
    if not allows(principal.role, Permission.MANAGE_ESTABLISHMENTS):
        abort(403)
    return principal


def managed_establishment(session: Session, establishment_id: int) -> Establishment:
    """The establishment if this administrator belongs to it; 404 otherwise (also for one
    that does not exist, so existence is not revealed)."""
    try:
        return _managed_establishment(
            session, by=admin_principal(), establishment_id=establishment_id
        )
    except NotManaged:
        abort(404)


def administered_establishments() -> list[Establishment]:
    """The establishments this administrator administers, by name (a page that picks one)."""
    principal = admin_principal()
    with services().db.transaction() as session:
        places = [managed_establishment(session, i) for i in sorted(principal.establishment_ids)]
    return sorted(places, key=lambda place: place.name)


def audit_admin(session: Session, action: str, **detail: Any) -> None:
    """Every change an administrator makes, with ids only (never phone numbers or emails)."""
    audit(session, by=current_principal(), clock=services().clock, action=action, **detail)


def number_in(value: str, low: int, high: int) -> int | None:
    number = parse_row_id(value)
    if number is None or not low <= number <= high:
        return None
    return number


def refusal_message(refused: AdminRefused) -> str:
    code, field = refused.code, refused.field
    if code == "name":
        # Translators: error on an administration form when a name is missing or too long.
        return _("Enter a name of up to %(most)d characters.", most=MAX_NAME_CHARS)
    if code == "email":
        # Translators: error on an administration form.
        return _("Enter an email address like name@example.gov.uk.")
    if code == "phone":
        # Translators: error on an administration form; keep the example number as it is.
        return _("Enter the number in international format, like +441632960001.")
    if code == "no_way_to_reach":
        # Translators: error on the on-call form: paging needs a way to reach the person.
        return _("Give a mobile number, an email address, or both.")
    if code == "too_long":
        # Translators: error on the new phone line form.
        return _("Use up to %(most)d characters.", most=MAX_NAME_CHARS)
    if code == "taken" and field == "email":
        # Translators: error on the invite form.
        return _("There is already an account with this email address.")
    if code == "taken":
        # Translators: error on the new phone line form.
        return _("This number is already in use.")
    if code == "in_use" and field.startswith("line-"):
        # Translators: error when removing a phone line that calls or reports came in on.
        return _("Calls came in on this number, so it stays on record. It cannot be removed.")
    if code == "in_use":
        # Translators: error when removing a wing that reports or kiosks refer to.
        return _(
            "Reports or kiosks refer to this place, so it cannot be removed. Rename it instead."
        )
    if code == "revoked":
        # Translators: error when asking for an enrolment link for a revoked kiosk.
        return _("This kiosk was revoked. Register a new kiosk instead.")
    if field == "establishment":
        # Translators: error on the invite form.
        return _("Choose at least one establishment.")
    if field == "kiosk_location":
        # Translators: error on the new kiosk form.
        return _("Choose a wing or place from the list.")
    # Translators: error on the invite form.
    return _("Choose a role.")
