"""Administrators manage staff accounts for their establishments (and never read reports).

The rules are in safeguarding.staff_admin: these views only read the form, call the one
function, and show what happened. A setup link appears here only for a role that reads
nothing; for one that reads reports the administrator sees that a lead or governor must
approve, and the person gets their link by email.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Permission, Role, allows
from safeguarding.access_requests import requests_made_in
from safeguarding.admin_rules import AdminRefused, NotManaged
from safeguarding.staff_admin import (
    StaffChange,
    change_role,
    deactivate_member,
    invite_member,
    reactivate_member,
    reset_sign_in,
)
from storage.ids import parse_row_id
from storage.models import Establishment, StaffMembership, StaffUser
from storage.repositories.staff import establishment_ids_of
from triage.admin_common import refusal_message
from triage.guard import current_principal, services
from triage.labels import label


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/staff", "staff_list", staff_list, methods=["GET", "POST"])
    for name, view in (
        ("deactivate", deactivate),
        ("reactivate", reactivate),
        ("setup-link", new_setup_link),
        ("role", new_role),
    ):
        bp.add_url_rule(
            f"/staff/<int:staff_id>/{name}",
            f"staff_{name.replace('-', '_')}",
            view,
            methods=["POST"],
        )


def _admin() -> None:
    if not allows(current_principal().role, Permission.MANAGE_STAFF):
        abort(403)


def _establishments(session: Session, ids: frozenset[int]) -> list[Establishment]:
    return list(
        session.scalars(
            select(Establishment)
            .where(Establishment.id.in_(sorted(ids)))
            .order_by(Establishment.name)
        )
    )


def _members(session: Session, ids: frozenset[int]) -> list[tuple[StaffUser, list[int], bool]]:
    """Everyone in these establishments, with whether this administrator manages them (only
    if they administer every establishment the person belongs to)."""
    members = select(StaffMembership.staff_id).where(
        StaffMembership.establishment_id.in_(sorted(ids))
    )
    users = session.scalars(
        select(StaffUser).where(StaffUser.id.in_(members)).order_by(StaffUser.display_name)
    )
    rows = []
    for user in users:
        belongs_to = establishment_ids_of(session, user.id)
        rows.append((user, sorted(belongs_to), belongs_to <= ids))
    return rows


def staff_list() -> ResponseReturnValue:
    _admin()
    principal = current_principal()
    svc = services()
    errors: dict[str, str] = {}
    change: StaffChange | None = None
    form = request.form.to_dict() if request.method == "POST" else {}
    with svc.db.transaction() as session:
        if request.method == "POST":
            try:
                change = invite_member(
                    session,
                    by=principal,
                    email=form.get("email", ""),
                    display_name=form.get("display_name", ""),
                    role=form.get("role", ""),
                    establishment_ids=[
                        parse_row_id(v) or -1 for v in request.form.getlist("establishment")
                    ],
                    pepper=svc.secrets.code_pepper,
                    clock=svc.clock,
                )
                form = {}
            except AdminRefused as refused:
                errors[refused.field] = refusal_message(refused)
        page = _render_staff_page(session, errors=errors, form=form, change=change)
    return page, (400 if errors else 200)


def _render_staff_page(
    session: Session, *, errors: dict[str, str], form: dict[str, str], change: StaffChange | None
) -> str:
    principal = current_principal()
    establishments = _establishments(session, principal.establishment_ids)
    setup_url = (
        url_for("triage.setup", _external=True, _anchor=change.setup_token)
        if change is not None and change.setup_token
        else None
    )
    return render_template(
        "triage/staff.html",
        members=_members(session, principal.establishment_ids),
        establishments=establishments,
        establishment_names={e.id: e.name for e in establishments},
        role_options=[(role.value, label("role", role.value)) for role in Role],
        errors=errors,
        form=form,
        setup_url=setup_url,
        requested=change is not None and change.request_id is not None,
        waiting=requests_made_in(session, principal.establishment_ids),
    )


def new_setup_link(staff_id: int) -> ResponseReturnValue:
    """A new one-time setup link. For an account already set up this is a reset: the
    password and authenticator are removed and every session ends (a lost phone)."""
    _admin()
    svc = services()
    with svc.db.transaction() as session:
        try:
            change = reset_sign_in(
                session, by=current_principal(), staff_id=staff_id,
                pepper=svc.secrets.code_pepper, clock=svc.clock,
            )  # fmt: skip
        except NotManaged:
            abort(404)
        return _render_staff_page(session, errors={}, form={}, change=change)


def deactivate(staff_id: int) -> ResponseReturnValue:
    _admin()
    svc = services()
    with svc.db.transaction() as session:
        try:
            deactivate_member(session, by=current_principal(), staff_id=staff_id, clock=svc.clock)
        except NotManaged:
            abort(404)
    flash("deactivated")
    return redirect(url_for("triage.staff_list"))


def reactivate(staff_id: int) -> ResponseReturnValue:
    _admin()
    svc = services()
    with svc.db.transaction() as session:
        try:
            change = reactivate_member(
                session, by=current_principal(), staff_id=staff_id, clock=svc.clock
            )
        except NotManaged:
            abort(404)
    flash("access_requested" if change.request_id else "reactivated")
    return redirect(url_for("triage.staff_list"))


def new_role(staff_id: int) -> ResponseReturnValue:
    _admin()
    svc = services()
    with svc.db.transaction() as session:
        try:
            change = change_role(
                session, by=current_principal(), staff_id=staff_id,
                role=request.form.get("role", ""), clock=svc.clock,
            )  # fmt: skip
        except NotManaged:
            abort(404)
        except AdminRefused:
            abort(400)
    flash("access_requested" if change.request_id else "role_changed")
    return redirect(url_for("triage.staff_list"))
