"""The keys of the questions asked once a report is safe (issue 15.1: what the caller
wants, how it went; issue 14: who is doing it; issue 15.5: "Are you safe now?"). Each
answer is saved by the key that gives it, so a hang-up keeps it (ivr.calls)."""

from __future__ import annotations

from ivr.call_state import Action, CallState, Outcome
from ivr.steps import Effect, Step
from ivr.wish_prompts import (
    DID_WE_KEYS,
    DOING_KEYS,
    SAFE_NOW_KEYS,
    SAFER_KEYS,
    SHARING_KEYS,
    WANT_KEYS,
)

SKIP_KEY = "9"  # at the last question, and at "Are you safe now?", 9 skips


def _wish(answer: str, following: Step) -> Action:
    """One answer about what the caller wants: saved at once (a hang-up keeps it)."""
    thanks = ["wishes_thanks"] if following in (Step.GOODBYE, Step.DOING) else []

    def action(state: CallState) -> Outcome:
        return Outcome(following, Effect.SAVE_WISH, preface=thanks, answer=answer)

    return action


def _doing(kind: str) -> Action:
    """Who is doing it (issue 14): saved at once; thanks only once it is stored."""

    def action(state: CallState) -> Outcome:
        return Outcome(Step.GOODBYE, Effect.SAVE_PERSON, preface=["wishes_thanks"], answer=kind)

    return action


SAFE_NOW_ASKED = "safe_now"  # call navigation: "Are you safe now?" was asked in this call
NOT_SAFE_NOW = "no"


def _safe_now(answer: str) -> Action:
    """Saved at once (a hang-up keeps it), then the report's status as before. After "No",
    what to do now and that the team has it as urgent, said once it is stored."""
    preface = ["danger_again_sent"] if answer == NOT_SAFE_NOW else ["wishes_thanks"]

    def action(state: CallState) -> Outcome:
        state.nav[SAFE_NOW_ASKED] = True
        return Outcome(Step.FOLLOW_UP, Effect.SAVE_SAFE_NOW, preface=preface, answer=answer)

    return action


def skip_safe_now(state: CallState) -> Outcome:
    state.nav[SAFE_NOW_ASKED] = True
    return Outcome(Step.FOLLOW_UP)


def _did_we(answer: str) -> Action:
    """ "Do you feel safer?" follows, unless "Are you safe now?" was asked in this call."""

    def action(state: CallState) -> Outcome:
        following = Step.GOODBYE if state.nav.get(SAFE_NOW_ASKED) else Step.SAFER
        return _wish(answer, following)(state)

    return action


def _answers(keys: dict[str, str], following: Step) -> dict[str, Action]:
    return {key: _wish(answer, following) for key, answer in keys.items()}


WISH_KEYS: dict[Step, dict[str, Action]] = {
    Step.WISHES: _answers(WANT_KEYS, Step.SHARING),
    Step.SHARING: _answers(SHARING_KEYS, Step.DOING),
    # 9 here skips (the last question: there is nothing to go back to that is not saved).
    Step.DOING: {
        **{key: _doing(kind) for key, kind in DOING_KEYS.items()},
        SKIP_KEY: lambda state: Outcome(Step.GOODBYE),
    },
    Step.DID_WE: {key: _did_we(answer) for key, answer in DID_WE_KEYS.items()},
    Step.SAFER: _answers(SAFER_KEYS, Step.GOODBYE),
    # 9 skips, as at "Who is doing it?": the status and adding a message come next.
    Step.SAFE_NOW: {
        **{key: _safe_now(answer) for key, answer in SAFE_NOW_KEYS.items()},
        SKIP_KEY: skip_safe_now,
    },
}
