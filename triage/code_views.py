"""A new follow-up code for a named reporter who lost theirs (issue 17.3): a POST whose
response shows the code once (never a redirect, never cached, never in a URL or a flash)."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, make_response, render_template, request
from flask.typing import ResponseReturnValue

from safeguarding.access import AccessDenied, Permission
from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.code_reissue import reissue_code
from safeguarding.codes import group
from translations.i18n import _
from triage.case_views import fetch_accessible, render_case
from triage.guard import current_principal, services

REASON_FIELD = "reissue_reason"


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports/<int:report_id>/new_code", "new_code", new_code, methods=["POST"])


def new_code(report_id: int) -> ResponseReturnValue:
    # One transaction, run again when PostgreSQL rolls it back to end a deadlock: the code
    # shown is the one committed, never one from an attempt that was undone.
    code, refusal = services().db.retrying(partial(_reissue_in_one_transaction, report_id))
    if refusal is not None:
        errors = {REASON_FIELD: _refusal_message(refusal)}
        body = render_case(report_id, errors=errors, form=request.form.to_dict())
        return (body, 400) if body is not None else abort(404)
    response = make_response(
        render_template("triage/new_code.html", report_id=report_id, code_groups=group(code))
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _reissue_in_one_transaction(report_id: int) -> tuple[str, str | None]:
    """The new code, or why it was refused."""
    principal = current_principal()
    svc = services()
    with svc.db.transaction() as session:
        report = fetch_accessible(session, principal, report_id, Permission.REISSUE_CODE)
        if report is None:
            abort(404)
        ctx = ActionContext(session, principal, svc.clock, svc.secrets.vault)
        try:
            with session.begin_nested():
                code = reissue_code(
                    ctx,
                    report,
                    reason=request.form.get(REASON_FIELD, ""),
                    pepper=svc.secrets.code_pepper,
                )
        except ActionRefused as refused:
            return "", refused.code
        except AccessDenied:
            abort(404)
    return code, None


def _refusal_message(code: str) -> str:
    if code == "anonymous":
        # Translators: error on the case page: a new code can only be given to a reporter
        # who gave their name, because only then can staff check who is asking.
        return _("This report has no name on it, so nobody can check who is asking.")
    if code == "text_too_long":
        # Translators: error on a case action form when the text is too long.
        return _("The text is too long. Use fewer than 5,000 characters.")
    # Translators: error on a case action form when the text box was left empty.
    return _("Write something in the box.")
