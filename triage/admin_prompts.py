"""Administrators record the prompts of the establishments they administer: per
establishment and language, every prompt with the audio its callers hear (this
establishment's recording, the installation's, the computer voice, or nothing), an upload
form per prompt, a player, and removal of the establishment's own recording.

Recordings belong to one establishment; the installation's defaults are changed from the
command line only (safeguarding.prompt_recordings says why). The rules, the audit and the
notices to the establishment's administrators and lead live in safeguarding; this page
checks and converts the sound (speech) and shows the result. A language is offered on the
phone once every prompt has audio for that establishment (ivr.languages).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

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
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestEntityTooLarge

from safeguarding.access import StaffPrincipal
from safeguarding.admin_rules import NotManaged
from safeguarding.clock import Clock
from safeguarding.prompt_recordings import (
    PromptChange,
    record_prompt,
    refuse_prompt_change,
    remove_prompt,
)
from speech.cache import text_key
from speech.checks import AudioCheck, AudioProblem
from speech.inventory import PromptLine
from speech.overrides import RecordingRejected, prepare_recording
from speech.prompt_audio import EXTENSION, PromptAudio, PromptSource
from storage.models import Establishment
from translations.i18n import _
from translations.languages import BY_CODE, LANGUAGES, SOURCE_LANGUAGE, has_catalog
from triage import admin_bsl
from triage.admin_common import (
    admin_principal,
    administered_establishments,
    managed_establishment,
)
from triage.guard import PROMPT_UPLOAD_BYTES, services
from triage.labels import language_name

UPLOAD_FIELD = "recording"


def register(bp: Blueprint) -> None:
    base = "/admin/phone-prompts"
    place = f"{base}/<int:establishment_id>"
    bp.add_url_rule(base, "admin_prompts", establishments)
    bp.add_url_rule(place, "admin_prompt_languages", languages)
    bp.add_url_rule(f"{place}/<language>", "admin_prompt_language", prompts_of)
    bp.add_url_rule(
        f"{place}/<language>/<prompt_id>", "admin_prompt_upload", upload, methods=["POST"]
    )
    bp.add_url_rule(
        f"{place}/<language>/<prompt_id>/remove", "admin_prompt_remove", remove, methods=["POST"]
    )
    bp.add_url_rule(f"{place}/<language>/<prompt_id>/audio", "admin_prompt_audio", play)
    bp.register_error_handler(RequestEntityTooLarge, _too_large)


def prompt_audio() -> PromptAudio:
    found: PromptAudio = current_app.extensions[EXTENSION]
    return found


def _recordable(language: str) -> bool:
    """Prompts can be recorded in a language once its sentences are translated."""
    return language in BY_CODE and (language == SOURCE_LANGUAGE or has_catalog(language))


def _place(establishment_id: int) -> Establishment:
    """An establishment this administrator administers; 404 for any other (or none)."""
    with services().db.transaction() as session:
        return managed_establishment(session, establishment_id)


def establishments() -> ResponseReturnValue:
    """The establishments whose prompts this administrator may record."""
    places = administered_establishments()
    if len(places) == 1:
        return redirect(url_for("triage.admin_prompt_languages", establishment_id=places[0].id))
    return render_template("triage/admin_prompts.html", places=places, rows=None)


def languages(establishment_id: int) -> ResponseReturnValue:
    place = _place(establishment_id)
    audio = prompt_audio()
    rows: list[tuple[str, str, dict[PromptSource, int] | None]] = []
    for language in LANGUAGES:
        if not _recordable(language.code):
            rows.append((language.code, language_name(language.code), None))
            continue
        sources = [state.source for state in audio.states(language.code, place.id)]
        counts = {source: sources.count(source) for source in PromptSource}
        rows.append((language.code, language_name(language.code), counts))
    return render_template(
        "triage/admin_prompts.html", place=place, rows=rows, sources=PromptSource
    )


def prompts_of(
    establishment_id: int, language: str, errors: dict[str, str] | None = None
) -> ResponseReturnValue:
    place = _place(establishment_id)
    if not _recordable(language):
        abort(404)
    states = prompt_audio().states(language, place.id)
    page = render_template(
        "triage/admin_prompt_language.html",
        place=place,
        prompt_language=language,
        language_label=language_name(language),
        direction=BY_CODE[language].direction,
        states=states,
        sources=PromptSource,
        errors=errors or {},
        upload_field=UPLOAD_FIELD,
        most_megabytes=PROMPT_UPLOAD_BYTES // (1024 * 1024),
    )
    return page, (400 if errors else 200)


def _line(establishment_id: int, language: str, prompt_id: str) -> PromptLine:
    """The prompt named in the URL; 404 when there is no such prompt."""
    recordable = _recordable(language)
    line = prompt_audio().line(language, prompt_id, establishment_id) if recordable else None
    if line is None:
        abort(404)
    return line


def _change(establishment_id: int, language: str, prompt_id: str) -> PromptChange:
    """The change asked for, once the asker may make it. Anyone else is refused with a 404
    (as for an establishment that does not exist), and the refusal is audited."""
    principal = admin_principal()
    line = _line(establishment_id, language, prompt_id)
    change = PromptChange(establishment_id, language, line.id, text_key(line.text, language))
    if establishment_id not in principal.establishment_ids:
        with services().db.transaction() as session:
            refuse_prompt_change(session, by=principal, change=change, clock=services().clock)
        abort(404)
    return change


def upload(establishment_id: int, language: str, prompt_id: str) -> ResponseReturnValue:
    change = _change(establishment_id, language, prompt_id)
    line = _line(establishment_id, language, prompt_id)
    sent = request.files.get(UPLOAD_FIELD)
    if sent is None or not sent.filename:
        # Translators: error on the phone prompts page when no file was chosen.
        errors = {prompt_id: _("Choose a recording to upload.")}
        return prompts_of(establishment_id, language, errors)
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "upload"
        sent.save(source)
        try:
            prepared = prepare_recording(source, text=line.text)
        except RecordingRejected as rejected:
            errors = {prompt_id: _rejection(rejected.check)}
            return prompts_of(establishment_id, language, errors)
    _apply(change, lambda session, by, clock: record_prompt(
        session, by=by, change=change, audio=prepared.audio,
        seconds=prepared.check.duration_seconds, clock=clock,
    ))  # fmt: skip
    flash("prompt_recorded")
    return redirect(_back(change))


def remove(establishment_id: int, language: str, prompt_id: str) -> ResponseReturnValue:
    change = _change(establishment_id, language, prompt_id)
    _apply(change, lambda session, by, clock: remove_prompt(
        session, by=by, change=change, clock=clock
    ))  # fmt: skip
    flash("prompt_removed")
    return redirect(_back(change))


def _apply(
    change: PromptChange, operation: Callable[[Session, StaffPrincipal, Clock], object]
) -> None:
    found = services()
    try:
        with found.db.transaction() as session:
            operation(session, admin_principal(), found.clock)
    except NotManaged:
        abort(404)
    prompt_audio().changed()


def play(establishment_id: int, language: str, prompt_id: str) -> ResponseReturnValue:
    place = _place(establishment_id)
    line = _line(establishment_id, language, prompt_id)
    path = prompt_audio().audio(language, line, place.id)
    if path is None:
        abort(404)
    return send_file(path, mimetype="audio/mpeg")


def _back(change: PromptChange) -> str:
    return url_for(
        "triage.admin_prompt_language", establishment_id=change.establishment_id,
        language=change.language, _anchor=f"p-{change.prompt_id}",
    )  # fmt: skip


def _rejection(check: AudioCheck) -> str:
    seconds = f"{check.limit_seconds:.1f}"
    if check.kind == AudioProblem.SILENT:
        # Translators: an uploaded prompt recording was refused.
        return _("The recording is silent. Check the microphone and record it again.")
    if check.kind == AudioProblem.TOO_SHORT:
        # Translators: an uploaded prompt recording was refused; %(seconds)s is like 1.5.
        return _(
            "Too short for this sentence: it must last %(seconds)s seconds or more.",
            seconds=seconds,
        )
    if check.kind == AudioProblem.TOO_LONG:
        # Translators: an uploaded prompt recording was refused; %(seconds)s is like 12.5.
        return _(
            "Too long for this sentence: it must last %(seconds)s seconds or less.", seconds=seconds
        )
    # Translators: an uploaded prompt recording was refused: not a sound file we can read.
    return _("This file is not a recording we can read. Upload a WAV, MP3 or M4A file.")


def _too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """The one handler of the blueprint for files too large: prompts' and BSL videos'."""
    if request.endpoint == "triage.admin_bsl_upload":
        # Translators: page title when an uploaded file is too large.
        title, text = _("The file is too large"), admin_bsl.too_large_text()
        return render_template("triage/problem.html", title=title, text=text, errors={}), 413
    if request.endpoint != "triage.admin_prompt_upload":
        return error
    # Translators: page title when an uploaded file is too large.
    title = _("The file is too large")
    # Translators: explanation when an uploaded prompt recording is too large.
    text = _(
        "A recording can be at most %(megabytes)d MB. Nothing was saved.",
        megabytes=PROMPT_UPLOAD_BYTES // (1024 * 1024),
    )
    return render_template("triage/problem.html", title=title, text=text, errors={}), 413
