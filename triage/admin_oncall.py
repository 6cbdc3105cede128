"""Administration of the on-call chain: who is paged, in which order, for an immediate
report (safeguarding.alerts pages them one after another until someone acknowledges)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.alerts import ON_CALL_ROLES
from storage.models import Establishment, OnCallContact
from triage.admin_common import (
    audit_admin,
    email_problem,
    managed_establishment,
    name_problem,
    phone_problem,
)
from triage.guard import services
from triage.i18n import _
from triage.labels import ON_CALL_ROLE_LABELS

PREFIX = "/admin/establishments/<int:establishment_id>/on-call"
ACTIONS = ("up", "down", "off", "on")


def register(bp: Blueprint) -> None:
    bp.add_url_rule(PREFIX, "admin_oncall", chain, methods=["GET", "POST"])
    bp.add_url_rule(f"{PREFIX}/<int:contact_id>", "admin_oncall_change", change, methods=["POST"])


def role_labels() -> dict[str, str]:
    return {role: str(words) for role, words in ON_CALL_ROLE_LABELS.items()}


def _contacts(session: Session, establishment: Establishment) -> list[OnCallContact]:
    """Everyone in the chain, active or not, in paging order."""
    return list(
        session.scalars(
            select(OnCallContact)
            .where(OnCallContact.establishment_id == establishment.id)
            .order_by(OnCallContact.chain_position, OnCallContact.id)
        )
    )


def chain(establishment_id: int) -> ResponseReturnValue:
    errors: dict[str, str] = {}
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        if request.method == "POST":
            errors = _add(session, establishment)
            if not errors:
                flash("oncall_added")
                return redirect(url_for("triage.admin_oncall", establishment_id=establishment_id))
        page = render_template(
            "triage/admin_oncall.html",
            establishment=establishment,
            contacts=_contacts(session, establishment),
            roles=role_labels(),
            role_options=list(role_labels().items()),
            form=request.form if errors else {},
            errors=errors,
            section="oncall",
        )
    return page, (400 if errors else 200)


def _add(session: Session, establishment: Establishment) -> dict[str, str]:
    form = request.form
    errors: dict[str, str] = {}
    if form.get("role") not in ON_CALL_ROLES:
        # Translators: error on the on-call form.
        errors["role"] = _("Choose a role.")
    problem = name_problem(form.get("display_name", ""))
    if problem:
        errors["display_name"] = problem
    email, phone = form.get("email", "").strip(), form.get("phone", "").strip()
    if not email and not phone:
        # Translators: error on the on-call form: paging needs a way to reach the person.
        errors["phone"] = _("Give a mobile number, an email address, or both.")
    if email and (problem := email_problem(email)):
        errors["email"] = problem
    if phone and (problem := phone_problem(phone)):
        errors["phone"] = problem
    if errors:
        return errors
    last = max((c.chain_position for c in _contacts(session, establishment)), default=0)
    contact = OnCallContact(
        establishment_id=establishment.id, chain_position=last + 1, role=form["role"],
        display_name=form["display_name"].strip(), email=email or None, phone=phone or None,
        created_at=services().clock.now(),
    )  # fmt: skip
    session.add(contact)
    session.flush()
    audit_admin(
        session, "admin.oncall_added", establishment_id=establishment.id, contact_id=contact.id
    )
    return {}


def change(establishment_id: int, contact_id: int) -> ResponseReturnValue:
    action = request.form.get("action", "")
    if action not in ACTIONS:
        abort(400)
    with services().db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        contacts = _contacts(session, establishment)
        contact = next((c for c in contacts if c.id == contact_id), None)
        if contact is None:
            abort(404)
        if action in ("off", "on"):
            contact.active = action == "on"
        else:
            _move(contacts, contact, -1 if action == "up" else 1)
        audit_admin(
            session, f"admin.oncall_{action}", establishment_id=establishment.id,
            contact_id=contact.id,
        )  # fmt: skip
    flash(f"oncall_{action}")
    return redirect(url_for("triage.admin_oncall", establishment_id=establishment_id))


def _move(contacts: list[OnCallContact], contact: OnCallContact, step: int) -> None:
    """Swap with the neighbour, then number the chain 1, 2, 3... (repairs equal positions)."""
    index = contacts.index(contact)
    other = index + step
    if 0 <= other < len(contacts):
        contacts[index], contacts[other] = contacts[other], contacts[index]
    for position, each in enumerate(contacts, start=1):
        each.chain_position = position
