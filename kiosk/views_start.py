"""Starting and leaving: enrolment, the language screen, the menu, quick exit, more time."""

from __future__ import annotations

import logging
from functools import partial

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale

from kiosk.bsl import BSL_CHOICE, BSL_NAME, BSL_PICTURE, bsl_offered
from kiosk.context import (
    DEVICE_COOKIE,
    SESSION_COOKIE,
    current_draft,
    forget_session,
    needs_draft,
    neutral_page,
    place,
    services,
    set_device_cookie,
    set_session_cookie,
)
from kiosk.forms import csrf_ok
from safeguarding.draft_leaving import leave_draft
from safeguarding.drafts import start_draft, wipe_draft
from safeguarding.errors import InvalidSubmission
from safeguarding.kiosk_devices import EnrolmentRefused, recognise_kiosk, redeem_enrolment
from safeguarding.services import Services
from translations.i18n import _
from translations.languages import SOURCE_LANGUAGE, Language

log = logging.getLogger("safereport.kiosk")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", view_func=start, methods=["GET"])
    bp.add_url_rule("/language", view_func=choose_language, methods=["POST"])
    bp.add_url_rule("/menu", view_func=menu, methods=["GET"])
    bp.add_url_rule("/ready", view_func=ready, methods=["GET"])
    bp.add_url_rule("/exit", view_func=leave, methods=["POST"])
    bp.add_url_rule("/still-here", view_func=still_here, methods=["POST"])
    bp.add_url_rule("/enrol", view_func=enrol, methods=["GET", "POST"])


def _wipe_current() -> None:
    """Delete this browser's draft, if any (the start screen: a fresh turn)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return
    svc = services()
    with svc.db.transaction() as session:
        wipe_draft(session, token=token, pepper=svc.secrets.code_pepper)


def _leave_current() -> None:
    """The person left (quick exit, or the screen cleared itself): their draft is deleted,
    and a danger answer in it filed as a report first (safeguarding.draft_leaving). Safe to
    call any number of times.

    Nothing may stop the screen from blanking: if the database cannot be reached, or filing
    fails, the draft is left to expire, and the worker's sweep files it then.
    """
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return
    svc = services()
    try:
        # Run again when PostgreSQL rolls it back to end a deadlock: a danger answer is
        # filed now, not when the worker's sweep finds the expired draft minutes later.
        svc.db.retrying(partial(_leave_in_one_transaction, svc, token))
    except Exception as exc:  # anything at all: the screen must still blank
        log.error("kiosk: could not wipe a draft on leaving (%s)", type(exc).__name__)


def _leave_in_one_transaction(svc: Services, token: str) -> None:
    with svc.db.transaction() as session:
        leave_draft(session, token=token, secrets=svc.secrets, policy=svc.policy, clock=svc.clock)


def start() -> ResponseReturnValue:
    """The language screen. Anyone reaching it starts afresh: whatever a person before them
    left unfinished is wiped, so the next person never sees it."""
    had_session = SESSION_COOKIE in request.cookies
    _wipe_current()
    languages = place().languages
    response = make_response(
        render_template(
            "kiosk/start.html",
            languages=languages,
            speak_labels={language.code: _listen_label(language) for language in languages},
            bsl_offered=bsl_offered(),
            bsl_choice=BSL_CHOICE,
            bsl_name=BSL_NAME,
            bsl_picture=BSL_PICTURE,
        )
    )
    return forget_session(response) if had_session else response


def _listen_label(language: Language) -> str:
    """The name of a language's speaker button, in that language."""
    with force_locale(language.code):
        # Translators: kiosk start screen, the speaker button next to a language's name.
        return str(_("Listen: %(language)s", language=language.native_name))


def choose_language() -> ResponseReturnValue:
    if not csrf_ok():
        return redirect(url_for("kiosk.start"), 303)
    kiosk = place()
    svc = services()
    _wipe_current()
    chosen = request.form.get("language", "")
    # BSL: the words in English (the captions' language), offered where there are videos.
    signing = chosen == BSL_CHOICE and bsl_offered()
    try:
        with svc.db.transaction() as session:
            draft = start_draft(
                session,
                device_id=kiosk.device_id,
                language=SOURCE_LANGUAGE if signing else chosen,
                offered_languages=(SOURCE_LANGUAGE,) if signing else kiosk.language_codes,
                idle_seconds=kiosk.idle_seconds,
                secrets=svc.secrets,
                clock=svc.clock,
                signing=signing,
            )
    except InvalidSubmission:
        return redirect(url_for("kiosk.start"), 303)
    response = redirect(url_for("kiosk.menu"), 303)
    set_session_cookie(response, draft.token)
    return response


@needs_draft
def menu() -> ResponseReturnValue:
    draft = current_draft()
    assert draft is not None
    if draft.state.sent is not None:
        return redirect(url_for("kiosk.sent"), 303)
    return render_template("kiosk/menu.html", back_url=url_for("kiosk.start"))


def ready() -> ResponseReturnValue:
    """The neutral screen a quick exit or a timeout lands on. It wipes too, in case the
    exit request itself was lost."""
    _leave_current()
    return forget_session(make_response(render_template("kiosk/ready.html")))


def leave() -> ResponseReturnValue:
    """Quick exit. No CSRF check on purpose: leaving must never fail, and a forged request
    could only wipe an unfinished draft (cross-site requests carry no kiosk cookies anyway)."""
    _leave_current()
    return forget_session(redirect(url_for("kiosk.ready"), 303))


def still_here() -> ResponseReturnValue:
    """ "I need more time": opening the draft (before this view) has already kept it alive."""
    if current_draft() is None:
        return "", 410
    if not csrf_ok():
        return "", 400
    return "", 204


def _already_enrolled() -> bool:
    svc = services()
    with svc.db.transaction() as session:
        kiosk = recognise_kiosk(
            session,
            device_secret=request.cookies.get(DEVICE_COOKIE, ""),
            pepper=svc.secrets.code_pepper,
        )
        return kiosk is not None


def enrol() -> ResponseReturnValue:
    """A one-time enrolment link, ``/kiosk/enrol#<token>``: this browser becomes the kiosk.

    The token is after "#", which a browser never sends, so it reaches no access log. The
    landing page (as bare as the neutral page) has kiosk-enrol.js post it. No CSRF check:
    the token itself is the one-time secret, and an unenrolled browser has no session.
    """
    if request.method == "GET":
        return render_template("kiosk/enrol.html")
    svc = services()
    try:
        with svc.db.transaction() as session:
            device, device_secret = redeem_enrolment(
                session,
                token=request.form.get("token", ""),
                pepper=svc.secrets.code_pepper,
                clock=svc.clock,
            )
            log.info("kiosk device %s enrolled", device.id)
    except EnrolmentRefused:
        if _already_enrolled():
            return redirect(url_for("kiosk.start"), 303)
        return neutral_page()
    response = redirect(url_for("kiosk.start"), 303)
    set_device_cookie(response, device_secret)
    return response
