"""What each kiosk question says and shows: the question, its choices, their pictures.

Texts are marked with ``_l`` and rendered in the reader's language. The answers a choice
stands for are the safeguarding catalogue's ids (see safeguarding.drafts): this module
only says how to put them on a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from kiosk.context import KioskPlace
from safeguarding.catalogue import CONCERNS
from safeguarding.drafts import ELSEWHERE, QUESTIONS
from translations.i18n import _


def offers_send_now(screen: str) -> bool:
    """Screens whose top bar has "Send now" once someone is in danger: every question."""
    return screen in QUESTIONS


@dataclass(frozen=True)
class Choice:
    value: str
    label: Any  # a lazy translated string, or a place name
    icon: str  # file in kiosk/static/icons
    alt: Any  # what the picture shows, translated


@dataclass(frozen=True)
class Screen:
    id: str
    kind: str  # single | multi | text | identity
    title: Any
    hint: Any | None
    summary: Any  # the short name of the question on "check your answers"


SCREENS: dict[str, Screen] = {
    screen.id: screen
    for screen in (
        Screen(
            "danger",
            "single",
            # Translators: kiosk question, first screen of a report: the reporter or any other
            # person (a cellmate, a friend) in danger at this moment.
            _l("Is anyone in danger right now?"),
            None,
            # Translators: kiosk, check your answers: the short name of a question.
            _l("In danger now"),
        ),
        Screen(
            "what",
            "multi",
            # Translators: kiosk question; the prisoner picks what is wrong.
            _l("What is happening?"),
            # Translators: kiosk hint under "What is happening?".
            _l("Choose all that are true."),
            # Translators: kiosk, check your answers: the short name of a question.
            _l("What is happening"),
        ),
        Screen(
            "hurt",
            "single",
            # Translators: kiosk question and phone line: is the reporter or anyone else
            # injured (hurt in their body) by what happened.
            _l("Is anyone hurt?"),
            None,
            # Translators: kiosk, check your answers: the short name of a question.
            _l("Anyone hurt"),
        ),
        Screen(
            "who",
            "single",
            # Translators: kiosk question: is the report about the reporter or another person.
            _l("Is this about you or someone else?"),
            None,
            # Translators: kiosk, check your answers: the short name of a question.
            _l("Who it is about"),
        ),
        Screen(
            "staff",
            "single",
            # Translators: kiosk question: is a prison officer or other staff part of it.
            _l("Is a member of staff involved?"),
            None,
            # Translators: kiosk, check your answers: the short name of a question.
            _l("Staff involved"),
        ),
        Screen(
            "where",
            "single",
            # Translators: kiosk question: which wing or place.
            _l("Where did it happen?"),
            None,
            # Translators: kiosk, check your answers: the short name of a question.
            _l("Where"),
        ),
        Screen(
            "when",
            "single",
            # Translators: kiosk question.
            _l("When did it happen?"),
            None,
            # Translators: kiosk, check your answers: the short name of a question.
            _l("When"),
        ),
        Screen(
            "more",
            "text",
            # Translators: kiosk question: an optional box to type more.
            _l("Do you want to tell us more?"),
            # Translators: kiosk hint: typing more is optional.
            _l("You do not have to. You can skip this."),
            # Translators: kiosk, check your answers: the short name of a question.
            _l("More information"),
        ),
        Screen(
            "contact",
            "single",
            # Translators: kiosk question: may the safeguarding team come and talk to them.
            _l("Do you want someone to talk to you about this?"),
            None,
            # Translators: kiosk, check your answers: the short name of a question.
            _l("Contact"),
        ),
        Screen(
            "identity",
            "identity",
            # Translators: kiosk question: the prisoner gives their name and prison number.
            _l("Your name and prison number"),
            # Translators: kiosk hint under the name and prison number boxes.
            _l("Only the safeguarding team will see this."),
            # Translators: kiosk, check your answers: the short name of a question.
            _l("Your name"),
        ),
    )
}

CONCERN_ICONS = {concern.id: f"concern-{concern.id.replace('_', '-')}.svg" for concern in CONCERNS}
CONCERN_ALTS: dict[str, Any] = {
    # Translators: description of a picture on the kiosk (alt text).
    "hurting_me": _l("Picture: a person being hit."),
    # Translators: description of a picture on the kiosk (alt text).
    "threatening_me": _l("Picture: an angry face shouting."),
    # Translators: description of a picture on the kiosk (alt text).
    "sexual": _l("Picture: a hand saying stop."),
    # Translators: description of a picture on the kiosk (alt text).
    "made_to_pay": _l("Picture: coins being taken."),
    # Translators: description of a picture on the kiosk (alt text).
    "made_to_work": _l("Picture: a person carrying a heavy box."),
    # Translators: description of a picture on the kiosk (alt text).
    "fake_friend": _l("Picture: a smiling mask."),
    # Translators: description of a picture on the kiosk (alt text).
    "bullied": _l("Picture: a speech bubble with a bad word."),
    # Translators: description of a picture on the kiosk (alt text).
    "picked_on": _l("Picture: a person with fingers pointing at them."),
    # Translators: description of a picture on the kiosk (alt text).
    "no_care": _l("Picture: a medicine bottle."),
    # Translators: description of a picture on the kiosk (alt text).
    "cannot_cope": _l("Picture: an empty plate."),
    # Translators: description of a picture on the kiosk (alt text).
    "hurting_myself": _l("Picture: a heart with a plaster."),
    # Translators: description of a picture on the kiosk (alt text).
    "staff_bad": _l("Picture: an officer's cap."),
    # Translators: description of a picture on the kiosk (alt text).
    "family_hurting": _l("Picture: a house with a broken heart."),
    # Translators: description of a picture on the kiosk (alt text).
    "worried_someone_else": _l("Picture: a person pointing to another person."),
    # Translators: description of a picture on the kiosk (alt text).
    "something_else": _l("Picture: a question mark."),
}

_FIXED_CHOICES: dict[str, tuple[Choice, ...]] = {
    "danger": (
        Choice(
            "yes",
            # Translators: kiosk answer to "Is anyone in danger right now?".
            _l("Yes. I am in danger now."),
            "danger-yes.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a warning sign."),
        ),
        Choice(
            "someone_else",
            # Translators: kiosk answer to "Is anyone in danger right now?": another person is.
            _l("Yes. Someone else is in danger now."),
            "who-someone-else.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a person pointing to another person."),
        ),
        Choice(
            "no",
            # Translators: kiosk answer to "Is anyone in danger right now?".
            _l("No. Not right now."),
            "danger-no.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a safe shield."),
        ),
    ),
    "hurt": (
        Choice(
            "yes",
            # Translators: kiosk answer to "Is anyone hurt?".
            _l("Yes. Someone is hurt."),
            "concern-hurting-myself.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a heart with a plaster."),
        ),
        Choice(
            "no",
            # Translators: kiosk answer to "Is anyone hurt?".
            _l("No. Nobody is hurt."),
            "danger-no.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a safe shield."),
        ),
    ),
    "who": (
        Choice(
            "me",
            # Translators: kiosk answer to "Is this about you or someone else?".
            _l("It is about me."),
            "who-me.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: one person."),
        ),
        Choice(
            "someone_else",
            # Translators: kiosk answer to "Is this about you or someone else?".
            _l("It is about someone else."),
            "who-someone-else.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a person pointing to another person."),
        ),
    ),
    "staff": (
        Choice(
            "yes",
            # Translators: kiosk answer to "Is a member of staff involved?".
            _l("Yes."),
            "staff-yes.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: an officer's cap with a tick."),
        ),
        Choice(
            "no",
            # Translators: kiosk answer to "Is a member of staff involved?".
            _l("No."),
            "staff-no.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: an officer's cap crossed out."),
        ),
        Choice(
            "not_sure",
            # Translators: kiosk answer to "Is a member of staff involved?".
            _l("I am not sure."),
            "staff-not-sure.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: an officer's cap with a question mark."),
        ),
    ),
    "when": (
        Choice(
            "today",
            # Translators: kiosk answer to "When did it happen?".
            _l("Today."),
            "when-today.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: the sun."),
        ),
        Choice(
            "this_week",
            # Translators: kiosk answer to "When did it happen?".
            _l("This week."),
            "when-this-week.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a calendar."),
        ),
        Choice(
            "longer_ago",
            # Translators: kiosk answer to "When did it happen?".
            _l("Longer ago."),
            "when-longer-ago.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a calendar with an arrow going back."),
        ),
        Choice(
            "keeps_happening",
            # Translators: kiosk answer to "When did it happen?".
            _l("It keeps happening."),
            "when-keeps-happening.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: arrows going round and round."),
        ),
    ),
    "contact": (
        Choice(
            "anonymous",
            # Translators: kiosk answer: the prisoner does not want to give their name.
            _l("No. Keep my name secret."),
            "contact-anonymous.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a person with a hidden face."),
        ),
        Choice(
            "contact_me",
            # Translators: kiosk answer: the prisoner will give their name to be contacted.
            _l("Yes. I will give my name."),
            "contact-me.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: two people talking."),
        ),
    ),
}


def choices_for(question: str, kiosk_place: KioskPlace) -> tuple[Choice, ...]:
    if question == "what":
        return tuple(
            Choice(c.id, _(c.label), CONCERN_ICONS[c.id], CONCERN_ALTS[c.id]) for c in CONCERNS
        )
    if question == "where":
        # Translators: description of a picture on the kiosk (alt text) next to a place name.
        place_alt = _l("Picture: a building.")
        places = tuple(
            Choice(str(location_id), name, "where-place.svg", place_alt)
            for location_id, name in kiosk_place.locations
        )
        elsewhere = Choice(
            ELSEWHERE,
            # Translators: kiosk answer to "Where did it happen?".
            _l("Somewhere else, or I am not sure."),
            "where-elsewhere.svg",
            # Translators: description of a picture on the kiosk (alt text).
            _l("Picture: a map pin with a question mark."),
        )
        return (*places, elsewhere)
    return _FIXED_CHOICES.get(question, ())


@dataclass(frozen=True)
class ShownAnswer:
    """An answer on "check your answers": its words and the picture of the choice."""

    label: str
    icon: str  # file in kiosk/static/icons


def answers_shown(question: str, answer: object, kiosk_place: KioskPlace) -> list[ShownAnswer]:
    """How an answer reads and looks on "check your answers" (free text shown as typed)."""
    if question == "more" and answer:
        return [ShownAnswer(str(answer), "more.svg")]
    if question == "more":
        # Translators: kiosk, check your answers, when nothing more was typed.
        return [ShownAnswer(_("Nothing more."), "skip.svg")]
    if question == "identity" and isinstance(answer, dict):
        given = (answer.get("name"), answer.get("prison_number"))
        return [ShownAnswer(value, "contact-me.svg") for value in given if value]
    chosen = answer if isinstance(answer, list) else [answer]
    choices = {choice.value: choice for choice in choices_for(question, kiosk_place)}
    return [
        ShownAnswer(str(choices[value].label), choices[value].icon)
        for value in chosen
        if value in choices
    ]


def answer_labels(question: str, answer: object, kiosk_place: KioskPlace) -> list[str]:
    return [shown.label for shown in answers_shown(question, answer, kiosk_place)]


# A question with more choices than this shows them in three columns of denser cards, so
# every choice and Continue fit on the kiosk's 1280 x 1024 screen (see docs/kiosk.md).
DENSE_FROM = 6
