"""Administrators record the phone line's prompts: per language, every prompt with the audio
it has (a person's recording, the computer voice, or nothing), an upload form per prompt,
a player for what callers hear, and removal of a recording.

Recordings belong to the installation, not to one establishment: every line that offers
the language uses them. Each upload and removal is audited (ids only). A language is
offered on the phone once every prompt has audio (ivr.languages), so recording every
Somali prompt here puts Somali on the phone menu.
"""

from __future__ import annotations

import tempfile
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
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from speech.checks import AudioCheck, AudioProblem
from speech.inventory import PromptLine
from speech.overrides import RecordingRejected
from speech.prompt_audio import EXTENSION, PromptAudio, PromptSource
from translations.i18n import _
from translations.languages import BY_CODE, LANGUAGES, SOURCE_LANGUAGE, has_catalog
from triage.admin_common import admin_principal, audit_admin
from triage.guard import PROMPT_UPLOAD_BYTES, services
from triage.labels import language_name

UPLOAD_FIELD = "recording"


def register(bp: Blueprint) -> None:
    base = "/admin/phone-prompts"
    bp.add_url_rule(base, "admin_prompts", languages)
    bp.add_url_rule(f"{base}/<language>", "admin_prompt_language", prompts_of)
    bp.add_url_rule(
        f"{base}/<language>/<prompt_id>", "admin_prompt_upload", upload, methods=["POST"]
    )
    bp.add_url_rule(
        f"{base}/<language>/<prompt_id>/remove", "admin_prompt_remove", remove, methods=["POST"]
    )
    bp.add_url_rule(f"{base}/<language>/<prompt_id>/audio", "admin_prompt_audio", play)
    bp.register_error_handler(RequestEntityTooLarge, _too_large)


def prompt_audio() -> PromptAudio:
    found: PromptAudio = current_app.extensions[EXTENSION]
    return found


def _recordable(language: str) -> bool:
    """Prompts can be recorded in a language once its sentences are translated."""
    return language in BY_CODE and (language == SOURCE_LANGUAGE or has_catalog(language))


def languages() -> ResponseReturnValue:
    admin_principal()
    audio = prompt_audio()
    rows: list[tuple[str, str, dict[PromptSource, int] | None]] = []
    for language in LANGUAGES:
        if not _recordable(language.code):
            rows.append((language.code, language_name(language.code), None))
            continue
        sources = [state.source for state in audio.states(language.code)]
        counts = {source: sources.count(source) for source in PromptSource}
        rows.append((language.code, language_name(language.code), counts))
    return render_template("triage/admin_prompts.html", rows=rows, sources=PromptSource)


def prompts_of(language: str, errors: dict[str, str] | None = None) -> ResponseReturnValue:
    admin_principal()
    if not _recordable(language):
        abort(404)
    states = prompt_audio().states(language)
    page = render_template(
        "triage/admin_prompt_language.html",
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


def _prompt(language: str, prompt_id: str) -> tuple[PromptAudio, PromptLine]:
    """The prompt named in the URL, for an administrator; 404 when there is no such prompt."""
    admin_principal()
    audio = prompt_audio()
    line = audio.line(language, prompt_id) if _recordable(language) else None
    if line is None:
        abort(404)
    return audio, line


def upload(language: str, prompt_id: str) -> ResponseReturnValue:
    audio, line = _prompt(language, prompt_id)
    sent = request.files.get(UPLOAD_FIELD)
    if sent is None or not sent.filename:
        # Translators: error on the phone prompts page when no file was chosen.
        return prompts_of(language, {prompt_id: _("Choose a recording to upload.")})
    recorded = audio.recorded()
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "upload"
        sent.save(source)
        try:
            with services().db.transaction() as session:
                check = recorded.store(source, text=line.text, language=language)
                audit_admin(
                    session, "admin.prompt_recorded", language=language, prompt=prompt_id,
                    seconds=round(check.duration_seconds, 1),
                )  # fmt: skip
        except RecordingRejected as rejected:
            return prompts_of(language, {prompt_id: _rejection(rejected.check)})
        except SQLAlchemyError:
            recorded.remove(line.text, language)  # not audited, so not kept
            raise
    audio.changed()
    flash("prompt_recorded")
    return redirect(_back(language, prompt_id))


def remove(language: str, prompt_id: str) -> ResponseReturnValue:
    audio, line = _prompt(language, prompt_id)
    recorded = audio.recorded()
    if recorded.find(line.text, language) is not None:
        with services().db.transaction() as session:
            audit_admin(session, "admin.prompt_removed", language=language, prompt=prompt_id)
        recorded.remove(line.text, language)  # after the audit event is committed
        audio.changed()
    flash("prompt_removed")
    return redirect(_back(language, prompt_id))


def play(language: str, prompt_id: str) -> ResponseReturnValue:
    audio, line = _prompt(language, prompt_id)
    path = audio.audio(language, line)
    if path is None:
        abort(404)
    return send_file(path, mimetype="audio/mpeg")


def _back(language: str, prompt_id: str) -> str:
    return url_for("triage.admin_prompt_language", language=language, _anchor=f"p-{prompt_id}")


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
