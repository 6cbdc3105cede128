"""Administration of the on-call chain: who is paged, in which order, for an immediate
report (safeguarding.alerts pages them one after another until someone acknowledges)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from safeguarding.admin_rules import AdminRefused, NotManaged
from safeguarding.oncall_admin import (
    add_oncall_contact,
    move_oncall_contact,
    set_oncall_active,
    whole_chain,
)
from triage.admin_common import managed_establishment, refusal_message
from triage.guard import current_principal, services
from triage.labels import ON_CALL_ROLE_LABELS

PREFIX = "/admin/establishments/<int:establishment_id>/on-call"
ACTIONS = ("up", "down", "off", "on")


def register(bp: Blueprint) -> None:
    bp.add_url_rule(PREFIX, "admin_oncall", chain, methods=["GET", "POST"])
    bp.add_url_rule(f"{PREFIX}/<int:contact_id>", "admin_oncall_change", change, methods=["POST"])


def role_labels() -> dict[str, str]:
    return {role: str(words) for role, words in ON_CALL_ROLE_LABELS.items()}


def chain(establishment_id: int) -> ResponseReturnValue:
    errors: dict[str, str] = {}
    svc = services()
    with svc.db.transaction() as session:
        establishment = managed_establishment(session, establishment_id)
        if request.method == "POST":
            form = request.form
            try:
                add_oncall_contact(
                    session, by=current_principal(), establishment_id=establishment.id,
                    role=form.get("role", ""), display_name=form.get("display_name", ""),
                    email=form.get("email"), phone=form.get("phone"), clock=svc.clock,
                )  # fmt: skip
            except AdminRefused as refused:
                errors[refused.field] = refusal_message(refused)
            else:
                flash("oncall_added")
                return redirect(url_for("triage.admin_oncall", establishment_id=establishment_id))
        page = render_template(
            "triage/admin_oncall.html",
            establishment=establishment,
            contacts=whole_chain(session, establishment.id),
            roles=role_labels(),
            role_options=list(role_labels().items()),
            form=request.form if errors else {},
            errors=errors,
            section="oncall",
        )
    return page, (400 if errors else 200)


def change(establishment_id: int, contact_id: int) -> ResponseReturnValue:
    action = request.form.get("action", "")
    if action not in ACTIONS:
        abort(400)
    svc = services()
    with svc.db.transaction() as session:
        managed_establishment(session, establishment_id)
        by, clock = current_principal(), svc.clock
        try:
            if action in ("off", "on"):
                set_oncall_active(
                    session, by=by, establishment_id=establishment_id, contact_id=contact_id,
                    active=action == "on", clock=clock,
                )  # fmt: skip
            else:
                move_oncall_contact(
                    session, by=by, establishment_id=establishment_id, contact_id=contact_id,
                    step=-1 if action == "up" else 1, clock=clock,
                )  # fmt: skip
        except NotManaged:
            abort(404)
    flash(f"oncall_{action}")
    return redirect(url_for("triage.admin_oncall", establishment_id=establishment_id))
