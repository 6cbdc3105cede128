"""The sentences of the screens that ask who a report is about (issue 14), after Sent, written
once for the screen and for "Listen". Easy Read. The answers' keys are
safeguarding.kiosk_people's own."""

from __future__ import annotations

from collections.abc import Callable

from safeguarding.identifiers import NAME, PRISON_NUMBER
from safeguarding.people import AT_RISK, CAUSING_HARM
from translations.i18n import _

# The picture of each choice, by question and key (kiosk/static/icons/).
ICONS = {
    AT_RISK: {
        "me": "who-me.svg",
        "someone_else": "who-someone-else.svg",
        "not_known": "person-not-known.svg",
        "not_saying": "person-not-saying.svg",
    },
    CAUSING_HARM: {
        "prisoner": "person-prisoner.svg",
        "staff": "person-staff.svg",
        "outside": "person-outside.svg",
        "not_known": "person-not-known.svg",
        "not_saying": "person-not-saying.svg",
    },
}


def _not_known() -> str:
    # Translators: kiosk, an answer to "Who is being hurt?" or "Who is doing it?", said
    # by the prisoner.
    return _("I do not know")


def _not_saying() -> str:
    # Translators: kiosk, an answer to "Who is being hurt?" or "Who is doing it?", said
    # by the prisoner: they choose not to tell.
    return _("I do not want to say")


def labels(question: str) -> dict[str, str]:
    """The choices of a question in the reader's language, by key, in their fixed order."""
    if question == AT_RISK:
        return {
            # Translators: kiosk, an answer to "Who is being hurt?", said by the prisoner.
            "me": _("Me"),
            # Translators: kiosk, an answer to "Who is being hurt?": another person.
            "someone_else": _("Someone else"),
            "not_known": _not_known(),
            "not_saying": _not_saying(),
        }
    return {
        # Translators: kiosk, an answer to "Who is doing it?": another prisoner.
        "prisoner": _("A prisoner"),
        # Translators: kiosk, an answer to "Who is doing it?": someone who works in the prison.
        "staff": _("A member of staff"),
        # Translators: kiosk, an answer to "Who is doing it?": a visitor, family, a gang
        # outside the prison.
        "outside": _("Someone from outside"),
        "not_known": _not_known(),
        "not_saying": _not_saying(),
    }


def people_offer() -> dict[str, str]:
    return {
        # Translators: kiosk, button on the Sent screen (optional): say who is being hurt
        # and who is doing it. Easy Read.
        "offer": _("Tell us who it is about"),
    }


def at_risk() -> dict[str, str]:
    return {
        # Translators: kiosk screen title after a report is sent: who is being harmed.
        "title": _("Who is being hurt?"),
        # Translators: kiosk hint: touching an answer goes on to the next screen.
        "hint": _("Touch your answer."),
    }


def causing_harm() -> dict[str, str]:
    return {
        # Translators: kiosk screen title after a report is sent: who is causing the harm.
        "title": _("Who is doing it?"),
        # Translators: kiosk hint: touching an answer goes on to the next screen.
        "hint": _("Touch your answer."),
    }


# Each question's title and hint, by role.
QUESTIONS: dict[str, Callable[[], dict[str, str]]] = {
    AT_RISK: at_risk,
    CAUSING_HARM: causing_harm,
}


def name_screen(role: str) -> dict[str, str]:
    """The screen that may take a name or prison number for the person just chosen."""
    if role == AT_RISK:
        # Translators: kiosk screen title: the person being hurt, if they know who it is.
        title = _("Who is being hurt? You can tell us their name.")
    else:
        # Translators: kiosk screen title: the person doing it, if they know who it is.
        title = _("Who is doing it? You can tell us their name.")
    return {
        "title": title,
        # Translators: kiosk hint under the name box: giving a name is optional.
        "hint": _("You do not have to. You can skip this."),
    }


def identifier_labels() -> dict[str, str]:
    """The choice of what is typed in the box, by safeguarding.identifiers kind."""
    return {
        # Translators: kiosk, choice above a text box: the person's name will be typed.
        NAME: _("Name"),
        # Translators: kiosk, choice above a text box: the person's prison number (like
        # A1234BC) will be typed.
        PRISON_NUMBER: _("Prison number"),
    }


def box_label() -> str:
    # Translators: kiosk, label of the text box for a name or prison number.
    return _("Type it here")


def problems() -> dict[str, str]:
    return {
        # Translators: kiosk error: what was typed is not a prison number. Keep A1234BC.
        "not_a_prison_number": _("A prison number looks like A1234BC."),
        # Translators: kiosk error: what was typed is too long.
        "too_long": _("This is too long. Please make it shorter."),
    }
