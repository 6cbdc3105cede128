"""Coming back with a code: a big number pad, the report's status, adding information."""

from __future__ import annotations

import re
from functools import partial

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from kiosk.context import current_draft, needs_draft, place, reopen_draft, services
from kiosk.forms import csrf_ok
from kiosk.screens import DENSE_FROM, SCREENS, choices_for
from kiosk.text import (
    code_malformed_message,
    code_refused_message,
    code_unknown_message,
    form_expired_message,
    problem_message,
)
from kiosk.views_safe_now import safe_now_due
from kiosk.views_wishes import feelings_asked
from safeguarding.code_secrets import needs_secret
from safeguarding.codes import CODE_LENGTH, keyed_hash
from safeguarding.drafts import OpenDraft, save_draft
from safeguarding.errors import CodeLookupRefused, CodeMalformed, InvalidSubmission
from safeguarding.followup import (
    REPORTER_STATUS_TEXT,
    add_reporter_information,
    followup_report,
    reporter_view_of,
)
from safeguarding.kiosk_voice import add_voice_information
from safeguarding.lookup import Seeker, find_report_by_code
from safeguarding.new_information import reporter_in_danger
from safeguarding.services import Services
from translations.bidi import isolate_numbers
from translations.i18n import _

PAD_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/code", view_func=enter_code, methods=["GET", "POST"])
    bp.add_url_rule("/code/report", view_func=report_status, methods=["GET"])
    bp.add_url_rule("/code/add", view_func=add_information, methods=["GET", "POST"])
    bp.add_url_rule("/code/added", view_func=information_added, methods=["GET"])
    bp.add_url_rule("/code/danger", view_func=danger_again, methods=["GET", "POST"])


def spaced(digits: str) -> str:
    """12 digits shown as 1234 5678 9012, as the Sent screen shows them."""
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


@needs_draft
def enter_code() -> ResponseReturnValue:
    if request.method == "GET":
        return render_pad("")
    digits = re.sub(r"\D", "", request.form.get("code", ""))[: CODE_LENGTH + 4]
    key = request.form.get("key", "")
    # Without JavaScript each key on the pad is a button that sends the code so far.
    if key in PAD_KEYS:
        return render_pad(digits + key if len(digits) < CODE_LENGTH else digits)
    if key == "delete":
        return render_pad(digits[:-1])
    if not csrf_ok():
        return render_pad(digits, form_expired_message()), 400
    return _look_up(digits)


def _look_up(digits: str) -> ResponseReturnValue:
    svc = services()
    try:
        with svc.db.transaction() as session:
            draft = reopen_draft(session)
            if draft is None:
                return redirect(url_for("kiosk.start"), 303)
            report = find_report_by_code(
                session,
                entered=digits,
                seeker=kiosk_seeker(draft.row.token_hash),
                pepper=svc.secrets.code_pepper,
                limits=svc.policy.lookup,
                clock=svc.clock,
            )
            protected = report is not None and needs_secret(report)
            if report is not None:
                # A code kept safe opens nothing yet: only its pictures or numbers do.
                draft.state.pending_report_id = report.id if protected else None
                draft.state.followup_report_id = None if protected else report.id
                draft.state.keeping = []
                draft.state.added = []
                save_draft(session, draft, svc.secrets.vault)
    except CodeMalformed:
        return render_pad(digits, code_malformed_message()), 400
    except CodeLookupRefused:
        return render_pad("", code_refused_message()), 429
    if report is None:
        return render_pad(digits, code_unknown_message()), 404
    if protected:
        return redirect(url_for("kiosk.enter_secret"), 303)
    return redirect(url_for("kiosk.report_status"), 303)


def kiosk_seeker(token_hash: str) -> Seeker:
    """Who is trying a code or its secret here: this kiosk session, device, establishment."""
    return Seeker(
        establishment_id=place().establishment_id,
        session=f"kiosk-session:{token_hash}",
        kiosk_device_id=place().device_id,
    )


def render_pad(digits: str, error: str | None = None) -> str:
    return render_template(
        "kiosk/code.html",
        code=spaced(digits),
        keys=PAD_KEYS,
        error=error,
        back_url=url_for("kiosk.menu"),
    )


@needs_draft
def report_status() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if safe_now_due(draft):
        # A retaliation check-in is due: "Are you safe now?" first (once, and skippable).
        return redirect(url_for("kiosk.safe_now"), 303)
    with services().db.transaction() as session:
        view = reporter_view_of(session, draft.state.followup_report_id)
    if view is None:
        return redirect(url_for("kiosk.enter_code"), 303)
    return render_template(
        "kiosk/status.html",
        status_text=_(REPORTER_STATUS_TEXT[view.status]),
        messages=[isolate_numbers(_(message.text)) for message in view.messages],
        ask_feelings=not feelings_asked(draft),
        back_url=None,
    )


@needs_draft
def add_information() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if draft.state.followup_report_id is None:
        return redirect(url_for("kiosk.enter_code"), 303)
    if request.method == "GET":
        return _render_add("")
    text = request.form.get("details", "")
    if not csrf_ok():
        return _render_add(text, form_expired_message()), 400
    svc = services()
    try:
        # One transaction, run again when PostgreSQL rolls it back to end a deadlock: the
        # person is not shown an error for words the report can still take.
        added = svc.db.retrying(partial(_add_in_one_transaction, svc, text))
    except InvalidSubmission as invalid:
        return _render_add(text, problem_message(invalid.problems[0])), 400
    if not added:
        return redirect(url_for("kiosk.start"), 303)
    return redirect(url_for("kiosk.danger_again"), 303)


def _add_in_one_transaction(svc: Services, text: str) -> bool:
    """Whether the draft and its report were still there to add to."""
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        report = followup_report(session, fresh.state.followup_report_id) if fresh else None
        if fresh is None or report is None:
            return False
        # A voice message recorded here goes first; then the typed words, if any.
        voiced = add_voice_information(
            session,
            fresh.row,
            report,
            vault=svc.secrets.vault,
            policy=svc.policy,
            clock=svc.clock,
        )
        if text.strip() or not voiced:
            _add_text(session, fresh, report.id, text)
    return True


def _add_text(session: Session, draft: OpenDraft, report_id: int, text: str) -> None:
    """The typed words; the same text twice in one session (a double tap) is added once."""
    svc = services()
    fingerprint = keyed_hash(svc.secrets.code_pepper, "kiosk-added", text.strip())
    if fingerprint in draft.state.added:
        return
    add_reporter_information(
        session,
        report_id=report_id,
        text=text,
        channel="kiosk",
        vault=svc.secrets.vault,
        policy=svc.policy,
        clock=svc.clock,
    )
    draft.state.added.append(fingerprint)
    save_draft(session, draft, svc.secrets.vault)


def _render_add(text: str, error: str | None = None) -> str:
    return render_template(
        "kiosk/add.html",
        typed=text,
        error=error,
        back_url=url_for("kiosk.report_status"),
    )


@needs_draft
def danger_again() -> ResponseReturnValue:
    """After adding to a report: "Are you in danger right now?" again. Yes makes the report
    immediate and pages the on-call chain; the answer is never put in a URL."""
    draft = current_draft()
    assert draft is not None
    if draft.state.followup_report_id is None:
        return redirect(url_for("kiosk.enter_code"), 303)
    answer = request.form.get("answer", "")
    if request.method == "GET" or answer not in ("yes", "someone_else", "no"):
        return _render_danger(), (200 if request.method == "GET" else 400)
    if not csrf_ok():
        return _render_danger(form_expired_message()), 400
    if answer == "no":
        return redirect(url_for("kiosk.information_added"), 303)
    # One transaction, run again when PostgreSQL rolls it back to end a deadlock: a person
    # who says they are in danger now is told what to do, never shown an error instead.
    svc = services()
    if not svc.db.retrying(partial(_in_danger_in_one_transaction, svc, answer)):
        return redirect(url_for("kiosk.start"), 303)
    return render_template(
        "kiosk/added.html", back_url=None, urgent=True, phone_number=place().phone_number
    )


def _in_danger_in_one_transaction(svc: Services, answer: str) -> bool:
    """Whether the draft and its report were still there to mark."""
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        report = followup_report(session, fresh.state.followup_report_id) if fresh else None
        if fresh is None or report is None:
            return False
        # A double tap pages once: the first yes in this session is the one that counts.
        said_yes = _danger_marker(svc.secrets.code_pepper, report.id)
        if said_yes not in fresh.state.added:
            reporter_in_danger(
                session, report=report, channel="kiosk", policy=svc.policy, clock=svc.clock,
                someone_else=answer == "someone_else",
            )  # fmt: skip
            fresh.state.added.append(said_yes)
            save_draft(session, fresh, svc.secrets.vault)
    return True


def _danger_marker(pepper: bytes, report_id: int) -> str:
    return keyed_hash(pepper, "kiosk-danger", str(report_id))


def said_in_danger(draft: OpenDraft, pepper: bytes) -> bool:
    """Whether, in this turn, the person coming back said someone is in danger now: the
    "added" screen then tells them what to do at once, on screen and through Listen."""
    report_id = draft.state.followup_report_id
    return report_id is not None and _danger_marker(pepper, report_id) in draft.state.added


def _render_danger(error: str | None = None) -> str:
    return render_template(
        "kiosk/question_single.html",
        screen=SCREENS["danger"],
        choices=choices_for("danger", place()),
        chosen=[],
        typed={},
        errors=[("danger", error)] if error else [],
        back_url=None,
        dense_from=DENSE_FROM,
    )


@needs_draft
def information_added() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if draft.state.followup_report_id is None:
        return redirect(url_for("kiosk.enter_code"), 303)
    return render_template("kiosk/added.html", back_url=None)
