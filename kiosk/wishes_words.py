"""The sentences of the screens that ask what the person wants to happen, and later how it
went (issue 15.1, Making Safeguarding Personal), written once for the screen and for
"Listen". Easy Read. The choices' labels are safeguarding.wishes' own."""

from __future__ import annotations

from collections.abc import Callable

from safeguarding.checkin_answers import SAFE_NOW
from safeguarding.wishes import DID_WE, JUST_KNOW, SAFER, SHARING, WANTS
from translations.i18n import _

# The picture of each choice, by question and key (kiosk/static/icons/).
ICONS = {
    "wants": {key: f"wish-{key.replace('_', '-')}.svg" for key in WANTS},
    "sharing": {key: f"share-{key.replace('_', '-')}.svg" for key in SHARING},
    "did_we": {key: f"did-we-{key.replace('_', '-')}.svg" for key in DID_WE},
    "safer": {key: f"safer-{key.replace('_', '-')}.svg" for key in SAFER},
    # "Are you safe now?" (issue 15.5) shares the pictures of "Do you feel safer?".
    "safe_now": {
        "yes": "safer-yes.svg",
        "no": "safer-no.svg",
        "not_saying": "person-not-saying.svg",
    },
}
LABELS = {
    "wants": WANTS, "sharing": SHARING, "did_we": DID_WE, "safer": SAFER, "safe_now": SAFE_NOW,
}  # fmt: skip


def labels(question: str) -> dict[str, str]:
    """The choices of a question in the reader's language, by key, in their fixed order."""
    return {key: _(label) for key, label in LABELS[question].items()}


def wishes_offer() -> dict[str, str]:
    return {
        # Translators: kiosk, button on the Sent screen (optional): say what the person
        # wants to happen about their report. Easy Read.
        "offer": _("Tell us what you want to happen"),
    }


def wants() -> dict[str, str]:
    return {
        # Translators: kiosk screen title after a report is sent: what the person wants.
        "title": _("What do you want to happen?"),
        # Translators: kiosk hint under "What do you want to happen?".
        "hint": _("You can choose more than one."),
    }


def sharing() -> dict[str, str]:
    return {
        # Translators: kiosk screen title: may the team share the report if it must?
        # Healthcare is the prison's doctors and nurses.
        "title": _("Can we tell other people, like the police or healthcare, if we need to?"),
        # Translators: kiosk hint: touching an answer goes on to the next screen.
        "hint": _("Touch your answer."),
    }


def did_we() -> dict[str, str]:
    return {
        # Translators: kiosk, coming back with a code: did the team do what the person
        # wanted? Also the button on "Your report" that asks it.
        "title": _("Did we do what you wanted?"),
        # Translators: kiosk hint: touching an answer goes on to the next screen.
        "hint": _("Touch your answer."),
    }


def safer() -> dict[str, str]:
    return {
        # Translators: kiosk, coming back with a code: does the person feel safer now?
        "title": _("Do you feel safer?"),
        # Translators: kiosk hint: touching an answer goes on to the next screen.
        "hint": _("Touch your answer."),
    }


def safe_now() -> dict[str, str]:
    return {
        # Translators: kiosk and phone line, coming back with a code weeks after reporting
        # someone: is the person safe now (not punished or threatened for reporting)?
        "title": _("Are you safe now?"),
        # Translators: kiosk hint: touching an answer goes on to the next screen.
        "hint": _("Touch your answer."),
    }


# Each question's title and hint, by the question's name in LABELS.
QUESTIONS: dict[str, Callable[[], dict[str, str]]] = {
    "wants": wants,
    "sharing": sharing,
    "did_we": did_we,
    "safer": safer,
    "safe_now": safe_now,
}


def skip() -> str:
    # Translators: kiosk button: do not answer this question, go on.
    return _("Skip this")


def just_know_alone() -> str:
    # Translators: kiosk error on "What do you want to happen?". %(choice)s is the choice
    # "Nothing yet. I just want you to know", in quotation marks.
    return _("You cannot choose %(choice)s with other things.") % {
        "choice": f"“{_(WANTS[JUST_KNOW])}”"
    }


def thanks() -> dict[str, str]:
    return {
        # Translators: kiosk screen title after the person said what they want.
        "title": _("Thank you for telling us."),
        # Translators: kiosk, after the person said what they want: who reads it.
        "read": _("The safeguarding team will read it."),
    }
