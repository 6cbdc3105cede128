"""Messages the kiosk shows when an answer cannot be used: clear, short, translated."""

from __future__ import annotations

from safeguarding.errors import FieldProblem
from translations.i18n import _


def problem_message(problem: FieldProblem) -> str:
    """One short sentence saying what to do, for a problem safeguarding.drafts found."""
    specific = _SPECIFIC.get((problem.field, problem.code))
    if specific is not None:
        return specific()
    if problem.code == "too_long":
        # Translators: kiosk error message: typed text is longer than allowed.
        return _("This is too long. Please write less.")
    if problem.code == "required":
        # Translators: kiosk error message on a question with one answer to choose.
        return _("Choose one answer.")
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
