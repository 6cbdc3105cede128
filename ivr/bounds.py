"""Every call ends: each loop of the call is bounded by tries and by time.

One person must not be able to hold the line (each call costs money and takes one of the
account's concurrent calls), and a caller going round in circles is better told where else
to get help. The counts live in the call's navigation state (numbers only, never what was
said); the bounds come from the policy (``[phone]``).
"""

from __future__ import annotations

from datetime import datetime

from ivr.call_state import CallState, Outcome
from ivr.flow import REPEAT_KEY
from ivr.languages import PhoneLanguages
from ivr.steps import AFTER_CODE_STEPS, Effect, Step
from safeguarding.policy import PhoneBounds

LIMIT_PREFACE = "call_limit"
_COUNTS = "counts"
_CODE_ENTRY_SINCE = "code_entry_since"


def bound(
    state: CallState,
    outcome: Outcome,
    *,
    digits: str | None,
    answers: int,
    started_at: datetime,
    now: datetime,
    bounds: PhoneBounds,
    languages: PhoneLanguages,
) -> Outcome:
    """``outcome``, or the end of the call when this answer goes past a bound.

    ``answers`` is how many answers the call had before this one.
    """
    if outcome.step == Step.GOODBYE:
        return outcome  # ending anyway
    counts: dict[str, int] = state.nav.setdefault(_COUNTS, {})
    for name in _what_this_was(state, outcome, digits):
        counts[name] = counts.get(name, 0) + 1
    over = (
        counts.get("codes", 0) > bounds.code_entry_tries
        or counts.get("invalid_keys", 0) > bounds.invalid_keys
        or counts.get("repeats", 0) > bounds.repeats
        or counts.get("silences", 0) > bounds.silences
        or answers + 1 > bounds.answers
        or now - started_at > bounds.call_time
        or _too_long_at_code_entry(state, outcome, now, bounds)
    )
    return _end(state, outcome, languages) if over else outcome


def _what_this_was(state: CallState, outcome: Outcome, digits: str | None) -> list[str]:
    if digits is None:
        return ["silences"]
    found = []
    if outcome.effect in (Effect.LOOKUP, Effect.CHECK_PIN):
        found.append("codes")  # mistyped codes too: they are not counted anywhere else
    if "wrong_key" in outcome.preface:
        found.append("invalid_keys")
    repeated = digits[:1] == REPEAT_KEY or (state.step == Step.CODE and digits[:1] == "*")
    if repeated and outcome.step == state.step and outcome.effect == Effect.NONE:
        found.append("repeats")
    return found


def _too_long_at_code_entry(
    state: CallState, outcome: Outcome, now: datetime, bounds: PhoneBounds
) -> bool:
    if outcome.step != Step.CODE_ENTRY:
        return False
    since = state.nav.setdefault(_CODE_ENTRY_SINCE, now.isoformat())
    return now - datetime.fromisoformat(since) > bounds.code_entry_time


def _end(state: CallState, outcome: Outcome, languages: PhoneLanguages) -> Outcome:
    """Where else to get help, then goodbye. The answer just given is still saved, and a
    caller whose call made a report hears their code first (the call then turns the code
    step into goodbye when there is no report; reading the code is bounded too: silence
    or any key but star ends the call)."""
    language = None if state.language else languages.offered[0]
    saved = (
        Effect.SAVE_ANSWERS, Effect.KEEP, Effect.SAVE_WISH, Effect.SAVE_PERSON,
        Effect.SAVE_SAFE_NOW,  # "Are you safe now?": a "No" at the limit is still danger
        Effect.IN_DANGER,  # "Are you in danger now?" after new information: a "yes" too
    )  # fmt: skip
    kept = outcome.effect if outcome.effect in saved else Effect.NONE
    made_report = state.has_report or kept == Effect.SAVE_ANSWERS
    code_heard = state.step == Step.CODE or state.step in AFTER_CODE_STEPS
    code_due = state.mode == "report" and made_report and not code_heard
    step = Step.CODE if code_due else Step.GOODBYE
    return Outcome(
        step, kept, preface=[LIMIT_PREFACE], chosen_language=language, answer=outcome.answer
    )
