"""Administrators upload the British Sign Language videos of their establishments' kiosks
(issue 17.2): per screen, and per choice on a question screen, the English sentence it
signs, a preview with captions, an upload form and removal. Like the phone prompts page.

The rules (which slots take a video, what a video must be, who may change one, the audit)
live in safeguarding.bsl_videos. The kiosk's sentences come from the composition root
(``BSL_SENTENCES``), so this page never imports the kiosk.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from safeguarding.admin_rules import NotManaged
from safeguarding.bsl_videos import (
    MAX_VIDEO_BYTES,
    VideoChange,
    VideoRejected,
    refuse_video_change,
    remove_video,
    upload_video,
    video_for_admin,
    videos_for_admin,
    webvtt,
)
from translations.i18n import _
from triage.admin_common import (
    admin_principal,
    administered_establishments,
    managed_establishment,
)
from triage.guard import services

UPLOAD_FIELD = "video"
# app.extensions: establishment id -> (slot, English sentence) of every kiosk slot there.
BSL_SENTENCES = "safereport.bsl_sentences"
Sentences = Callable[[int], list[tuple[str, str]]]


def register(bp: Blueprint) -> None:
    base = "/admin/bsl-videos"
    slot = f"{base}/<int:establishment_id>/<slot>"
    bp.add_url_rule(base, "admin_bsl", establishments)
    bp.add_url_rule(f"{base}/<int:establishment_id>", "admin_bsl_videos", videos_of)
    bp.add_url_rule(slot, "admin_bsl_upload", upload, methods=["POST"])
    bp.add_url_rule(f"{slot}/remove", "admin_bsl_remove", remove, methods=["POST"])
    bp.add_url_rule(f"{slot}/video", "admin_bsl_video", preview)
    bp.add_url_rule(f"{slot}/captions.vtt", "admin_bsl_captions", captions)


def _sentences(establishment_id: int) -> list[tuple[str, str]]:
    found: Sentences = current_app.extensions[BSL_SENTENCES]
    return found(establishment_id)


def establishments() -> ResponseReturnValue:
    """The establishments whose kiosks this administrator may give videos."""
    places = administered_establishments()
    if len(places) == 1:
        return redirect(url_for("triage.admin_bsl_videos", establishment_id=places[0].id))
    return render_template("triage/admin_bsl.html", places=places, rows=None)


def videos_of(establishment_id: int, errors: dict[str, str] | None = None) -> ResponseReturnValue:
    principal = admin_principal()
    with services().db.transaction() as session:
        place = managed_establishment(session, establishment_id)
        stored = videos_for_admin(session, by=principal, establishment_id=place.id)
    page = render_template(
        "triage/admin_bsl.html",
        place=place,
        rows=[(slot, text, stored.get(slot)) for slot, text in _sentences(place.id)],
        errors=errors or {},
        upload_field=UPLOAD_FIELD,
        most_megabytes=MAX_VIDEO_BYTES // (1024 * 1024),
    )
    return page, (400 if errors else 200)


def _sentence(establishment_id: int, slot: str) -> str:
    """The sentence the slot signs; 404 for a slot that takes no video there."""
    found = dict(_sentences(establishment_id)).get(slot)
    if found is None:
        abort(404)
    return found


def _change(establishment_id: int, slot: str) -> VideoChange:
    """The change asked for, once the asker may make it. Anyone else is refused with a 404
    (as for an establishment that does not exist), and the refusal is audited."""
    principal = admin_principal()
    change = VideoChange(establishment_id, slot)
    if establishment_id not in principal.establishment_ids:
        with services().db.transaction() as session:
            refuse_video_change(session, by=principal, change=change, clock=services().clock)
        abort(404)
    _sentence(establishment_id, slot)
    return change


def upload(establishment_id: int, slot: str) -> ResponseReturnValue:
    change = _change(establishment_id, slot)
    sent = request.files.get(UPLOAD_FIELD)
    data = sent.read(MAX_VIDEO_BYTES + 1) if sent is not None and sent.filename else b""
    found = services()
    try:
        with found.db.transaction() as session:
            upload_video(session, by=admin_principal(), change=change, data=data, clock=found.clock)
    except VideoRejected as rejected:
        return videos_of(establishment_id, {slot: rejection(rejected.code)})
    except NotManaged:
        abort(404)
    flash("bsl_uploaded")
    return redirect(_back(change))


def remove(establishment_id: int, slot: str) -> ResponseReturnValue:
    change = _change(establishment_id, slot)
    found = services()
    try:
        with found.db.transaction() as session:
            remove_video(session, by=admin_principal(), change=change, clock=found.clock)
    except NotManaged:
        abort(404)
    flash("bsl_removed")
    return redirect(_back(change))


def preview(establishment_id: int, slot: str) -> ResponseReturnValue:
    principal = admin_principal()
    with services().db.transaction() as session:
        place = managed_establishment(session, establishment_id)
        found = video_for_admin(session, by=principal, establishment_id=place.id, slot=slot)
    if found is None:
        abort(404)
    facts, data = found
    return send_file(
        io.BytesIO(data), mimetype=facts.content_type, conditional=True,
        etag=facts.sha256, max_age=0,
    )  # fmt: skip


def captions(establishment_id: int, slot: str) -> ResponseReturnValue:
    with services().db.transaction() as session:
        place = managed_establishment(session, establishment_id)
    return Response(webvtt(_sentence(place.id, slot)), mimetype="text/vtt")


def _back(change: VideoChange) -> str:
    return url_for(
        "triage.admin_bsl_videos", establishment_id=change.establishment_id,
        _anchor=f"v-{change.slot.replace('.', '-')}",
    )  # fmt: skip


def rejection(code: str) -> str:
    if code == "empty":
        # Translators: error on the BSL videos page when no file was chosen (or it is empty).
        return _("Choose a video to upload.")
    if code == "too_large":
        return too_large_text()
    # Translators: error on the BSL videos page: the file is not a video the kiosk can play.
    return _("This file is not a video the kiosk can play. Upload an MP4 or WebM video.")


def too_large_text() -> str:
    # Translators: error when an uploaded BSL video is too large; %(megabytes)d is a number.
    return _(
        "A video can be at most %(megabytes)d MB. Nothing was saved.",
        megabytes=MAX_VIDEO_BYTES // (1024 * 1024),
    )
