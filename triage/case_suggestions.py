"""Suggested links and other establishments' counts on the case page (issue 14), and the
three buttons under them: confirm, dismiss, ask that establishment's lead. The rules are
in safeguarding.suggestions and safeguarding.cross_site; this only shows and posts."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import object_session

from safeguarding.access import AccessDenied, Permission
from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.cross_site import ask_other_establishment
from safeguarding.suggestions import (
    Suggestions,
    confirm_suggestion,
    dismiss_suggestion,
    suggestions_for,
)
from storage.models import Report
from translations.i18n import _
from triage.case_views import fetch_accessible
from triage.guard import current_principal, services


def register(bp: Blueprint) -> None:
    base = "/reports/<int:report_id>"
    bp.add_url_rule(
        f"{base}/suggestions/<int:other_id>/<decision>", "suggestion", decide, methods=["POST"]
    )
    bp.add_url_rule(
        f"{base}/elsewhere/<int:establishment_id>", "ask_elsewhere", ask, methods=["POST"]
    )
    # The case page's one include line calls this: nothing is added to case_views.
    bp.add_app_template_global(case_suggestions, "case_suggestions")


def case_suggestions(report: Report) -> Suggestions | None:
    """What the case page suggests to the signed-in reader, inside the page's transaction
    (the case page has already checked that they may read ``report``)."""
    session = object_session(report)
    if session is None:
        return None
    return suggestions_for(session, current_principal(), report, services().policy)


def decide(report_id: int, other_id: int, decision: str) -> ResponseReturnValue:
    if decision not in ("confirm", "dismiss"):
        abort(404)
    return _run(report_id, lambda ctx, report: _decide(ctx, report, other_id, decision))


def _decide(ctx: ActionContext, report: Report, other_id: int, decision: str) -> str:
    other = ctx.session.get(Report, other_id)
    if other is None:
        raise ActionRefused("suggestion:unknown")
    if decision == "confirm":
        confirm_suggestion(ctx, report, other, services().policy)
        return "link"
    dismiss_suggestion(ctx, report, other, services().policy)
    return "suggestion_dismissed"


def ask(report_id: int, establishment_id: int) -> ResponseReturnValue:
    def run(ctx: ActionContext, report: Report) -> str:
        ask_other_establishment(ctx, report, other_establishment_id=establishment_id)
        return "cross_site_asked"

    return _run(report_id, run)


def _run(report_id: int, step: Callable[[ActionContext, Report], str]) -> ResponseReturnValue:
    principal = current_principal()
    svc = services()
    refusal = ""
    with svc.db.transaction() as session:
        report = fetch_accessible(session, principal, report_id, Permission.LINK_REPORTS)
        if report is None:
            abort(404)
        ctx = ActionContext(session, principal, svc.clock, svc.secrets.vault)
        try:
            with session.begin_nested():
                done = step(ctx, report)
        except ActionRefused as refused:
            refusal = refused.code
        except AccessDenied:
            abort(404)  # the other report is one they may not touch: as if it did not exist
    if refusal:
        return _refused(refusal), 400
    flash(done)
    return redirect(url_for("triage.case", report_id=report_id, _anchor="suggestions"))


def _refused(code: str) -> str:
    texts = {
        # Translators: error after pressing a button under "Suggested links": the suggestion
        # was already decided, or is no longer suggested.
        "suggestion:unknown": _("That report is no longer suggested. Nothing was changed."),
        # Translators: error after asking another prison's lead: asked already.
        "cross_site:already_asked": _("You have already asked that establishment."),
        # Translators: error after asking another prison's lead: they have no lead on call
        # with an email address.
        "cross_site:nobody": _(
            "That establishment has no safeguarding lead on call with an email address. "
            "Nothing was sent."
        ),
        # Translators: error after asking another prison's lead: there is nothing to ask about.
        "cross_site:unknown": _("No reports there name this person now. Nothing was sent."),
        # Translators: error after trying to link two reports that are already linked.
        "already_linked": _("These reports are already linked."),
    }
    # Translators: page title when a button on the case page could not do what was asked.
    title = _("That could not be done")
    # Translators: error when a button on the case page could not do what was asked.
    text = texts.get(code, _("That could not be done."))
    return render_template("triage/problem.html", title=title, text=text, errors={})
