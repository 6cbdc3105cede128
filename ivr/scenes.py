"""What the caller hears next, as TwiML: one function per kind of step.

A Scene holds everything needed to speak (read from the database inside the request's
transaction); rendering happens after the commit, so the line only ever says "sent" for
what is stored, and no audio is rendered while the database is locked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import force_locale
from twilio.twiml.voice_response import VoiceResponse

from ivr import pin_prompts, prompts, wish_prompts
from ivr.languages import PhoneLanguages
from ivr.steps import Step
from ivr.twiml import ANSWER_SECONDS, Speaker
from safeguarding.codes import group
from safeguarding.messages import STANDARD_MESSAGES_BY_ID
from speech.inventory import PromptLine
from translations.i18n import _
from translations.languages import BY_CODE, SOURCE_LANGUAGE

# Wing names are the establishment's own words, written by its staff in the installation's
# language: they are spoken as written, in that language's voice, in every call language
# (a Somali caller hears the Somali recordings around them). Never recorded per language.
WING_NAME_LANGUAGE = SOURCE_LANGUAGE

PREFACES: dict[str, Callable[[], list[PromptLine]]] = {
    "danger_advice": prompts.danger_advice,
    "danger_continue": lambda: [prompts.danger_continue()],
    "wrong_key": lambda: [prompts.wrong_key()],
    "no_message": lambda: [prompts.no_message()],
    "nothing_given": prompts.nothing_given,
    "code_wrong": lambda: [prompts.code_wrong()],
    "code_refused": lambda: [prompts.code_refused()],
    "secret_wrong": lambda: [pin_prompts.secret_wrong()],
    "secret_pictures": pin_prompts.secret_pictures,
    "follow_up_saved": lambda: [prompts.follow_up_saved()],
    "call_limit": prompts.call_limit,  # ivr.bounds: the call ends; Samaritans follow
    "danger_again_sent": prompts.danger_again_sent,
    "wishes_thanks": lambda: [wish_prompts.thanks()],  # said after the answers are stored
}


@dataclass
class Scene:
    step: Step
    language: str | None
    turn: int
    languages: PhoneLanguages
    page: int = 0
    preface: list[str] = field(default_factory=list)
    can_go_back: bool = True
    code: str | None = None  # only for Step.CODE, derived again for each response
    status: str | None = None  # reporter_view status, for Step.FOLLOW_UP
    message_ids: list[str] = field(default_factory=list)
    recording_url: str | None = None  # the caller's own message, to play back
    max_message_seconds: int = 300
    wing_names: list[str | None] = field(default_factory=list)  # this page of wings
    more_wings: bool = False


def endpoint(step: Step) -> str:
    return "ivr." + step.value.replace("-", "_")


def action_url(step: Step, scene: Scene, **extra: Any) -> str:
    return url_for(endpoint(step), t=scene.turn, lang=scene.language or "", **extra)


def render(scene: Scene, speaker: Speaker) -> VoiceResponse:
    if scene.step in (Step.LANGUAGE, Step.MORE_LANGUAGES):
        return _language_menu(scene, speaker)
    assert scene.language is not None
    with force_locale(scene.language):
        return _RENDERERS.get(scene.step, _menu)(scene, speaker)


def _preface(scene: Scene) -> list[PromptLine]:
    lines: list[PromptLine] = []
    for name in scene.preface:
        lines += PREFACES[name]()
    return lines


def _gather(response: VoiceResponse, scene: Scene, **options: Any) -> Any:
    settings: dict[str, Any] = {"num_digits": 1, "finish_on_key": "", "timeout": ANSWER_SECONDS}
    settings.update(options)
    return response.gather(action=action_url(scene.step, scene), method="POST", **settings)


def _on_silence(response: VoiceResponse, scene: Scene) -> None:
    response.redirect(action_url(scene.step, scene, silence=1), method="POST")


def _language_menu(scene: Scene, speaker: Speaker) -> VoiceResponse:
    response = VoiceResponse()
    gather = _gather(response, scene)
    languages = scene.languages
    if scene.step == Step.LANGUAGE:
        keyed = languages.first_page_keys()
        starred = languages.second_page
    else:
        keyed, starred = languages.second_page_keys(), []
    first = next(iter(keyed.values()))
    with force_locale(first):
        speaker.say(gather, first, _preface(scene))
    for key, code in keyed.items():
        with force_locale(code):
            speaker.say(gather, code, [prompts.language_entry(BY_CODE[code].native_name, key)])
    for code in starred:
        with force_locale(code):
            speaker.say(gather, code, [prompts.language_entry(BY_CODE[code].native_name, "*")])
    with force_locale(first):
        common = [prompts.hear_again()]
        if scene.step == Step.MORE_LANGUAGES:
            common.append(prompts.go_back())
        speaker.say(gather, first, common)
    _on_silence(response, scene)
    return response


def _step_lines(scene: Scene) -> list[PromptLine]:
    step = scene.step
    if step == Step.START:
        return prompts.start_menu()
    if step == Step.DANGER_WHO:
        return prompts.danger_who_menu()
    if step == Step.CONCERN:
        return prompts.concern_menu(scene.page)
    if step == Step.ANOTHER:
        return prompts.another_menu()
    if step == Step.ABOUT:
        return prompts.about_menu()
    if step == Step.INJURED:
        return prompts.injured_menu()
    if step == Step.STAFF:
        return prompts.staff_menu()
    if step == Step.REVIEW:
        return prompts.review_menu()
    if step == Step.DANGER_AGAIN:
        return prompts.danger_again_menu()
    if step in _WISH_MENUS:
        return _WISH_MENUS[step]()
    if step == Step.FOLLOW_UP:
        assert scene.status is not None
        texts = {mid: STANDARD_MESSAGES_BY_ID[mid].text for mid in scene.message_ids}
        return [
            prompts.follow_up_status(scene.status),
            *prompts.follow_up_messages(scene.message_ids, texts),
            *prompts.follow_up_menu(),
            wish_prompts.feelings_offer(),
        ]
    raise ValueError(f"no menu for {step}")


_WISH_MENUS: dict[Step, Callable[[], list[PromptLine]]] = {
    Step.WISHES: wish_prompts.wishes_menu,
    Step.SHARING: wish_prompts.sharing_menu,
    Step.DOING: wish_prompts.doing_menu,
    Step.DID_WE: wish_prompts.did_we_menu,
    Step.SAFER: wish_prompts.safer_menu,
    Step.SAFE_NOW: wish_prompts.safe_now_menu,
}


def _menu(scene: Scene, speaker: Speaker) -> VoiceResponse:
    assert scene.language is not None
    response = VoiceResponse()
    gather = _gather(response, scene)
    speaker.say(gather, scene.language, _preface(scene))
    if scene.recording_url is not None:
        gather.play(scene.recording_url)
    common = [prompts.hear_again()]
    # At "Who is doing it?" 9 skips (it says so itself), it does not go back.
    no_back = (Step.REVIEW, Step.DANGER_AGAIN, Step.DOING, Step.SAFE_NOW)
    if scene.can_go_back and scene.step not in no_back:
        common.append(prompts.go_back())
    speaker.say(gather, scene.language, [*_step_lines(scene), *common])
    _on_silence(response, scene)
    return response


def _message(scene: Scene, speaker: Speaker) -> VoiceResponse:
    assert scene.language is not None
    response = VoiceResponse()
    speaker.say(response, scene.language, [*_preface(scene), *prompts.message_intro()])
    response.record(
        action=url_for("ivr.recorded", t=scene.turn, lang=scene.language),
        method="POST",
        max_length=scene.max_message_seconds,
        finish_on_key="#",
        play_beep=True,
        timeout=15,  # seconds of quiet before the recording stops: people pause to think
        trim="trim-silence",
        recording_status_callback=url_for("ivr.recording_status", lang=scene.language),
        recording_status_callback_method="POST",
        recording_status_callback_event="completed absent",
    )
    # Reached only when nothing was recorded (Twilio then skips the action).
    response.redirect(url_for("ivr.recorded", t=scene.turn, lang=scene.language, silence=1))
    return response


def _wing(scene: Scene, speaker: Speaker) -> VoiceResponse:
    assert scene.language is not None
    response = VoiceResponse()
    gather = _gather(response, scene)
    speaker.say(gather, scene.language, [*_preface(scene), prompts.wing_question()])
    for key, name in enumerate(scene.wing_names, start=1):
        if name is None:
            continue  # removed since the call began: its key does nothing now
        speaker.say(gather, WING_NAME_LANGUAGE, [PromptLine("wing.name", name)])
        speaker.say(gather, scene.language, [prompts.wing_key(str(key))])
    common = [prompts.wing_more()] if scene.more_wings else []
    common += [prompts.wing_not_sure(), prompts.hear_again(), prompts.go_back()]
    speaker.say(gather, scene.language, common)
    _on_silence(response, scene)
    return response


def _name(scene: Scene, speaker: Speaker) -> VoiceResponse:
    """Optional and short: # at once (or silence) skips it, and nothing is lost."""
    assert scene.language is not None
    response = VoiceResponse()
    speaker.say(response, scene.language, [*_preface(scene), *prompts.name_intro()])
    response.record(
        action=url_for("ivr.recorded", t=scene.turn, lang=scene.language, kind="name"),
        method="POST",
        max_length=prompts.NAME_SECONDS,
        finish_on_key="#",
        play_beep=True,
        timeout=5,
        trim="trim-silence",
        recording_status_callback=url_for("ivr.recording_status", lang=scene.language, kind="name"),
        recording_status_callback_method="POST",
        recording_status_callback_event="completed absent",
    )
    # Reached only when nothing was recorded (skipped with #, or silence).
    response.redirect(
        url_for("ivr.recorded", t=scene.turn, lang=scene.language, silence=1, kind="name")
    )
    return response


def _code(scene: Scene, speaker: Speaker) -> VoiceResponse:
    assert scene.language is not None and scene.code is not None
    response = VoiceResponse()
    gather = _gather(response, scene)
    speaker.say(gather, scene.language, [*_preface(scene), *prompts.code_intro()])
    _read_code(gather, scene.code, scene.language, speaker)
    speaker.say(gather, scene.language, [prompts.code_again()])
    _read_code(gather, scene.code, scene.language, speaker)
    speaker.say(gather, scene.language, prompts.code_after())
    _on_silence(response, scene)
    return response


def _read_code(verb: Any, code: str, language: str, speaker: Speaker) -> None:
    """Digit by digit, in groups of four with a pause: the code is never rendered whole,
    so no audio file on disk holds it."""
    for chunk in group(code):
        speaker.say(verb, language, [prompts.digit(d) for d in chunk])
        verb.pause(length=1)


def _code_entry(scene: Scene, speaker: Speaker) -> VoiceResponse:
    assert scene.language is not None
    response = VoiceResponse()
    gather = _gather(response, scene, num_digits=12, finish_on_key="#")
    speaker.say(gather, scene.language, [*_preface(scene), *prompts.code_entry()])
    _on_silence(response, scene)
    return response


def _secret_entry(scene: Scene, speaker: Speaker) -> VoiceResponse:
    assert scene.language is not None
    response = VoiceResponse()
    gather = _gather(response, scene, num_digits=4, finish_on_key="#")
    speaker.say(gather, scene.language, [*_preface(scene), *pin_prompts.secret_entry()])
    _on_silence(response, scene)
    return response


def _goodbye(scene: Scene, speaker: Speaker) -> VoiceResponse:
    assert scene.language is not None
    response = VoiceResponse()
    speaker.say(response, scene.language, [*_preface(scene), *prompts.goodbye()])
    response.hangup()
    return response


def cannot_take(language: str, speaker: Speaker) -> VoiceResponse:
    """When nothing could be stored: say so, and say where else to go. Never "received"."""
    response = VoiceResponse()
    with force_locale(language):
        speaker.say(response, language, [*prompts.cannot_take(), *prompts.goodbye()])
    response.hangup()
    return response


def not_in_service() -> VoiceResponse:
    """A number nobody has set up: no language is known, so English, briefly."""
    response = VoiceResponse()
    with force_locale("en"):
        # Translators: phone line, a number that is not linked to any prison yet.
        response.say(_("Sorry, this safeguarding line is not set up yet."), language="en-GB")
    response.hangup()
    return response


_RENDERERS: dict[Step, Callable[[Scene, Speaker], VoiceResponse]] = {
    Step.MESSAGE: _message,
    Step.WING: _wing,
    Step.NAME: _name,
    Step.CODE: _code,
    Step.CODE_ENTRY: _code_entry,
    Step.PIN_ENTRY: _secret_entry,
    Step.GOODBYE: _goodbye,
}
