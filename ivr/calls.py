"""Reading and changing one call's state inside the request's transaction.

The views call these; nothing here speaks. Every change goes through ``advance``, which
takes the turn a response carried, so a webhook Twilio delivers twice, or late, finds
the turn already taken and changes nothing.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace

from flask import current_app, request
from sqlalchemy.orm import Session

from ivr.bounds import bound
from ivr.call_state import CallState, Outcome
from ivr.flow import on_keys, on_silence
from ivr.languages import PhoneLanguages, phone_languages
from ivr.prompts import WING_PAGE_SIZE
from ivr.scenes import Scene
from ivr.settings import IvrSettings, current_settings
from ivr.steps import AFTER_CODE_STEPS, FEELINGS_STEPS, FINISHED_STEPS, Effect, Step
from safeguarding import call_people, call_wishes
from safeguarding.call_sessions import (
    CallLine,
    caller_in_danger,
    code_of_call,
    own_recording_url,
    record_again,
)
from safeguarding.call_wing import wing_names, wings_of
from safeguarding.calls import answers_of, save_call_answers
from safeguarding.checkin_answers import answer_safe_now_by_id, ask_if_safe_now
from safeguarding.code_secrets import PIN, needs_secret, open_report_with_secret
from safeguarding.errors import CodeLookupRefused, CodeMalformed
from safeguarding.followup import reporter_view_of
from safeguarding.lookup import Seeker, find_report_by_code
from safeguarding.prompt_recordings import StoredPrompts
from safeguarding.services import Services
from speech.say_voices import read_say_voices
from storage.models import CallSession

LANGUAGES_CACHE_SECONDS = 60.0
PENDING = "pending_report"  # call navigation: the report whose PIN is being asked for
# The question each step asks about what the caller wants, and the calls that may answer it.
WISH_QUESTIONS = {
    Step.WISHES: (call_wishes.WANTS, "report"),
    Step.SHARING: (call_wishes.SHARING, "report"),
    Step.DID_WE: (call_wishes.DID_WE, "follow_up"),
    Step.SAFER: (call_wishes.SAFER, "follow_up"),
}


def services() -> Services:
    found: Services = current_app.extensions["safereport"]
    return found


def languages_of_call(session: Session, line: CallLine) -> PhoneLanguages:
    """The languages offered on this call's line (checked at most once a minute).

    The view reads the call's establishment once (``line_of_call``) and holds what it
    returns for the whole request, so later reads of the establishment need no query."""
    settings = current_settings()
    codes = line.language_codes
    voices = read_say_voices(line.say_voices)
    # The recordings are read from the database on every webhook (one query), so a prompt
    # uploaded through another app server is heard here at once; the rest is kept a minute.
    renderer = settings.renderer.scoped(line.establishment_id)
    if isinstance(renderer.recordings, StoredPrompts):  # read in this webhook's transaction
        renderer = renderer.scoped(line.establishment_id, renderer.recordings.within(session))
    key = (
        line.establishment_id,
        *codes,
        *sorted(voices.items()),
        renderer.recordings_fingerprint(),
    )
    cached = settings.languages_cache.get(key)
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        kept: PhoneLanguages = cached[1]
        return replace(kept, renderer=renderer)
    found = phone_languages(
        list(codes),
        catalog_check=settings.catalog_check,
        renderer=renderer,
        say_voices=voices,
    )
    # The cache never keeps this webhook's renderer: it holds the webhook's session.
    settings.languages_cache[key] = (now + LANGUAGES_CACHE_SECONDS, replace(found, renderer=None))
    return found


def state_of(call: CallSession) -> CallState:
    return CallState(
        step=Step(call.step),
        language=call.language,
        answers=answers_of(call),
        mode=call.mode,
        has_report=call.report_id is not None,
        nav=json.loads(call.navigation or "{}"),
    )


def advance(
    session: Session,
    call: CallSession,
    *,
    digits: str | None,
    languages: PhoneLanguages,
) -> Scene:
    """Apply the caller's keys (or their silence, when ``digits`` is None) and move on."""
    state = state_of(call)
    if digits is not None:
        call.silences = 0
    if digits is None:
        call.silences += 1
        outcome = on_silence(state, call.silences, languages)
    else:
        outcome = on_keys(state, digits, languages)
    found = services()
    outcome = bound(
        state,
        outcome,
        digits=digits,
        answers=call.turn,
        started_at=call.created_at,
        now=found.clock.now(),
        bounds=found.policy.phone,
        languages=languages,
    )
    return apply_outcome(session, call, state, outcome, languages)


def apply_outcome(
    session: Session,
    call: CallSession,
    state: CallState,
    outcome: Outcome,
    languages: PhoneLanguages,
) -> Scene:
    found = services()
    if outcome.chosen_language is not None:
        call.language = outcome.chosen_language
    recording_url = None
    if outcome.effect == Effect.SAVE_ANSWERS:
        save_call_answers(
            session,
            call=call,
            answers=state.answers,
            secrets=found.secrets,
            policy=found.policy,
            clock=found.clock,
        )
    elif outcome.effect == Effect.LOOKUP:
        outcome = _look_up(session, call, state, outcome)
    elif outcome.effect == Effect.CHECK_PIN:
        outcome = _check_secret(session, call, state, outcome)
    elif outcome.effect == Effect.RECORD_AGAIN:
        record_again(session, call=call, clock=found.clock)
    elif outcome.effect == Effect.LISTEN:
        recording_url = own_recording_url(session, call=call, vault=found.secrets.vault)
    elif outcome.effect == Effect.IN_DANGER:
        caller_in_danger(session, call=call, policy=found.policy, clock=found.clock)
    elif outcome.effect == Effect.SAVE_WISH:
        outcome = _save_wish(session, call, state, outcome)
    elif outcome.effect == Effect.SAVE_PERSON:
        outcome = _save_person(session, call, state, outcome)
    elif outcome.effect == Effect.SAVE_SAFE_NOW:
        outcome = _save_safe_now(session, call, outcome)
    if outcome.step == Step.CODE and call.report_id is None:
        outcome = Outcome(Step.GOODBYE, preface=[*outcome.preface, "nothing_given"])
    if not _may_ask(call, outcome.step):
        outcome = Outcome(Step.GOODBYE, preface=outcome.preface)
    if outcome.step == Step.DANGER_WHO and "wings" not in state.nav:
        # Kept for the call: the keys mean the same wings on every turn of it.
        state.nav["wings"] = wings_of(session, call.establishment_id)
    if outcome.step.value != call.step:
        call.silences = 0
    call.step = outcome.step.value
    call.answers = state.answers.to_json()
    call.navigation = state.navigation_json()
    call.turn += 1
    call.updated_at = found.clock.now()
    scene = scene_of(session, call, languages, preface=outcome.preface)
    scene.recording_url = recording_url
    return scene


def _may_ask(call: CallSession, step: Step) -> bool:
    """What the caller wants is asked only of a call whose report is stored: after its code
    was read out (a call that made it) or its status said (a caller with its code)."""
    if step in AFTER_CODE_STEPS:
        return call.report_id is not None and call.mode == "report"
    if step in FEELINGS_STEPS:
        return call.report_id is not None and call.mode == "follow_up"
    return True


def _save_wish(session: Session, call: CallSession, state: CallState, outcome: Outcome) -> Outcome:
    """One answer, saved now (sealed on the report's timeline); thanks only once stored."""
    found = services()
    question, mode = WISH_QUESTIONS.get(state.step, ("", ""))
    saved = (
        outcome.answer is not None
        and call.mode == mode
        and call_wishes.save_call_wish(
            session,
            call=call,
            question=question,
            answer=outcome.answer,
            secrets=found.secrets,
            policy=found.policy,
            clock=found.clock,
        )
    )
    if saved:
        return outcome
    return Outcome(Step.GOODBYE, preface=[p for p in outcome.preface if p != "wishes_thanks"])


def _save_person(
    session: Session, call: CallSession, state: CallState, outcome: Outcome
) -> Outcome:
    """Who is doing it (issue 14), saved now; thanks only once stored."""
    found = services()
    saved = (
        outcome.answer is not None
        and state.step == Step.DOING
        and call_people.save_call_person(
            session,
            call=call,
            kind=outcome.answer,
            secrets=found.secrets,
            clock=found.clock,
            policy=found.policy,
        )
    )
    if saved:
        return outcome
    return Outcome(Step.GOODBYE, preface=[p for p in outcome.preface if p != "wishes_thanks"])


def _save_safe_now(session: Session, call: CallSession, outcome: Outcome) -> Outcome:
    """'Are you safe now?', saved now; "No" is danger (safeguarding.checkin_answers). What
    the caller hears after it is said only once it is stored."""
    found = services()
    saved = (
        call.report_id is not None
        and call.mode == "follow_up"
        and outcome.answer is not None
        and answer_safe_now_by_id(
            session, report_id=call.report_id, answer=outcome.answer, channel="phone",
            policy=found.policy, clock=found.clock,
        )
    )  # fmt: skip
    return outcome if saved else Outcome(outcome.step)


def _seeker(call: CallSession) -> Seeker:
    return Seeker(
        establishment_id=call.establishment_id,
        session=f"call:{call.call_sid_hash}",
        phone_line_id=call.phone_line_id,
        # Twilio sends the caller's number with every webhook; only a keyed hash of it is
        # kept, to count wrong codes per caller across calls.
        caller_number=request.form.get("From", ""),
    )


def _look_up(session: Session, call: CallSession, state: CallState, outcome: Outcome) -> Outcome:
    found = services()
    assert outcome.entered_code is not None
    try:
        report = find_report_by_code(
            session,
            entered=outcome.entered_code,
            seeker=_seeker(call),
            pepper=found.secrets.code_pepper,
            limits=found.policy.lookup,
            clock=found.clock,
        )
    except CodeMalformed:
        report = None
    except CodeLookupRefused:
        return Outcome(Step.GOODBYE, preface=["code_refused"])
    if report is None:
        return Outcome(Step.CODE_ENTRY, preface=["code_wrong"])
    if needs_secret(report):
        # Kept safe at the kiosk (issue 17.3): never opened without its secret. Pictures
        # cannot be shown on a phone: the caller is told to use a kiosk.
        if report.code_secret_kind != PIN:
            return Outcome(Step.GOODBYE, preface=["secret_pictures"])
        state.nav[PENDING] = report.id  # the report's id, never the code or the PIN
        return Outcome(Step.PIN_ENTRY)
    return _opened(session, call, report.id)


def _check_secret(
    session: Session, call: CallSession, state: CallState, outcome: Outcome
) -> Outcome:
    """The PIN typed after a code kept safe with one: counted exactly as a wrong code."""
    found = services()
    report_id = state.nav.get(PENDING)
    if report_id is None:
        return Outcome(Step.CODE_ENTRY)
    try:
        opened = open_report_with_secret(
            session,
            report_id=int(report_id),
            chosen=list(outcome.entered_code or ""),
            seeker=_seeker(call),
            pepper=found.secrets.code_pepper,
            limits=found.policy.lookup,
            clock=found.clock,
        )
    except CodeLookupRefused:
        state.nav.pop(PENDING, None)
        return Outcome(Step.GOODBYE, preface=["code_refused"])
    if not opened:
        return Outcome(Step.PIN_ENTRY, preface=["secret_wrong"])
    state.nav.pop(PENDING, None)
    return _opened(session, call, int(report_id))


def _opened(session: Session, call: CallSession, report_id: int) -> Outcome:
    """The code (and its PIN) opened the report: "Are you safe now?" first when a
    retaliation check-in on it is due (issue 15.5), else its status."""
    call.mode = "follow_up"
    call.report_id = report_id
    if ask_if_safe_now(session, report_id, services().clock.now()):
        return Outcome(Step.SAFE_NOW)
    return Outcome(Step.FOLLOW_UP)


def scene_of(
    session: Session,
    call: CallSession,
    languages: PhoneLanguages,
    *,
    preface: list[str] | None = None,
) -> Scene:
    """What to say for the call's current step (also for a repeated delivery)."""
    settings: IvrSettings = current_settings()
    state = state_of(call)
    scene = Scene(
        step=state.step,
        language=call.language,
        turn=call.turn,
        languages=languages,
        page=state.page,
        preface=list(preface or []),
        can_go_back=len(languages.offered) > 1 or state.step != Step.START,
        max_message_seconds=settings.recording_max_seconds,
    )
    if state.step == Step.WING:
        scene.wing_names = wing_names(session, call.establishment_id, state.wing_page)
        shown = (int(state.nav.get("wing_page", 0)) + 1) * WING_PAGE_SIZE
        scene.more_wings = shown < len(state.wings)
    if call.report_id is not None and state.step in (Step.CODE, Step.FOLLOW_UP):
        if state.step == Step.CODE:
            scene.code = code_of_call(session, call=call, secrets=services().secrets)
        else:
            view = reporter_view_of(session, call.report_id)
            assert view is not None  # a foreign key
            scene.status = view.status
            scene.message_ids = [message.id for message in view.messages]
    return scene


def finished(call: CallSession) -> bool:
    """Did the caller reach the end (their code, or their report's status)?"""
    return Step(call.step) in FINISHED_STEPS or call.mode == "follow_up"
