"""Requests from other establishments about a person named at both (issue 14): the page
where the lead or governor asked approves or refuses, and what the asking lead sees on
their case page afterwards. The rules are in safeguarding.cross_site_answers; everyone
else gets 404, as if the page did not exist."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import object_session

from safeguarding.access import AccessDenied, Permission, allows
from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.cross_site_answers import Answer, answer_request, answers_for, requests_for
from safeguarding.reads import record_read
from storage.models import Report
from translations.i18n import _
from triage.guard import current_principal, services


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/cross-site", "cross_site_requests", listing)
    bp.add_url_rule("/cross-site/<int:request_id>", "cross_site_answer", answer, methods=["POST"])
    # The case page's include line calls this: nothing is added to case_views.
    bp.add_app_template_global(cross_site_answers, "cross_site_answers")


def listing() -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.ANSWER_CROSS_SITE):
        abort(404)
    svc = services()
    with svc.db.transaction() as session:
        found = requests_for(session, principal)
        record_read(
            session, at=svc.clock.now(), actor=principal.actor,
            action="cross_site.requests_viewed", detail={"requests": len(found)},
        )  # fmt: skip
        return render_template("triage/cross_site_requests.html", requests=found, errors={})


def answer(request_id: int) -> ResponseReturnValue:
    principal = current_principal()
    if not allows(principal.role, Permission.ANSWER_CROSS_SITE):
        abort(404)
    decision = request.form.get("decision", "")
    if decision not in ("approve", "refuse"):
        abort(400)
    svc = services()
    refusal = ""
    with svc.db.transaction() as session:
        ctx = ActionContext(session, principal, svc.clock, svc.secrets.vault)
        try:
            with session.begin_nested():
                answer_request(
                    ctx, request_id, approve=decision == "approve",
                    reason=request.form.get("reason", ""),
                )  # fmt: skip
        except AccessDenied:
            abort(404)
        except ActionRefused as refused:
            refusal = refused.code
    if refusal:
        return _refused(refusal), 400
    flash("cross_site_approved" if decision == "approve" else "cross_site_refused")
    return redirect(url_for("triage.cross_site_requests"))


def cross_site_answers(report: Report) -> list[Answer]:
    """On the case page: the answers to the signed-in lead's own requests about it."""
    session = object_session(report)
    if session is None:
        return []
    return answers_for(session, current_principal(), report)


def _refused(code: str) -> str:
    texts = {
        # Translators: error after answering another prison's request that was already
        # answered the other way.
        "cross_site:answered": _("That request has already been answered. Nothing was changed."),
        # Translators: error when the reason given is too long.
        "text_too_long": _("The reason is too long. Shorten it and try again."),
    }
    # Translators: page title when answering another prison's request could not be done.
    title = _("That could not be done")
    # Translators: error when answering another prison's request could not be done.
    text = texts.get(code, _("That could not be done."))
    return render_template("triage/problem.html", title=title, text=text, errors={})
