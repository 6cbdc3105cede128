"""Say it instead of typing (issue 17.1): the kiosk's voice message, uploaded into the draft.

kiosk/static/voice.js records with MediaRecorder and posts the audio here as the request's
whole body (the page's CSRF token in a header, the kiosk's session cookies). Not a
multipart form: Werkzeug spools a form's large file to a temporary file on the server's
disk, and the audio must exist unsealed nowhere but in memory. The rules (type, size,
length, where it goes when the draft is sent or left) are safeguarding.kiosk_voice's.
Answers are JSON with one sentence to show; nothing here is cached (no-store).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from kiosk import voice_words
from kiosk.context import current_draft, reopen_draft, services
from kiosk.forms import csrf_header_ok, csrf_ok
from safeguarding.drafts import DraftState, OpenDraft, may_ask
from safeguarding.errors import InvalidSubmission
from safeguarding.kiosk_voice import MAX_VOICE_BYTES, check_voice, drop_from_draft, has_voice
from safeguarding.kiosk_voice import keep_in_draft as seal_into_draft

UPLOAD_ENDPOINT = "kiosk.voice_upload"
# The audio, and a little more to say "too long" about: every other page keeps the app's limit.
UPLOAD_LIMIT = MAX_VOICE_BYTES + 64 * 1024


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/voice", endpoint="voice_upload", view_func=upload, methods=["POST"])
    bp.add_url_rule("/voice/delete", endpoint="voice_delete", view_func=delete, methods=["POST"])
    bp.before_request(_upload_limit)


def _upload_limit() -> None:
    """Set before anything reads the body."""
    if request.endpoint == UPLOAD_ENDPOINT:
        request.max_content_length = UPLOAD_LIMIT


def voice_allowed(state: DraftState) -> bool:
    """On "Tell us more" while making a report, or adding to one with its code."""
    if state.sent is not None:
        return False
    return state.followup_report_id is not None or may_ask(state, "more")


def voice_kept() -> bool:
    """Whether this person's draft holds a voice message (for the screen; no audio read)."""
    draft = current_draft()
    if draft is None:
        return False
    with services().db.reading() as session:
        return has_voice(session, draft.row)


def _said(key: str, status: int) -> ResponseReturnValue:
    return jsonify(message=voice_words.problem_for(key)), status


def upload() -> ResponseReturnValue:
    if current_draft() is None:
        return _said("gone", 410)
    if not csrf_header_ok():
        return _said("expired", 400)
    audio = request.get_data(cache=False)  # in memory, at most UPLOAD_LIMIT
    try:
        check_voice(audio)
    except InvalidSubmission as invalid:
        return _said(invalid.problems[0].code, 400)
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        if fresh is None or not voice_allowed(fresh.state):
            return _said("gone", 410)
        seal_into_draft(fresh.row, audio, vault=svc.secrets.vault)
    return jsonify(message=voice_words.voice()["kept"]), 200


def too_large() -> ResponseReturnValue:
    """The upload was over the limit: said, and nothing already given is touched."""
    return _said("voice_too_large", 413)


def delete() -> ResponseReturnValue:
    if current_draft() is None:
        return "", 410
    if not csrf_ok():
        return "", 400
    svc = services()
    with svc.db.transaction() as session:
        fresh: OpenDraft | None = reopen_draft(session)
        if fresh is None:
            return "", 410
        drop_from_draft(fresh.row)
    return "", 204
