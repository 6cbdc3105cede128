"""Making a report: one route per question, check your answers, send, sent, finish."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from kiosk import views_voice
from kiosk.context import (
    SESSION_COOKIE,
    current_draft,
    forget_session,
    needs_draft,
    place,
    reopen_draft,
    services,
)
from kiosk.forms import csrf_ok
from kiosk.screens import DENSE_FROM, SCREENS, answers_shown, choices_for
from kiosk.text import form_expired_message, problem_message
from safeguarding.codes import group
from safeguarding.draft_sending import send_draft, sent_receipt
from safeguarding.drafts import (
    QUESTIONS,
    Answer,
    FormValues,
    OpenDraft,
    clean_answer,
    first_unanswered,
    may_ask,
    may_send_now,
    previous_question,
    questions_for,
    record_answer,
    save_draft,
    wipe_draft,
)
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.kiosk_devices import KioskRateLimited
from safeguarding.services import Services

log = logging.getLogger("safereport.kiosk")


def screen_url(screen: str) -> str:
    """The address of a question (or "check"): nothing about the answers is ever in it."""
    return url_for("kiosk.check" if screen == "check" else f"kiosk.{screen}")


def register(bp: Blueprint) -> None:
    for question in QUESTIONS:
        bp.add_url_rule(
            f"/report/{question}",
            endpoint=question,
            view_func=_question_view(question),
            methods=["GET", "POST"],
        )
    bp.add_url_rule("/report/check", view_func=check, methods=["GET"])
    bp.add_url_rule("/report/send", view_func=send, methods=["POST"])
    bp.add_url_rule("/report/sent", view_func=sent, methods=["GET"])
    bp.add_url_rule("/finish", view_func=finish, methods=["POST"])


def _question_view(question: str) -> Callable[[], ResponseReturnValue]:
    @needs_draft
    def view() -> ResponseReturnValue:
        draft = current_draft()
        assert draft is not None
        if draft.state.sent is not None:
            return redirect(url_for("kiosk.sent"), 303)
        if not may_ask(draft.state, question):
            return redirect(screen_url(first_unanswered(draft.state) or "check"), 303)
        if request.method == "POST":
            return _answer(question)
        return _render_question(question, draft)

    view.__name__ = f"question_{question}"
    return view


def _answer(question: str) -> ResponseReturnValue:
    values: FormValues = request.form.to_dict(flat=False)
    if question == "more" and "skip" in request.form:
        values = {"details": [""]}
    sending_now = "send_now" in request.form  # the top bar's "Send now", shown in danger
    draft = current_draft()
    assert draft is not None
    if not csrf_ok():
        return _render_question(question, draft, values, [FieldProblem("form", "expired")]), 400
    try:
        answer: Answer | None = clean_answer(question, values, location_ids=place().location_ids)
    except InvalidSubmission as invalid:
        if not (sending_now and _nothing_given(values)):
            return _render_question(question, draft, values, invalid.problems), 400
        answer = None  # "Send now" with this question left unanswered: send what there is
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        if fresh is None:
            return redirect(url_for("kiosk.start"), 303)
        following = record_answer(fresh.state, question, answer) if answer is not None else None
        save_draft(session, fresh, svc.secrets.vault)
        send_at_once = sending_now and may_send_now(fresh.state)
    if send_at_once:
        return _send()
    return redirect(screen_url(following or question), 303)


def _nothing_given(values: FormValues) -> bool:
    typed = (text for name in ("details", "name", "prison_number") for text in values.get(name, []))
    return not values.get("answer") and not any(text.strip() for text in typed)


def _render_question(
    question: str,
    draft: OpenDraft,
    posted: FormValues | None = None,
    problems: list[FieldProblem] | None = None,
) -> str:
    screen = SCREENS[question]
    saved = draft.state.answers.get(question)
    if posted is not None:
        chosen = list(posted.get("answer", []))
        typed = {
            name: (posted.get(name) or [""])[0] for name in ("details", "name", "prison_number")
        }
    else:
        chosen = saved if isinstance(saved, list) else [str(saved)] if saved else []
        typed = {
            "details": saved if isinstance(saved, str) else "",
            **(saved if isinstance(saved, dict) else {}),
        }
    back = previous_question(draft.state, question)
    return render_template(
        f"kiosk/question_{screen.kind}.html",
        screen=screen,
        choices=choices_for(question, place()),
        dense_from=DENSE_FROM,
        chosen=chosen,
        typed=typed,
        errors=[(p.field, _form_problem(p)) for p in problems or []],
        back_url=screen_url(back) if back else url_for("kiosk.menu"),
    )


def too_large(_error: Exception) -> ResponseReturnValue:
    """A body over the size limit (no screen lets a person type that much): the question
    again with "too long", or the screen it came from. The draft is untouched."""
    if request.endpoint == views_voice.UPLOAD_ENDPOINT:
        return views_voice.too_large()
    draft = current_draft()
    question = (request.endpoint or "").removeprefix("kiosk.")
    if draft is not None and question in QUESTIONS and may_ask(draft.state, question):
        return _render_question(question, draft, {}, [FieldProblem(question, "too_long")]), 413
    return redirect(url_for("kiosk.start" if draft is None else "kiosk.menu"), 303)


def _form_problem(problem: FieldProblem) -> str:
    if problem.field == "form":
        return form_expired_message()
    return problem_message(problem)


@needs_draft
def check() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if draft.state.sent is not None:
        return redirect(url_for("kiosk.sent"), 303)
    missing = first_unanswered(draft.state)
    if missing is not None:
        return redirect(screen_url(missing), 303)
    if not draft.state.reviewing:
        svc = services()
        with svc.db.transaction() as session:
            fresh = reopen_draft(session)
            if fresh is None:
                return redirect(url_for("kiosk.start"), 303)
            fresh.state.reviewing = True
            save_draft(session, fresh, svc.secrets.vault)
    return _render_check(draft)


def _render_check(draft: OpenDraft, error: str | None = None) -> str:
    kiosk = place()
    rows = [
        {
            "question": question,
            "summary": SCREENS[question].summary,
            "answers": answers_shown(question, draft.state.answers.get(question), kiosk),
            "change_url": screen_url(question),
        }
        for question in questions_for(draft.state)
    ]
    return render_template(
        "kiosk/check.html",
        rows=rows,
        error=error,
        back_url=screen_url(questions_for(draft.state)[-1]),
    )


@needs_draft
def send() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if not csrf_ok():
        return _render_check(draft, _form_problem(FieldProblem("form", "expired"))), 400
    return _send()


def _send() -> ResponseReturnValue:
    """Send this kiosk's draft: "sent" only once the report is committed."""
    svc = services()
    try:
        sent = svc.db.retrying(partial(_send_in_one_transaction, svc))
    except KioskRateLimited:
        # A calm page, not an error: the phone line (with this establishment's number) and
        # staff are the way on. 429 still tells machines what happened.
        return render_template("kiosk/too_many.html"), 429
    except InvalidSubmission as invalid:
        asked = [p.field for p in invalid.problems if p.field in QUESTIONS]
        if asked:
            return redirect(screen_url(asked[0]), 303)
        log.warning("kiosk report refused by intake: %s", [p.code for p in invalid.problems])
        return not_sent_page()
    except Exception as exc:  # anything at all: the one thing we must not do is show a code
        log.error("kiosk report NOT sent: %s", type(exc).__name__)
        return not_sent_page()
    return redirect(url_for("kiosk.sent" if sent else "kiosk.start"), 303)


def _send_in_one_transaction(svc: Services) -> bool:
    """Whether there was a draft to send (a second tap after the first sent it finds none)."""
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        if fresh is None:
            return False
        send_draft(
            session,
            draft=fresh,
            establishment_id=place().establishment_id,
            secrets=svc.secrets,
            policy=svc.policy,
            clock=svc.clock,
        )
    return True


def not_sent_page() -> ResponseReturnValue:
    return render_template("kiosk/not_sent.html"), 503


@needs_draft
def sent() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if draft.state.sent is None:
        return redirect(url_for("kiosk.check"), 303)
    svc = services()
    with svc.db.transaction() as session:
        receipt = sent_receipt(session, draft, svc.secrets.code_pepper)
    if receipt is None:
        return redirect(url_for("kiosk.start"), 303)
    return render_template(
        "kiosk/sent.html", receipt=receipt, code_groups=group(receipt.code), back_url=None
    )


def finish() -> ResponseReturnValue:
    """Finish: wipe everything about this person's turn and go back to the start."""
    svc = services()
    with svc.db.transaction() as session:
        wipe_draft(
            session,
            token=request.cookies.get(SESSION_COOKIE, ""),
            pepper=svc.secrets.code_pepper,
        )
    return forget_session(redirect(url_for("kiosk.start"), 303))
