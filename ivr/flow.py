"""The call as a small state machine: steps, and what each key does at each step.

Keys are dispatched through tables. Everywhere, 0 repeats the question and 9 goes back
(where there is somewhere to go back to); silence repeats the question twice and then
takes the step's default, which always moves the caller on without losing anything.
This module decides; ivr.views does the storing and ivr.scenes the speaking.
"""

from __future__ import annotations

from typing import Any

from ivr.call_state import Action, CallState, Outcome
from ivr.languages import PhoneLanguages
from ivr.prompts import CONCERN_PAGES, WING_PAGE_SIZE
from ivr.steps import Effect, Step
from ivr.wish_flow import WISH_KEYS, skip_safe_now

MAX_SILENCES = 2  # the question is asked three times in all before the default is taken
REPEAT_KEY = "0"
BACK_KEY = "9"
MORE_WINGS_KEY = "8"
NOT_SURE_KEY = "*"  # at the wing question: 0 already means "hear again" everywhere
WING_SILENCES = 1  # the wing question is asked twice, not three times: help is waiting


# "If you have a code from before, press 3.": printed slips give this key (triage.slip).
FOLLOW_UP_KEY = "3"


def go(step: Step, **nav: Any) -> Action:
    def action(state: CallState) -> Outcome:
        state.nav.update(nav)
        return Outcome(step)

    return action


def _danger(state: CallState) -> Outcome:
    """Someone is in danger now: stored at once (as the caller) and the advice given,
    before asking who it is."""
    state.answers.in_danger_now = True
    return Outcome(Step.DANGER_WHO, Effect.SAVE_ANSWERS, preface=["danger_advice"])


def _danger_who(who: str) -> Action:
    def action(state: CallState) -> Outcome:
        state.answers.danger_who = who
        if who == "someone_else" and state.answers.about_someone_else is None:
            state.answers.about_someone_else = True
        if state.wings:
            state.nav["wing_page"] = 0
            return Outcome(Step.WING, Effect.SAVE_ANSWERS)
        return _after_danger(state, Effect.SAVE_ANSWERS)

    return action


def _wing(position: int) -> Action:
    def action(state: CallState) -> Outcome:
        page = state.wing_page
        if position >= len(page):
            return Outcome(Step.WING, preface=["wrong_key"])
        state.answers.location_id = page[position]
        return Outcome(Step.NAME, Effect.SAVE_ANSWERS)

    return action


def _next_wing_page(state: CallState) -> Outcome:
    following = int(state.nav.get("wing_page", 0)) + 1
    if following * WING_PAGE_SIZE >= len(state.wings):
        return Outcome(Step.WING, preface=["wrong_key"])
    state.nav["wing_page"] = following
    return Outcome(Step.WING)


def _after_danger(state: CallState, effect: Effect = Effect.NONE) -> Outcome:
    state.nav["page"] = 0
    return Outcome(Step.CONCERN, effect, preface=["danger_continue"])


def _concern(position: int) -> Action:
    def action(state: CallState) -> Outcome:
        page = CONCERN_PAGES[state.page]
        if position >= len(page):
            return Outcome(Step.CONCERN, preface=["wrong_key"])
        concern_id = page[position].id
        if concern_id not in state.answers.concerns:
            state.answers.concerns.append(concern_id)
        return Outcome(Step.ANOTHER, Effect.SAVE_ANSWERS)

    return action


def _next_concern_page(state: CallState) -> Outcome:
    if state.page + 1 >= len(CONCERN_PAGES):
        return Outcome(Step.CONCERN, preface=["wrong_key"])
    state.nav["page"] = state.page + 1
    return Outcome(Step.CONCERN)


def _about(someone_else: bool) -> Action:
    def action(state: CallState) -> Outcome:
        state.answers.about_someone_else = someone_else
        return Outcome(Step.INJURED, Effect.SAVE_ANSWERS)

    return action


def _injured(hurt: bool) -> Action:
    def action(state: CallState) -> Outcome:
        state.answers.injured = hurt
        return Outcome(Step.STAFF, Effect.SAVE_ANSWERS)

    return action


def _staff(answer: str) -> Action:
    def action(state: CallState) -> Outcome:
        state.answers.staff_involved = answer
        return Outcome(Step.MESSAGE, Effect.SAVE_ANSWERS)

    return action


def _keep(state: CallState) -> Outcome:
    if state.mode == "follow_up":
        return Outcome(Step.DANGER_AGAIN, Effect.KEEP, preface=["follow_up_saved"])
    return Outcome(Step.CODE, Effect.KEEP)


def _have_a_code(state: CallState) -> Outcome:
    if state.has_report and state.mode == "report":
        # This call already made a report; its code is read at the end of the call.
        return Outcome(Step.START, preface=["wrong_key"])
    return Outcome(Step.CODE_ENTRY)


KEYS: dict[Step, dict[str, Action]] = {
    Step.START: {"1": _danger, "2": go(Step.CONCERN, page=0), FOLLOW_UP_KEY: _have_a_code},
    Step.DANGER_WHO: {"1": _danger_who("me"), "2": _danger_who("someone_else")},
    Step.WING: {
        **{str(i + 1): _wing(i) for i in range(WING_PAGE_SIZE)},
        MORE_WINGS_KEY: _next_wing_page,
        NOT_SURE_KEY: go(Step.NAME),
    },
    Step.CONCERN: {
        **{str(i + 1): _concern(i) for i in range(max(len(p) for p in CONCERN_PAGES))},
        "8": _next_concern_page,
    },
    Step.ANOTHER: {"1": go(Step.CONCERN, page=0), "2": go(Step.ABOUT)},
    Step.ABOUT: {"1": _about(False), "2": _about(True)},
    Step.INJURED: {"1": _injured(True), "2": _injured(False)},
    Step.STAFF: {"1": _staff("yes"), "2": _staff("no"), "3": _staff("not_sure")},
    Step.REVIEW: {
        "1": lambda state: Outcome(Step.REVIEW, Effect.LISTEN),
        "2": _keep,
        "3": lambda state: Outcome(Step.MESSAGE, Effect.RECORD_AGAIN),
    },
    Step.CODE: {"*": go(Step.CODE)},
    Step.FOLLOW_UP: {"1": go(Step.MESSAGE), "2": go(Step.DID_WE)},
    Step.DANGER_AGAIN: {
        "1": lambda state: Outcome(Step.GOODBYE, Effect.IN_DANGER, preface=["danger_again_sent"]),
        "2": go(Step.GOODBYE),
    },
    **WISH_KEYS,
}
# Where 9 simply leads back one question.
BACK_TO = {
    Step.DANGER_WHO: Step.START,
    Step.ANOTHER: Step.CONCERN,
    Step.INJURED: Step.ABOUT,
    Step.STAFF: Step.INJURED,
    Step.FOLLOW_UP: Step.START,
    Step.MORE_LANGUAGES: Step.LANGUAGE,
    Step.WISHES: Step.CODE,  # the code is read out again
    Step.SHARING: Step.WISHES,
    Step.DID_WE: Step.FOLLOW_UP,  # the status is said again
    Step.SAFER: Step.DID_WE,
}


def _back(state: CallState, languages: PhoneLanguages) -> Outcome | None:
    """Where 9 leads from here; None where 9 means something else or nothing."""
    step = state.step
    if step in BACK_TO:
        return Outcome(BACK_TO[step])
    if step == Step.START:
        return Outcome(Step.LANGUAGE) if len(languages.offered) > 1 else None
    if step == Step.WING:
        if int(state.nav.get("wing_page", 0)) > 0:
            state.nav["wing_page"] = int(state.nav["wing_page"]) - 1
            return Outcome(Step.WING)
        return Outcome(Step.DANGER_WHO)
    if step == Step.CONCERN:
        if state.page > 0:
            state.nav["page"] = state.page - 1
            return Outcome(Step.CONCERN)
        return Outcome(Step.START)
    if step == Step.ABOUT:
        return Outcome(Step.ANOTHER if state.answers.concerns else Step.CONCERN)
    return None


def on_keys(state: CallState, digits: str, languages: PhoneLanguages) -> Outcome:
    """What the keys the caller pressed at ``state.step`` do."""
    if state.step in (Step.LANGUAGE, Step.MORE_LANGUAGES):
        return _on_language_keys(state, digits, languages)
    if state.step == Step.CODE_ENTRY:
        if not digits:
            return Outcome(Step.START)  # the hash key alone goes back
        return Outcome(Step.CODE_ENTRY, Effect.LOOKUP, entered_code=digits)
    if state.step == Step.PIN_ENTRY:
        if not digits:
            return Outcome(Step.START)  # the hash key alone goes back
        return Outcome(Step.PIN_ENTRY, Effect.CHECK_PIN, entered_code=digits)
    key = digits[:1]
    if key == REPEAT_KEY:
        return Outcome(state.step)
    if key == BACK_KEY:
        back = _back(state, languages)
        if back is not None:
            return back
    action = KEYS.get(state.step, {}).get(key)
    if action is None:
        if state.step == Step.CODE:
            return Outcome(Step.WISHES)  # any other key after the code: on to the last question
        return Outcome(state.step, preface=["wrong_key"])
    return action(state)


def _on_language_keys(state: CallState, digits: str, languages: PhoneLanguages) -> Outcome:
    key = digits[:1]
    if key == REPEAT_KEY:
        return Outcome(state.step)
    if state.step == Step.LANGUAGE:
        if key == "*" and languages.second_page:
            return Outcome(Step.MORE_LANGUAGES)
        table = languages.first_page_keys()
    else:
        if key == BACK_KEY:
            return Outcome(Step.LANGUAGE)
        table = languages.second_page_keys()
    chosen = table.get(key)
    if chosen is None:
        return Outcome(state.step, preface=["wrong_key"])
    return Outcome(Step.START, chosen_language=chosen)


def on_silence(state: CallState, silences: int, languages: PhoneLanguages) -> Outcome:
    """Nothing pressed: ask again, and after that move on without losing anything."""
    step = state.step
    if step == Step.CODE:
        return Outcome(Step.WISHES)  # the code was read twice: the report is safe, so ask
    if step == Step.WING:
        return Outcome(Step.WING if silences <= WING_SILENCES else Step.NAME)
    if step == Step.SAFE_NOW:  # asked twice, then on to the status: it never holds them up
        if silences <= WING_SILENCES:
            return Outcome(step)
        return skip_safe_now(state)
    if silences <= MAX_SILENCES:
        return Outcome(step)
    if step in (Step.LANGUAGE, Step.MORE_LANGUAGES):
        return Outcome(Step.START, chosen_language=languages.offered[0])
    if step == Step.START:
        state.nav["page"] = 0
        return Outcome(Step.CONCERN)
    if step == Step.DANGER_WHO:  # already stored as urgent: the caller's own danger
        return Outcome(Step.WING) if state.wings else _after_danger(state)
    if step == Step.CONCERN:
        return Outcome(Step.ABOUT if state.answers.concerns else Step.MESSAGE)
    if step == Step.ANOTHER:
        return Outcome(Step.ABOUT)
    if step == Step.ABOUT:
        return Outcome(Step.INJURED)
    if step == Step.INJURED:
        return Outcome(Step.STAFF)
    if step == Step.STAFF:
        return Outcome(Step.MESSAGE)
    if step == Step.REVIEW:
        return _keep(state)
    return Outcome(Step.GOODBYE)


def after_message(state: CallState, *, heard: bool) -> Outcome:
    """The recording ended. An empty one leads on: to the code if there is a report."""
    if heard:
        return Outcome(Step.REVIEW)
    if state.mode == "follow_up":
        return Outcome(Step.GOODBYE, preface=["no_message"])
    if state.has_report:
        return Outcome(Step.CODE, preface=["no_message"])
    return Outcome(Step.GOODBYE, preface=["no_message", "nothing_given"])


def after_name(state: CallState) -> Outcome:
    """The name recording ended (said, skipped or silent): on to what is happening."""
    return _after_danger(state)


def first_step(languages: PhoneLanguages) -> Outcome:
    """A call starts at the language menu, unless there is only one language."""
    if len(languages.offered) == 1:
        return Outcome(Step.START, chosen_language=languages.offered[0])
    return Outcome(Step.LANGUAGE)
