"""'Are you safe now?' when the person comes back with their code while a retaliation
check-in on their report is due (issue 15.5; the rule is safeguarding.checkin_answers).

Asked once per visit, before the report's status, only once the code (and its secret)
opened the report. Each answer is saved by the tap that gives it, so Leave now and the idle
wipe, which end only the draft, never lose it: a "No" has already made the report immediate
and paged the on-call chain. Skip this goes straight on to the status, where adding
information is as before; the question comes back at the next visit.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from kiosk import wishes_words
from kiosk.context import current_draft, needs_draft, place, reopen_draft, services
from kiosk.forms import csrf_ok
from kiosk.text import form_expired_message
from safeguarding.checkin_answers import (
    NOT_SAFE_NOW,
    SAFE_NOW,
    answer_safe_now_by_id,
    ask_if_safe_now,
)
from safeguarding.codes import keyed_hash
from safeguarding.drafts import OpenDraft, save_draft

QUESTION = "safe_now"


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/code/safe-now", view_func=safe_now, methods=["GET", "POST"])


def _marker(report_id: int) -> str:
    return keyed_hash(services().secrets.code_pepper, "kiosk-safe-now", str(report_id))


def safe_now_asked(draft: OpenDraft) -> bool:
    """Whether "Are you safe now?" was asked in this visit (answered or skipped): then
    "Do you feel safer?" is not asked after "Did we do what you wanted?" as well."""
    report_id = draft.state.followup_report_id
    return report_id is not None and _marker(report_id) in draft.state.added


def safe_now_due(draft: OpenDraft) -> bool:
    """Whether the report opened in this visit waits for "Are you safe now?" and it was not
    asked yet in this visit (answered or skipped)."""
    report_id = draft.state.followup_report_id
    if report_id is None or safe_now_asked(draft):
        return False
    svc = services()
    with svc.db.reading() as session:
        return ask_if_safe_now(session, report_id, svc.clock.now())


def _to_status() -> Response:
    return redirect(url_for("kiosk.report_status"), 303)


@needs_draft
def safe_now() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if draft.state.followup_report_id is None:
        return redirect(url_for("kiosk.enter_code"), 303)
    if request.method == "GET":
        return _render() if safe_now_due(draft) else _to_status()
    skipped = bool(request.form.get("skip"))
    answer = request.form.get("answer", "")
    if not csrf_ok() or not (skipped or answer in SAFE_NOW):
        return _render(form_expired_message()), 400
    # One transaction, run again when PostgreSQL rolls it back to end a deadlock: "I am
    # not safe" is kept and acted on, never answered with an error page.
    kept = services().db.retrying(partial(_keep, None if skipped else answer))
    if not kept:
        return redirect(url_for("kiosk.start"), 303)
    if answer == NOT_SAFE_NOW and not skipped:
        return render_template(
            "kiosk/safe_now_told.html",
            back_url=None,
            phone_number=place().phone_number,
            then_url=url_for("kiosk.report_status"),
        )
    return _to_status()


def _keep(answer: str | None) -> bool:
    """Save the answer (None: skipped) and mark the question asked in this visit, in one
    transaction. A later "No" in the same visit still goes to the rule, which makes it
    replace a "Yes" and ignores a second "No". False when the turn is over (wiped, left)."""
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        report_id = fresh.state.followup_report_id if fresh is not None else None
        if fresh is None or report_id is None:
            return False
        marker = _marker(report_id)
        asked = marker in fresh.state.added
        if asked and answer != NOT_SAFE_NOW:
            return True  # a double tap: the first answer is the one kept
        if answer is not None:
            answer_safe_now_by_id(
                session, report_id=report_id, answer=answer, channel="kiosk",
                policy=svc.policy, clock=svc.clock,
            )  # fmt: skip
        if not asked:
            fresh.state.added.append(marker)
            save_draft(session, fresh, svc.secrets.vault)
    return True


def _render(error: str | None = None) -> str:
    return render_template(
        "kiosk/wishes_one.html",
        screen_id=QUESTION,
        question=QUESTION,
        said=wishes_words.QUESTIONS[QUESTION](),
        choices=wishes_words.labels(QUESTION),
        icons=wishes_words.ICONS[QUESTION],
        error=error,
        back_url=None,
    )
