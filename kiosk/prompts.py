"""Every sentence the kiosk's Listen button can say, as recordable prompts.

Listen speaks each screen sentence by sentence (kiosk.listen). Where a language has no
computer voice (Somali), each sentence needs a person's recording, kept in the database
like the phone line's (speech.overrides): the establishment's own, else the
installation's. ``kiosk_inventory`` lists them all, so that ``safereport audio script``
and the prompts page offer them for recording and Listen can tell whether a language has
audio for every screen. Call it inside ``force_locale(language)``.

A sentence is recorded once for every door: recordings are keyed by the sentence itself,
so a digit or a sentence the phone line also says shares one recording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial

from kiosk import keep_words, people_words, voice_words, wishes_words, words
from kiosk.context import KioskPlace
from kiosk.screens import SCREENS, choices_for
from kiosk.text import SPOKEN_PROBLEMS, problem_heading
from safeguarding.code_secrets import PICTURES, PIN
from safeguarding.drafts import QUESTIONS
from safeguarding.followup import REPORTER_STATUS_TEXT
from safeguarding.messages import STANDARD_MESSAGES
from safeguarding.policy import Policy
from speech.inventory import PromptLine
from translations.i18n import _, current_language_code
from translations.languages import BY_CODE

DIGITS = tuple(str(digit) for digit in range(10))  # a code is read digit by digit

_FIXED_SCREENS: dict[str, Callable[[], dict[str, str]]] = {
    "menu": words.menu,
    "carry_on": words.carry_on,
    "more_help": words.more_help,
    "identity": words.identity,
    "check": words.check,
    "check_spoken": words.check_spoken,
    "finish": words.finish,
    "status": words.status,
    "code": words.code_entry,
    "add": words.add,
    "added": words.added,
    "added_urgent": words.added_urgent,
    "warning": words.warning,
    "voice": voice_words.voice,
    "voice_problems": voice_words.voice_problems,
    "keep_offer": keep_words.keep_offer,
    "keep_pictures": partial(keep_words.keep_choose, PICTURES),
    "keep_pin": partial(keep_words.keep_choose, PIN),
    "keep_done": keep_words.keep_done,
    "secret_pictures": partial(keep_words.secret_entry, PICTURES),
    "secret_pin": partial(keep_words.secret_entry, PIN),
    "picture": keep_words.picture_names,
    "wishes_offer": wishes_words.wishes_offer,
    "wishes_wants": wishes_words.wants,
    "wishes_sharing": wishes_words.sharing,
    "feelings_did_we": wishes_words.did_we,
    "feelings_safer": wishes_words.safer,
    "safe_now": wishes_words.safe_now,
    "wishes_thanks": wishes_words.thanks,
    "wishes_skip": lambda: {"skip": wishes_words.skip()},
    **{
        f"wishes_{question}_choice": partial(wishes_words.labels, question)
        for question in wishes_words.LABELS
    },
    "people_offer": people_words.people_offer,
    **{f"people_{role}": ask for role, ask in people_words.QUESTIONS.items()},
    **{f"people_{role}_choice": partial(people_words.labels, role) for role in people_words.ICONS},
    **{
        f"people_{role}_name": partial(people_words.name_screen, role)
        for role in people_words.ICONS
    },
    "people_identifier": people_words.identifier_labels,
    "people_box": lambda: {"box": people_words.box_label()},
    "people_problem": people_words.problems,
}


def respond_times(policy: Policy) -> list[timedelta]:
    """Every "they will look at it within ..." the Sent screen can say under the policy."""
    return [clock.acknowledge_within or clock.triage_within for clock in policy.clocks.values()]


def kiosk_inventory(place: KioskPlace, respond_within: Iterable[timedelta]) -> list[PromptLine]:
    """The sentences Listen says at ``place`` in the current language, each once."""
    found: dict[str, PromptLine] = {}

    def add(prompt_id: str, text: object) -> None:
        spoken = str(text or "")
        if spoken and spoken not in found:
            found[spoken] = PromptLine(prompt_id, spoken)

    language = BY_CODE.get(current_language_code())
    if language is not None:
        add("kiosk.language.name", language.native_name)
    add("kiosk.language.invitation", words.invitation())
    add("kiosk.send_now.help", words.send_now())
    for question in QUESTIONS:
        screen = SCREENS[question]
        add(f"kiosk.{question}.title", screen.title)
        add(f"kiosk.{question}.hint", screen.hint)
        add(f"kiosk.{question}.summary", screen.summary)
        for choice in choices_for(question, place):
            add(f"kiosk.{question}.choice.{choice.value}", choice.label)
    for group, group_words in _FIXED_SCREENS.items():
        for key, text in group_words().items():
            add(f"kiosk.{group}.{key}", text)
    _add_place_screens(add, place, respond_within)
    for status, text in REPORTER_STATUS_TEXT.items():
        add(f"kiosk.report_status.{status}", _(text))
    for message in STANDARD_MESSAGES:
        add(f"kiosk.message.{message.id}", _(message.text))
    for digit in DIGITS:
        add(f"kiosk.digit.{digit}", digit)
    add("kiosk.problem.heading", problem_heading())
    for name, problem in SPOKEN_PROBLEMS.items():
        add(f"kiosk.problem.{name}", problem())
    return list(found.values())


def _add_place_screens(add: object, place: KioskPlace, respond_within: Iterable[timedelta]) -> None:
    """The screens whose sentences name the establishment's phone line or the policy's times."""
    assert callable(add)
    number = place.phone_number
    for within in sorted(set(respond_within)):
        for urgent in (False, True):
            for key, text in words.sent(within, number, urgent=urgent).items():
                add(f"kiosk.sent.{key}", text)
    for key, text in words.not_sent(number).items():
        add(f"kiosk.not_sent.{key}", text)
    for key, text in words.too_many_reports(number).items():
        add(f"kiosk.too_many.{key}", text)
