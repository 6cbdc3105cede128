"""Administrators manage staff accounts for their establishments (and never read reports)."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Permission, Role, allows
from safeguarding.enrolment import invite_staff, reissue_staff_setup
from storage.ids import parse_row_id
from storage.models import Establishment, StaffMembership, StaffUser
from storage.repositories.audit import append_audit
from storage.repositories.staff import end_staff_sessions, establishment_ids_of, find_staff_by_email
from triage.guard import current_principal, services
from triage.i18n import _
from triage.labels import label

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/staff", "staff_list", staff_list, methods=["GET", "POST"])
    bp.add_url_rule(
        "/staff/<int:staff_id>/deactivate", "staff_deactivate", deactivate, methods=["POST"]
    )
    bp.add_url_rule(
        "/staff/<int:staff_id>/setup-link", "staff_setup_link", new_setup_link, methods=["POST"]
    )


def _establishments(session: Session, ids: frozenset[int]) -> list[Establishment]:
    return list(
        session.scalars(
            select(Establishment)
            .where(Establishment.id.in_(sorted(ids)))
            .order_by(Establishment.name)
        )
    )


def _members(session: Session, ids: frozenset[int]) -> list[tuple[StaffUser, list[int]]]:
    members = select(StaffMembership.staff_id).where(
        StaffMembership.establishment_id.in_(sorted(ids))
    )
    users = session.scalars(
        select(StaffUser).where(StaffUser.id.in_(members)).order_by(StaffUser.display_name)
    )
    return [(user, sorted(establishment_ids_of(session, user.id))) for user in users]


def staff_list() -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.MANAGE_STAFF):
        abort(403)
    svc = services()
    errors: dict[str, str] = {}
    setup_url = None
    form = request.form.to_dict() if request.method == "POST" else {}
    with svc.db.transaction() as session:
        if request.method == "POST":
            errors = _invite_problems(session, form, principal.establishment_ids)
            if not errors:
                _user, token = invite_staff(
                    session,
                    email=form["email"],
                    display_name=form["display_name"].strip(),
                    role=form["role"],
                    establishment_ids=[int(v) for v in request.form.getlist("establishment")],
                    pepper=svc.secrets.code_pepper,
                    clock=svc.clock,
                    actor=principal.actor,
                )
                setup_url = url_for("triage.setup", token=token, _external=True)
                form = {}
        page = _render_staff_page(session, errors=errors, form=form, setup_url=setup_url)
    return page, (400 if errors else 200)


def _render_staff_page(
    session: Session, *, errors: dict[str, str], form: dict[str, str], setup_url: str | None
) -> str:
    principal = current_principal()
    establishments = _establishments(session, principal.establishment_ids)
    return render_template(
        "triage/staff.html",
        members=_members(session, principal.establishment_ids),
        establishments=establishments,
        establishment_names={e.id: e.name for e in establishments},
        role_options=[(role.value, label("role", role.value)) for role in Role],
        errors=errors,
        form=form,
        setup_url=setup_url,
    )


def _invite_problems(
    session: Session, form: dict[str, str], allowed: frozenset[int]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    email = form.get("email", "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        # Translators: error on the invite form.
        errors["email"] = _("Enter an email address like name@example.gov.uk.")
    elif find_staff_by_email(session, email) is not None:
        # Translators: error on the invite form.
        errors["email"] = _("There is already an account with this email address.")
    if not form.get("display_name", "").strip() or len(form.get("display_name", "")) > 120:
        # Translators: error on the invite form.
        errors["display_name"] = _("Enter the person's name.")
    if form.get("role") not in {role.value for role in Role}:
        # Translators: error on the invite form.
        errors["role"] = _("Choose a role.")
    chosen = request.form.getlist("establishment")
    if not chosen or any(parse_row_id(v) not in allowed for v in chosen):
        # Translators: error on the invite form.
        errors["establishment"] = _("Choose at least one establishment.")
    return errors


def _managed_user(session: Session, staff_id: int) -> StaffUser:
    """Someone this administrator may manage: in one of their establishments, not themself."""
    principal = current_principal()
    if not allows(principal.role, Permission.MANAGE_STAFF) or staff_id == principal.staff_id:
        abort(403)
    user = session.get(StaffUser, staff_id)
    if user is None or not (establishment_ids_of(session, staff_id) & principal.establishment_ids):
        abort(404)
    return user


def new_setup_link(staff_id: int) -> ResponseReturnValue:
    """A new one-time setup link. For an account already set up this is a reset: the
    password and authenticator are removed and every session ends (a lost phone)."""
    principal = current_principal()
    svc = services()
    with svc.db.transaction() as session:
        user = _managed_user(session, staff_id)
        now = svc.clock.now()
        if user.password_hash is not None or user.totp_secret_sealed is not None:
            user.password_hash = None
            user.totp_secret_sealed = None
            end_staff_sessions(session, staff_id=staff_id, now=now)
            append_audit(
                session, at=now, actor=principal.actor, action="staff.reset",
                detail={"staff_id": staff_id},
            )  # fmt: skip
        token = reissue_staff_setup(
            session, user=user, pepper=svc.secrets.code_pepper, clock=svc.clock,
            actor=principal.actor,
        )  # fmt: skip
        return _render_staff_page(
            session,
            errors={},
            form={},
            setup_url=url_for("triage.setup", token=token, _external=True),
        )


def deactivate(staff_id: int) -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.MANAGE_STAFF) or staff_id == principal.staff_id:
        abort(403)
    svc = services()
    with svc.db.transaction() as session:
        user = session.get(StaffUser, staff_id)
        if user is None or not (
            establishment_ids_of(session, staff_id) & principal.establishment_ids
        ):
            abort(404)
        user.active = False
        end_staff_sessions(session, staff_id=staff_id, now=svc.clock.now())
        append_audit(
            session,
            at=svc.clock.now(),
            actor=principal.actor,
            action="staff.deactivated",
            detail={"staff_id": staff_id},
        )
    flash("deactivated")
    return redirect(url_for("triage.staff_list"))
