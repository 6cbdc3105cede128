"""Messages the kiosk shows when an answer cannot be used: clear, short, translated."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kiosk.keep_words import secret_wrong
from kiosk.people_words import problems as people_problems
from kiosk.wishes_words import just_know_alone
from safeguarding.errors import FieldProblem
from translations.i18n import _


def problem_message(problem: FieldProblem) -> str:
    """One short sentence saying what to do, for a problem safeguarding.drafts found."""
    specific = _SPECIFIC.get((problem.field, problem.code))
    if specific is not None:
        return specific()
    if problem.code == "too_long":
        return _too_long()
    if problem.code == "required":
        return _one_required()
    return _not_a_choice()


def _too_long() -> str:
    # Translators: kiosk error message: typed text is longer than allowed.
    return _("This is too long. Please write less.")


def _one_required() -> str:
    # Translators: kiosk error message on a question with one answer to choose.
    return _("Choose one answer.")


def _not_a_choice() -> str:
    # Translators: kiosk error message: the answer sent was not one of the choices.
    return _("Choose one of the answers on the screen.")


def _what_required() -> str:
    # Translators: kiosk error message on "What is happening?" when nothing was chosen.
    return _("Choose at least one thing.")


def _name_required() -> str:
    # Translators: kiosk error message when the name box is empty.
    return _("Type your name.")


def _name_too_long() -> str:
    # Translators: kiosk error message when the name is longer than allowed.
    return _("Your name is too long. Please make it shorter.")


def _number_too_long() -> str:
    # Translators: kiosk error message when the prison number is longer than allowed.
    return _("Your prison number is too long. Please check it.")


def _details_required() -> str:
    # Translators: kiosk error message when adding information but the box is empty.
    return _("Type what you want to add.")


_SPECIFIC = {
    ("what", "required"): _what_required,
    ("name", "required"): _name_required,
    ("name", "too_long"): _name_too_long,
    ("prison_number", "too_long"): _number_too_long,
    ("details", "required"): _details_required,
}


def code_malformed_message() -> str:
    # Translators: kiosk error: the follow-up code typed has a mistake in it.
    return _("This code is not right. Check the numbers and try again.")


def code_unknown_message() -> str:
    # Translators: kiosk error: no report has the follow-up code typed.
    return _("We cannot find a report with this code.")


def code_refused_message() -> str:
    # Translators: kiosk error: too many wrong codes were tried.
    return _("Too many wrong codes. Please try again later.")


def form_expired_message() -> str:
    # Translators: kiosk error when a form was sent without its security token.
    return _("Something went wrong. Please try again.")


def problem_heading() -> str:
    # Translators: kiosk, heading of the box listing what needs fixing.
    return _("There is a problem")


# Every message above, by a fixed name: Listen says a screen's problem first, and the name
# (never the message, never an answer) is all that goes into the Listen address.
SPOKEN_PROBLEMS: dict[str, Callable[[], str]] = {
    "too_long": _too_long,
    "one_required": _one_required,
    "not_a_choice": _not_a_choice,
    "what_required": _what_required,
    "name_required": _name_required,
    "name_too_long": _name_too_long,
    "number_too_long": _number_too_long,
    "details_required": _details_required,
    "code_malformed": code_malformed_message,
    "code_unknown": code_unknown_message,
    "code_refused": code_refused_message,
    "form_expired": form_expired_message,
    "secret_wrong": secret_wrong,
    "just_know_alone": just_know_alone,
    "not_a_prison_number": lambda: people_problems()["not_a_prison_number"],
    "identifier_too_long": lambda: people_problems()["too_long"],
}


def spoken_problem(errors: object, error: object) -> str | None:
    """The name of the first shown message Listen can say, for the Listen address. Views
    pass ``errors`` as (field, message) pairs or one ``error``; either may be absent."""
    messages: Iterable[object] = [pair[1] for pair in errors] if isinstance(errors, list) else []
    for message in [*messages, error]:
        for name, said in SPOKEN_PROBLEMS.items():
            if said() == message:
                return name
    return None
