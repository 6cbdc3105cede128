""" "Listen": each screen read aloud in the person's language.

Every sentence is rendered on its own by speech/ (pyttsx3 over espeak-ng, cached), and a
screen's audio is those sentences joined in memory. Only fixed, generic sentences ever
reach the audio cache on disk: what a person typed is never spoken, and the follow-up
code is spoken digit by digit from ten cached clips, so no file anywhere holds a code or
a combination of answers.
"""

from __future__ import annotations

import io
import logging
import wave
from array import array
from collections.abc import Callable
from functools import partial
from pathlib import Path

from flask import Blueprint, abort, g, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from werkzeug.wrappers import Response

from kiosk import keep_words, people_words, voice_words, wishes_words, words
from kiosk.context import current_draft, kiosk_config, needs_draft, place, services
from kiosk.prompts import kiosk_inventory, respond_times
from kiosk.screens import SCREENS, answer_labels, choices_for, offers_send_now
from kiosk.text import SPOKEN_PROBLEMS, problem_heading
from kiosk.views_code import said_in_danger
from kiosk.views_keep import pending_kind
from kiosk.views_voice import voice_kept
from kiosk.views_wishes import feelings_asked
from safeguarding.code_secrets import PICTURE_NAMES, PICTURES, PIN
from safeguarding.draft_sending import sent_receipt
from safeguarding.drafts import QUESTIONS, may_send_now, questions_for
from safeguarding.followup import REPORTER_STATUS_TEXT, reporter_view_of
from safeguarding.kiosk_people import identifier_kinds
from safeguarding.people import AT_RISK, CAUSING_HARM
from safeguarding.prompt_recordings import StoredPrompts
from speech.render import NoVoice, SpeechRenderer, has_voice
from translations.i18n import _
from translations.languages import BY_CODE

log = logging.getLogger("safereport.kiosk")
PAUSE_SECONDS = 0.4


class AudioMismatch(Exception):
    """A clip is not 16-bit mono audio and cannot simply be joined to the others."""


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/listen/<screen>", view_func=listen, methods=["GET"])
    bp.add_url_rule("/listen/language/<code>", view_func=listen_language, methods=["GET"])


@needs_draft
def listen(screen: str) -> ResponseReturnValue:
    script = _SCRIPTS.get(screen)
    if script is None:
        abort(404)
    problem = SPOKEN_PROBLEMS.get(request.args.get("problem", ""))
    first = [problem_heading(), problem()] if problem is not None else []
    voice = _voice_script() if screen in ("more", "add") and request.args.get("voice") else []
    return _audio_response([*first, *script(), *voice], g.language)


def _voice_script() -> list[str]:
    """Say it instead of typing: voice.js asks for it only where a microphone was found."""
    said = voice_words.voice()
    if voice_kept():
        return [said["intro"], said["kept"], said["listen"], said["again"], said["delete"]]
    return [said["intro"], said["record"]]


def listen_language(code: str) -> ResponseReturnValue:
    """The start screen's speaker button: a language's name and an invitation, in itself."""
    if code not in place().language_codes:
        abort(404)
    with force_locale(code):
        invitation = words.invitation()
    return _audio_response([BY_CODE[code].native_name, invitation], code)


def renderer() -> SpeechRenderer:
    """What this kiosk's establishment plays: its own recordings, else the installation's,
    else the computer voice. Read from the database once per request."""
    found: SpeechRenderer | None = g.get("kiosk_renderer")
    if found is None:
        found = SpeechRenderer(
            kiosk_config().audio_cache_path,
            recordings=StoredPrompts(services().db),
            establishment_id=place().establishment_id,
        )
        g.kiosk_renderer = found
    return found


def listen_available(language: str) -> bool:
    """Whether every sentence Listen can say here has audio in this language. Where not
    (Somali before its kiosk prompts are recorded), the Listen button is not shown at all:
    a button that answers "no sound" on some screens would be worse than none."""
    if has_voice(language):
        return True  # no need to read every sentence: the computer voice says them all
    cached: dict[str, bool] = g.setdefault("kiosk_listen_available", {})
    if language not in cached:
        speaker = renderer()
        with force_locale(language):
            lines = kiosk_inventory(place(), respond_times(services().policy))
        cached[language] = all(speaker.has_audio(line.text, language) for line in lines)
    return cached[language]


def speaks_its_name(language: str) -> bool:
    """Whether the start screen's speaker button for this language has audio."""
    speaker = renderer()
    with force_locale(language):
        sentences = [BY_CODE[language].native_name, words.invitation()]
    return all(speaker.has_audio(text, language) for text in sentences)


def _audio_response(sentences: list[str], language: str) -> ResponseReturnValue:
    try:
        speaker = renderer()
        # The renderer's computer voice reads phone numbers digit by digit (speech.numbers).
        clips = [speaker.audio_for(text, language, fmt="wav") for text in sentences if text]
        body = join_wav(clips, pause=PAUSE_SECONDS)
    except NoVoice:
        return "", 404
    except AudioMismatch:
        log.error("kiosk audio clips in different formats for %s", language)
        return "", 503
    return Response(body, mimetype="audio/wav")


def join_wav(clips: list[Path], *, pause: float) -> bytes:
    """One WAV of the clips in order with a short silence between them.

    Clips are 16-bit mono (speech/ trims every clip to that); a recorded prompt may have
    another sample rate than espeak-ng's, so clips are brought to the first clip's rate.
    """
    out = io.BytesIO()
    rate = 0
    with wave.open(out, "wb") as joined:
        joined.setnchannels(1)
        joined.setsampwidth(2)
        for index, clip in enumerate(clips):
            with wave.open(str(clip), "rb") as source:
                if (source.getnchannels(), source.getsampwidth()) != (1, 2):
                    raise AudioMismatch()
                frames = source.readframes(source.getnframes())
                if not rate:
                    rate = source.getframerate()
                    joined.setframerate(rate)
                elif source.getframerate() != rate:
                    frames = _resample(frames, source.getframerate(), rate)
            if index:
                joined.writeframes(b"\0" * (int(rate * pause) * 2))
            joined.writeframes(frames)
    return out.getvalue()


def _resample(frames: bytes, from_rate: int, to_rate: int) -> bytes:
    """Linear interpolation between 16-bit samples: plenty for speech through headphones."""
    samples = array("h", frames)
    if not samples:
        return b""
    count = max(1, len(samples) * to_rate // from_rate)
    step = (len(samples) - 1) / max(count - 1, 1)
    out = array("h")
    for i in range(count):
        position = i * step
        low = int(position)
        high = min(low + 1, len(samples) - 1)
        fraction = position - low
        out.append(int(samples[low] + (samples[high] - samples[low]) * fraction))
    return out.tobytes()


def _question_script(question: str) -> list[str]:
    screen = SCREENS[question]
    sentences = [str(screen.title), str(screen.hint or "")]
    if screen.kind == "text":
        sentences.append(words.more_help()["label"])
    elif screen.kind == "identity":
        sentences += list(words.identity().values())
    sentences += [str(choice.label) for choice in choices_for(question, place())]
    sentences += _buttons_under(screen.kind)
    draft = current_draft()
    if draft is not None and may_send_now(draft.state) and offers_send_now(question):
        sentences.append(words.send_now())
    return sentences


def _buttons_under(kind: str) -> list[str]:
    """Continue (and Skip) where touching a choice does not go on by itself."""
    carry_on = words.carry_on()
    if kind == "text":
        return [carry_on["continue"], carry_on["skip"]]
    return [carry_on["continue"]] if kind in ("multi", "identity") else []


def _menu_script() -> list[str]:
    return list(words.menu().values())


def _check_script() -> list[str]:
    draft = current_draft()
    assert draft is not None
    said = words.check()
    instead = words.check_spoken()
    sentences = [said["title"]]
    for question in questions_for(draft.state):
        sentences.append(str(SCREENS[question].summary))
        if question == "more":
            # Never speak what was typed: someone else may be near the screen.
            typed = draft.state.answers.get("more")
            sentences.append(instead["typed"] if typed else instead["nothing"])
        elif question == "identity":
            sentences.append(instead["name"])
        else:
            answer = draft.state.answers.get(question)
            sentences += answer_labels(question, answer, place())
    return [*sentences, said["change_help"], said["send_help"], said["send"]]


def _sent_script() -> list[str]:
    draft = current_draft()
    assert draft is not None
    svc = services()
    with svc.db.transaction() as session:
        receipt = sent_receipt(session, draft, svc.secrets.code_pepper)
    if receipt is None:
        abort(404)
    said = words.sent(receipt.respond_within, place().phone_number, urgent=receipt.urgent)
    after_code = [text for key, text in said.items() if key not in ("title", "code_intro")]
    # Each digit is its own cached clip: the code is never rendered as one piece of audio.
    digits = list(receipt.code)
    # "Keep your code safe" is said in ``keep``; then the offer of issue 15.1, then Finish.
    offers = [wishes_words.wishes_offer()["offer"], people_words.people_offer()["offer"]]
    finish = list(words.finish().values())
    return [said["title"], said["code_intro"], *digits, *after_code, *offers, *finish]


def _status_script() -> list[str]:
    draft = current_draft()
    assert draft is not None
    with services().db.transaction() as session:
        view = reporter_view_of(session, draft.state.followup_report_id)
    if view is None:
        abort(404)
    said = words.status()
    messages = [_(message.text) for message in view.messages] or [said["no_messages"]]
    status = _(REPORTER_STATUS_TEXT[view.status])
    finish = words.finish()["finish"]
    ask = [] if feelings_asked(draft) else [wishes_words.did_we()["title"]]
    return [said["title"], status, said["messages_title"], *messages, *ask, said["add"], finish]


def _added_script() -> list[str]:
    draft = current_draft()
    assert draft is not None
    sentences = list(words.added().values())
    if said_in_danger(draft, services().secrets.code_pepper):
        now = words.urgent_now(place().phone_number)
        sentences += [now["urgent_title"], *words.added_urgent().values()]
        sentences += [text for key, text in now.items() if key != "urgent_title"]
    return [*sentences, *words.finish().values()]


def _keep_script(kind: str, *, setting: bool) -> list[str]:
    """Choosing, or being asked for, 4 pictures or numbers: what is on the screen, the
    pictures touched so far by name (numbers being asked for are never said), the grid."""
    draft = current_draft()
    assert draft is not None
    said = keep_words.keep_choose(kind) if setting else keep_words.secret_entry(kind)
    names = keep_words.picture_names()
    touched = draft.state.keeping if setting or kind == PICTURES else []
    chosen = [names.get(item, item) for item in touched]
    grid = list(names.values()) if kind == PICTURES else []
    rest = [text for key, text in said.items() if key not in ("title", "hint", "chosen")]
    return [said["title"], said["hint"], said["chosen"], *chosen, *grid, *rest]


def _secret_script() -> list[str]:
    draft = current_draft()
    assert draft is not None
    kind = pending_kind(draft)
    if kind is None:
        abort(404)
    return _keep_script(kind, setting=False)


def _picture_name(key: str) -> list[str]:
    return [keep_words.picture_names()[key]]


def _wishes_script(question: str) -> list[str]:
    """A wishes or feelings question (issue 15.1): what it asks, every choice, the buttons."""
    said = list(wishes_words.QUESTIONS[question]().values())
    buttons = [words.carry_on()["continue"]] if question == "wants" else []
    return [*said, *wishes_words.labels(question).values(), *buttons, wishes_words.skip()]


def _safe_now_told_script() -> list[str]:
    """After "No" to "Are you safe now?" (issue 15.5): saved, urgent, what to do now."""
    now = words.urgent_now(place().phone_number)
    urgent = [text for key, text in now.items() if key != "urgent_title"]
    return [
        wishes_words.thanks()["title"], now["urgent_title"], *words.added_urgent().values(),
        *urgent, words.carry_on()["continue"], *words.finish().values(),
    ]  # fmt: skip


def _people_script(role: str) -> list[str]:
    """Who is being hurt, or who is doing it (issue 14): the question, every choice, Skip."""
    said = list(people_words.QUESTIONS[role]().values())
    return [*said, *people_words.labels(role).values(), wishes_words.skip()]


def _people_name_script(role: str) -> list[str]:
    """The name box (issue 14): what it asks, what may be typed, the box, the buttons."""
    kinds = identifier_kinds(role, "someone_else" if role == AT_RISK else "prisoner")
    labels = [people_words.identifier_labels()[kind] for kind in kinds]
    buttons = [words.carry_on()["continue"], wishes_words.skip()]
    return [*people_words.name_screen(role).values(), *labels, people_words.box_label(), *buttons]


def _fixed(screen_words: Callable[[], dict[str, str]]) -> Callable[[], list[str]]:
    return lambda: list(screen_words().values())


_SCRIPTS: dict[str, Callable[[], list[str]]] = {
    **{question: partial(_question_script, question) for question in QUESTIONS},
    "menu": _menu_script,
    "check": _check_script,
    "sent": _sent_script,
    "status": _status_script,
    "code": _fixed(words.code_entry),
    "add": _fixed(words.add),
    "added": _added_script,
    "warning": _fixed(words.warning),
    "not_sent": lambda: list(words.not_sent(place().phone_number).values()),
    "too_many": lambda: list(words.too_many_reports(place().phone_number).values()),
    "keep_offer": _fixed(keep_words.keep_offer),
    "keep_pictures": partial(_keep_script, PICTURES, setting=True),
    "keep_pin": partial(_keep_script, PIN, setting=True),
    "keep_done": lambda: [*keep_words.keep_done().values(), *words.finish().values()],
    "secret": _secret_script,
    "wishes_wants": partial(_wishes_script, "wants"),
    "wishes_sharing": partial(_wishes_script, "sharing"),
    "feelings_did_we": partial(_wishes_script, "did_we"),
    "feelings_safer": partial(_wishes_script, "safer"),
    "safe_now": partial(_wishes_script, "safe_now"),
    "safe_now_told": _safe_now_told_script,
    "wishes_thanks": lambda: [*wishes_words.thanks().values(), *words.finish().values()],
    "people_at_risk": partial(_people_script, AT_RISK),
    "people_causing_harm": partial(_people_script, CAUSING_HARM),
    "people_at_risk_name": partial(_people_name_script, AT_RISK),
    "people_causing_harm_name": partial(_people_name_script, CAUSING_HARM),
    "people_thanks": lambda: [*wishes_words.thanks().values(), *words.finish().values()],
    "feelings_thanks": lambda: [*wishes_words.thanks().values(), *words.finish().values()],
    # Said as each picture is touched (kiosk.js), through the headphones.
    **{f"picture-{key}": partial(_picture_name, key) for key in PICTURE_NAMES},
}
