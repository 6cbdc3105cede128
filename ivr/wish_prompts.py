"""What the phone line says when it asks what the person wants (issue 15.1, Making
Safeguarding Personal): after the code is read out, and when they call back with it.

One key a question: a phone cannot easily take several choices. The keys map onto the
answers ``safeguarding.wishes`` knows. Part of the phone's inventory (ivr.prompts.inventory).
"""

from __future__ import annotations

from speech.inventory import PromptLine
from translations.i18n import _

# Key -> an answer of safeguarding.wishes (WANTS, SHARING, DID_WE, SAFER).
WANT_KEYS = {"1": "stop", "2": "move", "3": "talk", "4": "police", "5": "just_know"}
SHARING_KEYS = {"1": "yes", "2": "no", "3": "ask_me"}
DID_WE_KEYS = {"1": "yes", "2": "partly", "3": "no"}
SAFER_KEYS = {"1": "yes", "2": "no", "3": "not_sure"}
# Issue 15.5, a retaliation check-in due: -> an answer of safeguarding.checkin_answers.SAFE_NOW
# (9 skips).
SAFE_NOW_KEYS = {"1": "yes", "2": "no", "3": "not_saying"}
# Issue 14, after the wishes: who is doing it, as a kind of safeguarding.people (9 skips).
DOING_KEYS = {"1": "prisoner", "2": "staff", "3": "outside", "4": "not_known"}


def line(prompt_id: str, text: str) -> PromptLine:
    return PromptLine(prompt_id, text)


def _yes() -> PromptLine:
    # Translators: phone line, a yes answer.
    return line("another.yes", _("For yes, press 1."))


def _no() -> PromptLine:
    # Translators: phone line, a no answer.
    return line("another.no", _("For no, press 2."))


def wishes_menu() -> list[PromptLine]:
    """Asked once the code has been read out: the report is already safe."""
    return [
        # Translators: phone line, after the follow-up code: an optional question about
        # what the caller wants to happen next. Their report is already sent.
        line("wishes.intro", _("You can tell us what you want to happen.")),
        # Translators: phone line: the caller wants the abuse or harm to stop.
        line("wishes.stop", _("If you want it to stop, press 1.")),
        # Translators: phone line: the caller wants to be moved (another cell, wing or prison).
        line("wishes.move", _("If you want to be moved, press 2.")),
        # Translators: phone line: the caller wants to talk to someone about it.
        line("wishes.talk", _("If you want to talk to someone, press 3.")),
        # Translators: phone line: the caller wants the police to be told.
        line("wishes.police", _("If you want us to tell the police, press 4.")),
        # Translators: phone line: the caller wants nothing done yet, only for us to know.
        line("wishes.know", _("If you just want us to know, press 5.")),
        # Translators: phone line: the question is optional; hanging up loses nothing.
        line("wishes.hang_up", _("Or you can hang up now.")),
    ]


def sharing_menu() -> list[PromptLine]:
    return [
        line(
            "sharing.question",
            # Translators: phone line: may we share the report with other services (police,
            # healthcare) if we need to? Answers: yes, no, ask me first.
            _("Can we tell other people, like the police or healthcare, if we need to?"),
        ),
        _yes(),
        _no(),
        # Translators: phone line: the caller wants to be asked before we tell anyone.
        line("sharing.ask_first", _("If you want us to ask you first, press 3.")),
    ]


def doing_menu() -> list[PromptLine]:
    """Who is doing it (issue 14): the last question after the code, one key or 9 to skip."""
    return [
        # Translators: phone line, after the code: an optional question about who is
        # causing the harm. Their report is already sent.
        line("doing.question", _("Who is doing it? You do not have to tell us.")),
        # Translators: phone line: the harm is done by another prisoner.
        line("doing.prisoner", _("For another prisoner, press 1.")),
        # Translators: phone line: the harm is done by someone who works in the prison.
        line("doing.staff", _("For a member of staff, press 2.")),
        # Translators: phone line: the harm is done by someone outside the prison.
        line("doing.outside", _("For someone from outside, press 3.")),
        # Translators: phone line: the caller does not know who is doing it.
        line("doing.not_known", _("If you do not know, press 4.")),
        # Translators: phone line: the caller does not want to answer this question.
        line("doing.skip", _("To skip this, press 9.")),
    ]


def thanks() -> PromptLine:
    # Translators: phone line; said only after the caller's answers are safely stored.
    return line("wishes.thanks", _("Thank you. We have added this to your report."))


def feelings_offer() -> PromptLine:
    # Translators: phone line, "I have a code", after the report's status: an optional
    # question about whether we did what the caller wanted.
    return line("lookup.feelings", _("To tell us if we did what you wanted, press 2."))


def did_we_menu() -> list[PromptLine]:
    return [
        # Translators: phone line, "I have a code": did the team do what the caller wanted?
        line("did_we.question", _("Did we do what you wanted?")),
        _yes(),
        # Translators: phone line: the team did some of what the caller wanted.
        line("did_we.partly", _("If we did some of it, press 2.")),
        # Translators: phone line, a no answer on key 3.
        line("did_we.no", _("For no, press 3.")),
    ]


def safer_menu() -> list[PromptLine]:
    return [
        # Translators: phone line, "I have a code": does the caller feel safer now?
        line("safer.question", _("Do you feel safer?")),
        _yes(),
        _no(),
        # Translators: phone line, a "not sure" answer.
        line("staff.not_sure", _("If you are not sure, press 3.")),
    ]


def safe_now_menu() -> list[PromptLine]:
    """Asked of a caller with a code while a retaliation check-in on their report is due."""
    return [
        # Translators: kiosk and phone line, coming back with a code weeks after reporting
        # someone: is the person safe now (not punished or threatened for reporting)?
        line("safe_now.question", _("Are you safe now?")),
        _yes(),
        _no(),
        # Translators: phone line: the caller does not want to say whether they are safe.
        line("safe_now.not_saying", _("If you do not want to say, press 3.")),
        # Translators: phone line: the caller does not want to answer this question.
        line("doing.skip", _("To skip this, press 9.")),
    ]


def every_line() -> list[PromptLine]:
    return [
        *wishes_menu(),
        *sharing_menu(),
        *doing_menu(),
        thanks(),
        feelings_offer(),
        *did_we_menu(),
        *safer_menu(),
        *safe_now_menu(),
    ]
