"""Keeping a follow-up code safe with four pictures or a 4-digit PIN (issue 17.3).

After Sent (the report is committed and its code shown), the person may choose four
pictures from a grid of 16, or four numbers; skipping it is Finish, as before. Coming back,
a code kept safe opens nothing until its pictures or numbers are touched in order; a wrong
try counts as a wrong code (safeguarding.code_secrets). What has been touched so far lives
in the sealed draft, so the idle wipe and quick exit leave nothing anywhere.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from kiosk.context import current_draft, needs_draft, reopen_draft, services
from kiosk.forms import csrf_ok
from kiosk.keep_words import secret_wrong
from kiosk.text import code_refused_message, form_expired_message
from kiosk.views_code import kiosk_seeker, render_pad
from safeguarding.code_secrets import (
    KINDS,
    PICTURE_NAMES,
    PICTURES,
    SECRET_LENGTH,
    keep_code_safe,
    open_report_with_secret,
    secret_kind,
)
from safeguarding.drafts import OpenDraft, save_draft
from safeguarding.errors import CodeLookupRefused

PAD_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/report/keep", view_func=keep_offer, methods=["GET"])
    bp.add_url_rule("/report/keep/<kind>", view_func=keep_choose, methods=["GET", "POST"])
    bp.add_url_rule("/report/kept", view_func=keep_done, methods=["GET"])
    bp.add_url_rule("/code/secret", view_func=enter_secret, methods=["GET", "POST"])


def keys_for(kind: str) -> tuple[str, ...]:
    return PICTURE_NAMES if kind == PICTURES else PAD_KEYS


def _press(draft: OpenDraft, kind: str, key: str) -> None:
    """A picture or number touched, or Delete: what has been touched so far changes."""
    keeping = [item for item in draft.state.keeping if item in keys_for(kind)]
    if key == "delete":
        keeping = keeping[:-1]
    elif key in keys_for(kind) and len(keeping) < SECRET_LENGTH:
        keeping.append(key)
    draft.state.keeping = keeping


@needs_draft
def keep_offer() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if draft.state.sent is None:
        return redirect(url_for("kiosk.start"), 303)
    return render_template("kiosk/keep_offer.html", back_url=url_for("kiosk.sent"))


@needs_draft
def keep_choose(kind: str) -> ResponseReturnValue:
    if kind not in KINDS:
        abort(404)
    draft = current_draft()
    assert draft is not None
    if draft.state.sent is None:
        return redirect(url_for("kiosk.start"), 303)
    if request.method == "GET":
        return _render_choose(kind, draft.state.keeping)
    if not csrf_ok():
        return _render_choose(kind, draft.state.keeping, form_expired_message()), 400
    key = request.form.get("key", "")
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        sent = fresh.state.sent if fresh is not None else None
        if fresh is None or sent is None:
            return redirect(url_for("kiosk.start"), 303)
        _press(fresh, kind, key)
        chosen = list(fresh.state.keeping)
        done = key == "save" and len(chosen) == SECRET_LENGTH
        if done:
            if not keep_code_safe(
                session, report_id=sent.report_id, kind=kind, chosen=chosen, clock=svc.clock
            ):
                return redirect(url_for("kiosk.start"), 303)
            fresh.state.keeping = []
        save_draft(session, fresh, svc.secrets.vault)
    if done:
        return redirect(url_for("kiosk.keep_done"), 303)
    return _render_choose(kind, chosen)


def _render_choose(kind: str, chosen: list[str], error: str | None = None) -> str:
    return render_template(
        "kiosk/keep_pad.html",
        screen_id=f"keep_{kind}",
        setting=True,
        kind=kind,
        keys=keys_for(kind),
        chosen=[item for item in chosen if item in keys_for(kind)],
        error=error,
        back_url=url_for("kiosk.keep_offer"),
    )


@needs_draft
def keep_done() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if draft.state.sent is None:
        return redirect(url_for("kiosk.start"), 303)
    return render_template("kiosk/keep_done.html", back_url=None)


def pending_kind(draft: OpenDraft) -> str | None:
    """The kind of secret the code just typed needs, or None."""
    with services().db.transaction() as session:
        return secret_kind(session, draft.state.pending_report_id)


@needs_draft
def enter_secret() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    kind = pending_kind(draft)
    if kind is None:
        return redirect(url_for("kiosk.enter_code"), 303)
    if request.method == "GET":
        return _render_secret(kind, draft.state.keeping)
    if not csrf_ok():
        return _render_secret(kind, draft.state.keeping, form_expired_message()), 400
    return _try_secret(kind, request.form.get("key", ""))


def _try_secret(kind: str, key: str) -> ResponseReturnValue:
    svc = services()
    try:
        with svc.db.transaction() as session:
            fresh = reopen_draft(session)
            report_id = fresh.state.pending_report_id if fresh is not None else None
            if fresh is None or report_id is None:
                return redirect(url_for("kiosk.start"), 303)
            _press(fresh, kind, key)
            chosen = list(fresh.state.keeping)
            opened = None
            if key == "check" and len(chosen) == SECRET_LENGTH:
                fresh.state.keeping = []
                opened = _open(session, fresh, report_id, chosen)
            save_draft(session, fresh, svc.secrets.vault)
    except CodeLookupRefused:
        # Exactly what a locked-out code gets: the seeker learns nothing more here.
        _forget_pending()
        return render_pad("", code_refused_message()), 429
    if opened:
        return redirect(url_for("kiosk.report_status"), 303)
    if opened is False:
        return _render_secret(kind, [], secret_wrong()), 404
    return _render_secret(kind, chosen)


def _open(session: Session, draft: OpenDraft, report_id: int, chosen: list[str]) -> bool:
    svc = services()
    opened = open_report_with_secret(
        session,
        report_id=report_id,
        chosen=chosen,
        seeker=kiosk_seeker(draft.row.token_hash),
        pepper=svc.secrets.code_pepper,
        limits=svc.policy.lookup,
        clock=svc.clock,
    )
    if opened:
        draft.state.pending_report_id = None
        draft.state.followup_report_id = report_id
        draft.state.added = []
    return opened


def _forget_pending() -> None:
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        if fresh is not None:
            fresh.state.pending_report_id = None
            fresh.state.keeping = []
            save_draft(session, fresh, svc.secrets.vault)


def _render_secret(kind: str, chosen: list[str], error: str | None = None) -> str:
    return render_template(
        "kiosk/keep_pad.html",
        screen_id="secret",
        setting=False,
        kind=kind,
        keys=keys_for(kind),
        chosen=[item for item in chosen if item in keys_for(kind)],
        error=error,
        back_url=url_for("kiosk.enter_code"),
    )
