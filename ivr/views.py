"""The webhooks: one route per step of the call, and Twilio's callbacks.

Each view reads the call's state, applies the caller's keys in one transaction, and
speaks only after that transaction has committed. If the database fails, the error
handler tells the caller their message could not be taken and where else to go.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from flask import Blueprint, Response, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse

from ivr.calls import (
    advance,
    apply_outcome,
    finished,
    languages_of_call,
    scene_of,
    services,
    state_of,
)
from ivr.flow import after_message, after_name, first_step
from ivr.languages import PhoneLanguages
from ivr.scenes import Scene, cannot_take, endpoint, not_in_service, render
from ivr.settings import current_settings
from ivr.steps import Step
from ivr.twiml import Speaker, twiml
from safeguarding.call_sessions import (
    call_of_webhook,
    line_of_call,
    open_call_on_line,
    recording_status_reported,
)
from safeguarding.caller_number import keep_caller_number
from safeguarding.calls import MESSAGE, NAME, VoiceMessage, finalise_call, take_voice_message
from storage.models import CallSession
from translations.languages import BY_CODE, SOURCE_LANGUAGE

log = logging.getLogger("safereport.ivr")

GATHER_STEPS = (
    Step.LANGUAGE,
    Step.MORE_LANGUAGES,
    Step.START,
    Step.DANGER_WHO,
    Step.WING,
    Step.CONCERN,
    Step.ANOTHER,
    Step.ABOUT,
    Step.INJURED,
    Step.STAFF,
    Step.REVIEW,
    Step.CODE,
    Step.CODE_ENTRY,
    Step.PIN_ENTRY,
    Step.SAFE_NOW,
    Step.FOLLOW_UP,
    Step.DANGER_AGAIN,
    Step.WISHES,
    Step.SHARING,
    Step.DOING,
    Step.DID_WE,
    Step.SAFER,
)
ENDED_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


def speaker(languages: PhoneLanguages | None = None) -> Speaker:
    """Our own audio, or Twilio's <Say> where the line's establishment chose a voice.
    Without the line (the fallback, a database error) it is always our own audio."""
    voices = languages.say_voices if languages is not None else {}
    renderer = languages.renderer if languages is not None else None
    return Speaker(renderer or current_settings().renderer.scoped(None), voices)


def speak(scene: Scene) -> Response:
    return twiml(render(scene, speaker(scene.languages)))


def register_views(bp: Blueprint) -> None:
    bp.add_url_rule("/voice", "voice", _retried(incoming_call), methods=["POST"])
    for step in GATHER_STEPS:
        name = endpoint(step).removeprefix("ivr.")
        bp.add_url_rule(f"/{step.value}", name, _retried(_step_view(step)), methods=["POST"])
    bp.add_url_rule("/recorded", "recorded", _retried(recorded), methods=["POST"])
    bp.add_url_rule(
        "/recording-status", "recording_status", _retried(recording_status), methods=["POST"]
    )
    bp.add_url_rule("/status", "status", _retried(call_status), methods=["POST"])
    bp.add_url_rule("/fallback", "fallback", fallback, methods=["POST"])
    bp.register_error_handler(SQLAlchemyError, database_failed)


def _retried(webhook: Callable[[], Response]) -> Callable[[], Response]:
    """Each webhook is one transaction: run again when PostgreSQL rolled it back for
    another's sake (a deadlock's victim), rather than tell the caller the line cannot take
    their call (database_failed)."""

    @functools.wraps(webhook)
    def retried() -> Response:
        return services().db.retrying(webhook)

    return retried


def incoming_call() -> Response:
    """A call comes in: the dialled number decides the establishment and its languages."""
    found = services()
    call_sid = request.form.get("CallSid", "")
    with found.db.transaction() as session:
        # Finds the call (Twilio may deliver this webhook again) or creates it.
        call = open_call_on_line(
            session,
            dialled=request.form.get("To", ""),
            call_sid=call_sid,
            nonce=secrets.token_urlsafe(24),
            at=found.clock.now(),
            pepper=found.secrets.code_pepper,
            vault=found.secrets.vault,
        )
        if call is None:
            return twiml(not_in_service())
        line = line_of_call(session, call)  # held: read once per request
        languages = languages_of_call(session, line)
        if not languages.offered:
            log.error("phone line %s offers no language with audio", call.phone_line_id)
            return twiml(not_in_service())
        if call.turn == 0:
            scene = apply_outcome(session, call, state_of(call), first_step(languages), languages)
        else:  # Twilio delivered the first webhook again: say the same again
            scene = scene_of(session, call, languages)
    return speak(scene)


def _step_view(step: Step) -> Callable[[], Response]:
    def view() -> Response:
        return answer_step(step)

    view.__name__ = endpoint(step).removeprefix("ivr.")
    return view


def answer_step(step: Step) -> Response:
    found = services()
    turn = request.args.get("t", type=int)
    silence = request.args.get("silence") == "1"
    with found.db.transaction() as session:
        call = call_of_webhook(session, request.form.get("CallSid", ""), pepper=_pepper())
        if call is None:
            return _restart()
        line = line_of_call(session, call)  # held: read once per request
        languages = languages_of_call(session, line)
        if turn == call.turn and call.step == step.value:
            digits = None if silence else request.form.get("Digits", "")
            scene = advance(session, call, digits=digits, languages=languages)
        else:  # a repeated or late delivery: change nothing, say where the call is
            scene = scene_of(session, call, languages)
        _keep_number_if_chosen(session, call)
    return speak(scene)


def _keep_number_if_chosen(session: Session, call: CallSession) -> None:
    """Twilio sends the caller's number (From) with every call webhook; the safeguarding
    rules decide whether the report keeps it (sealed). It goes nowhere else."""
    keep_caller_number(
        session, call=call, number=request.form.get("From", ""), secrets=services().secrets
    )


def _restart() -> Response:
    response = VoiceResponse()
    response.redirect("voice", method="POST")
    return twiml(response)


def recorded() -> Response:
    """<Record> finished (or the caller hung up while recording)."""
    found = services()
    turn = request.args.get("t", type=int)
    with found.db.transaction() as session:
        call = call_of_webhook(session, request.form.get("CallSid", ""), pepper=_pepper())
        if call is None:
            return _restart()
        message, kind = _voice_message(), _recording_kind()
        if message is not None and call.language is not None:
            take_voice_message(
                session,
                call=call,
                message=message,
                secrets=found.secrets,
                policy=found.policy,
                clock=found.clock,
                kind=kind,
            )
        line = line_of_call(session, call)  # held: read once per request
        languages = languages_of_call(session, line)
        step = Step.NAME if kind == NAME else Step.MESSAGE
        if turn == call.turn and call.step == step.value:
            state = state_of(call)
            state.has_report = call.report_id is not None
            if step == Step.NAME:
                outcome = after_name(state)
            else:
                outcome = after_message(state, heard=message is not None)
            scene = apply_outcome(session, call, state, outcome, languages)
        else:
            scene = scene_of(session, call, languages)
        _keep_number_if_chosen(session, call)
    return speak(scene)


def _voice_message() -> VoiceMessage | None:
    form = request.form
    url, sid = form.get("RecordingUrl", ""), form.get("RecordingSid", "")
    duration = form.get("RecordingDuration", "0")
    # ASCII digits only ("²".isdigit() is true, yet int("²") fails), and no absurd length.
    plausible = duration.isascii() and duration.isdigit() and len(duration) <= 9
    seconds = int(duration) if plausible else 0
    if not url or not sid or seconds <= 0:
        return None
    return VoiceMessage(provider_sid=sid, source_url=url, duration_seconds=seconds)


def _recording_kind() -> str:
    """Which recording this is, from the URL our own TwiML gave (signed like the rest)."""
    return NAME if request.args.get("kind") == NAME else MESSAGE


def recording_status() -> Response:
    """The recording is ready (or Twilio kept none): make sure it is taken and fetched."""
    found = services()
    status = request.form.get("RecordingStatus", "")
    with found.db.transaction() as session:
        recording_status_reported(
            session,
            call=call_of_webhook(session, request.form.get("CallSid", ""), pepper=_pepper()),
            status=status,
            provider_sid=request.form.get("RecordingSid", ""),
            message=_voice_message(),
            kind=_recording_kind(),
            secrets=found.secrets,
            policy=found.policy,
            clock=found.clock,
        )
    return twiml(VoiceResponse())


def call_status() -> Response:
    """The call's status callback: when it ends, keep what was given, marked if early."""
    found = services()
    if request.form.get("CallStatus", "") in ENDED_STATUSES:
        with found.db.transaction() as session:
            call = call_of_webhook(session, request.form.get("CallSid", ""), pepper=_pepper())
            if call is not None:
                _keep_number_if_chosen(session, call)
                finalise_call(session, call=call, finished=finished(call), clock=found.clock)
    return twiml(VoiceResponse())


def fallback() -> Response:
    """Twilio's fallback URL: our main webhook failed. No database: apologise and guide."""
    failed_url = request.form.get("ErrorUrl", "")
    language = parse_qs(urlsplit(failed_url).query).get("lang", [""])[0]
    return twiml(cannot_take(_known(language), speaker()))


def database_failed(error: SQLAlchemyError) -> Response:
    log.error("phone line: database error %s; the caller was told", type(error).__name__)
    return twiml(cannot_take(_known(request.args.get("lang", "")), speaker()))


def _known(language: str) -> str:
    return language if language in BY_CODE else SOURCE_LANGUAGE


def _pepper() -> bytes:
    return services().secrets.code_pepper
