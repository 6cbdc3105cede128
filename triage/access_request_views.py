"""Leads and governors approve or refuse an administrator's request to let someone read
reports (safeguarding.access_requests holds the rules: who may decide, what happens)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from safeguarding.access import Permission, allows
from safeguarding.access_requests import decide, pending_requests
from safeguarding.admin_rules import AdminRefused, NotManaged
from storage.models import Establishment, StaffUser
from triage.guard import current_principal, services


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/access-requests", "access_requests", listing)
    bp.add_url_rule(
        "/access-requests/<int:request_id>", "access_decide", decision, methods=["POST"]
    )


def listing() -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.APPROVE_ACCESS):
        abort(403)
    with services().db.transaction() as session:
        waiting = pending_requests(session, principal)
        people = {
            user.id: user
            for user in session.scalars(
                select(StaffUser).where(
                    StaffUser.id.in_(
                        {r.staff_id for r in waiting if r.staff_id}
                        | {r.requested_by for r in waiting}
                    )
                )
            )
        }
        names = {
            e.id: e.name
            for e in session.scalars(
                select(Establishment).where(Establishment.id.in_(principal.establishment_ids))
            )
        }
        return render_template(
            "triage/access_requests.html", waiting=waiting, people=people, names=names
        )


def decision(request_id: int) -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.APPROVE_ACCESS):
        abort(403)
    answer = request.form.get("decision", "")
    if answer not in ("approve", "refuse"):
        abort(400)
    svc = services()
    with svc.db.transaction() as session:
        try:
            decide(
                session, by=principal, request_id=request_id, approve=answer == "approve",
                pepper=svc.secrets.code_pepper, clock=svc.clock,
            )  # fmt: skip
        except (NotManaged, AdminRefused):
            abort(404)
    flash("access_approved" if answer == "approve" else "access_refused")
    return redirect(url_for("triage.access_requests"))
