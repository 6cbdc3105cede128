"""``make_blueprint()``: the kiosk door, served under /kiosk to enrolled devices only."""

from __future__ import annotations

import logging

from flask import Blueprint, g, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from kiosk import (
    bsl,
    keep_words,
    listen,
    people_words,
    views_code,
    views_keep,
    views_people,
    views_report,
    views_safe_now,
    views_start,
    views_voice,
    views_wishes,
    voice_words,
    wishes_words,
    words,
)
from kiosk.context import current_draft, load_kiosk
from kiosk.forms import csrf_field
from kiosk.screens import DENSE_FROM, offers_send_now
from kiosk.text import spoken_problem
from safeguarding.drafts import WARNING_SECONDS, may_send_now, needs_urgent_help
from safeguarding.kiosk_voice import MAX_VOICE_SECONDS

log = logging.getLogger("safereport.kiosk")


def make_blueprint() -> Blueprint:
    bp = Blueprint(
        "kiosk",
        __name__,
        url_prefix="/kiosk",
        template_folder="templates",
        static_folder="static",
        static_url_path="/static",
    )
    bp.before_request(load_kiosk)
    bp.context_processor(_kiosk_context)
    bp.after_request(_kiosk_headers)
    bp.register_error_handler(SQLAlchemyError, _database_unavailable)
    bp.register_error_handler(RequestEntityTooLarge, views_report.too_large)
    doors = (
        views_start,
        views_report,
        views_code,
        views_safe_now,
        views_voice,
        views_keep,
        views_wishes,
        views_people,
    )
    for views in (*doors, listen, bsl):
        views.register(bp)
    return bp


def _kiosk_context() -> dict[str, object]:
    draft = current_draft()
    kiosk_place = g.get("kiosk_place")
    return {
        "words": words,
        "voice_words": voice_words,
        "voice_kept": views_voice.voice_kept,
        "voice_max_seconds": MAX_VOICE_SECONDS,
        "keep_words": keep_words,
        "wishes_words": wishes_words,
        "people_words": people_words,
        "kiosk_place": kiosk_place,
        "phone_number": g.get("kiosk_help"),
        "session_live": draft is not None,
        "idle_seconds": kiosk_place.idle_seconds if kiosk_place else None,
        "warning_seconds": WARNING_SECONDS,
        "urgent_banner": draft is not None
        and draft.state.sent is None
        and needs_urgent_help(draft.state.answers),
        # "Send now" in the top bar of every question once someone is in danger.
        "send_now": draft is not None
        and may_send_now(draft.state)
        and offers_send_now((request.endpoint or "").removeprefix("kiosk.")),
        "csrf_field": csrf_field,
        # Every question template lays out long lists densely; a view may pass its own.
        "dense_from": DENSE_FROM,
        # Listen is offered only where every screen has audio (kiosk.listen); asked lazily.
        "listen_here": lambda: listen.listen_available(g.language),
        "speaks_its_name": listen.speaks_its_name,
        "spoken_problem": spoken_problem,
        # Issue 17.2: British Sign Language, for a person who chose it.
        "signing_now": bsl.signing,
        "bsl_video": bsl.screen_video,
        "bsl_choice_videos": bsl.choice_videos,
    }


def _kiosk_headers(response: Response) -> Response:
    # Never indexed, never cached, never sent anywhere else with a referrer.
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if request.endpoint != "kiosk.static":
        response.headers["Cache-Control"] = "no-store, max-age=0"
    return response


# Fetched by the page, not shown as a page: an empty answer when the database is down.
_SOUNDS_AND_PICTURES = frozenset(
    {"kiosk.listen", "kiosk.listen_language", "kiosk.still_here", "kiosk.video", "kiosk.captions"}
)


def _database_unavailable(exc: SQLAlchemyError) -> ResponseReturnValue:
    """The database cannot be reached. A report being sent is said plainly NOT to be sent;
    no other page pretends anything worked."""
    log.error("kiosk: database unavailable (%s)", type(exc).__name__)
    if request.endpoint == "kiosk.send":
        return render_template("kiosk/not_sent.html"), 503
    if request.endpoint in _SOUNDS_AND_PICTURES:
        return "", 503
    return render_template("kiosk/unavailable.html"), 503
