"""The sentences of the kiosk's fixed screens, written once for the screen and for "Listen".

Each function returns a screen's sentences in the reader's language, in reading order,
so the audio always says what the screen shows. Easy Read: one idea per sentence, at
most 15 words.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import format_timedelta

from safeguarding.messages import SAMARITANS_NUMBER
from translations.bidi import ltr
from translations.i18n import _


def menu() -> dict[str, str]:
    return {
        # Translators: kiosk screen title after choosing a language.
        "title": _("What do you want to do?"),
        # Translators: kiosk choice: start a new report.
        "report": _("Tell us something is wrong."),
        # Translators: kiosk choice: look at a report made before, using its code.
        "code": _("I have a code from before."),
    }


def carry_on() -> dict[str, str]:
    """The buttons under a question that is not answered by touching a choice."""
    return {
        # Translators: kiosk button under a question: go to the next screen.
        "continue": _("Continue"),
        # Translators: kiosk button: go on without typing anything more.
        "skip": _("Skip this"),
    }


def more_help() -> dict[str, str]:
    return {
        # Translators: kiosk, label of the box for typing more information.
        "label": _("Type here if you want to."),
    }


def identity() -> dict[str, str]:
    return {
        # Translators: kiosk, label of the name box.
        "name": _("Your name"),
        # Translators: kiosk, label of the prison number box.
        "number": _("Your prison number, if you know it"),
    }


def check() -> dict[str, str]:
    return {
        # Translators: kiosk screen title before sending a report.
        "title": _("Check your answers"),
        # Translators: kiosk, check your answers: how to change an answer.
        "change_help": _("To change an answer, touch Change."),
        # Translators: kiosk, check your answers: what sending does.
        "send_help": _("When you send it, the safeguarding team will read it."),
        # Translators: kiosk button that sends the report.
        "send": _("Send my report"),
    }


def sent(respond_within: timedelta, phone_number: str | None, *, urgent: bool) -> dict[str, str]:
    words = {
        # Translators: kiosk, title of the screen after a report was sent.
        "title": _("Your report has been sent."),
        # Translators: kiosk, shown just before the follow-up code.
        "code_intro": _("This is your code."),
        # Translators: kiosk, advice about the follow-up code.
        "keep": _("Keep your code safe. Use it to check your report later."),
        # Translators: kiosk, what happens after sending a report.
        "next": _("The safeguarding team will read your report."),
        # Translators: kiosk; %(time)s is a duration such as "4 hours" or "3 days".
        "when": _(
            "They will look at it within %(time)s.",
            time=format_timedelta(respond_within, threshold=1.0),
        ),
    }
    if urgent:
        words.update(urgent_now(phone_number))
    words.update(other_help(phone_number))
    return words


def send_now() -> str:
    # Translators: kiosk, spoken by Listen on a question once someone is in danger;
    # "Send now" is the button at the top of the screen: use the same words as that button.
    return _("You can send your report now. Touch Send now.")


def urgent_now(phone_number: str | None) -> dict[str, str]:
    words = {
        # Translators: kiosk, shown when someone is in danger now or may hurt themselves.
        "urgent_title": _("If you are in danger now"),
        # Translators: kiosk, what to do at once when in danger.
        "urgent_officer": _("Tell any officer straight away."),
        # Translators: kiosk, what to do at once when in danger; the cell call button.
        "urgent_bell": _("Press your cell bell."),
    }
    if phone_number:
        # Translators: kiosk, what to do at once when in danger; %(number)s is a phone number.
        words["urgent_line"] = _(
            "Call the safeguarding line now on %(number)s.", number=ltr(phone_number)
        )
    return words


def other_help(phone_number: str | None) -> dict[str, str]:
    words = {
        # Translators: kiosk, heading of other places to get help.
        "help_title": _("Other help"),
        # Translators: kiosk; a Listener is a prisoner trained by Samaritans to listen.
        "listener": _("You can talk to a Listener."),
        # Translators: kiosk; %(number)s is the Samaritans number, 116 123.
        "samaritans": _(
            "You can call Samaritans free on %(number)s.", number=ltr(SAMARITANS_NUMBER)
        ),
    }
    if phone_number:
        # Translators: kiosk; %(number)s is the prison's safeguarding phone line.
        words["line"] = _(
            "You can call the safeguarding line on %(number)s.", number=ltr(phone_number)
        )
    return words


def finish() -> dict[str, str]:
    return {
        # Translators: kiosk, before the Finish button.
        "finish_help": _("When you are ready, touch Finish. The screen will be cleared."),
        # Translators: kiosk button that clears everything and ends the turn.
        "finish": _("Finish"),
    }


def not_sent(phone_number: str | None) -> dict[str, str]:
    words = {
        # Translators: kiosk, when the report could not be saved. NOT is stressed on purpose.
        "title": _("Your report was NOT sent."),
        # Translators: kiosk, why the report was not sent.
        "problem": _("The computer has a problem."),
        # Translators: kiosk, after a failed send.
        "kept": _("Your answers are kept for a short time. You can try again."),
        # Translators: kiosk button to send the report again after a failure.
        "retry": _("Try again"),
        # Translators: kiosk, another way to report when the kiosk fails.
        "officer": _("You can also tell an officer you trust."),
    }
    words.update(other_help(phone_number))
    return words


def too_many_reports(phone_number: str | None) -> dict[str, str]:
    words = {
        # Translators: kiosk page title when this kiosk has sent as many reports as it may
        # for now. Calm: the person has done nothing wrong.
        "title": _("This kiosk cannot send more reports just now."),
        # Translators: kiosk, when this kiosk has sent as many reports as it may for now.
        "later": _("You can try this kiosk again later."),
        # Translators: kiosk, another way to report when the kiosk fails.
        "officer": _("You can also tell an officer you trust."),
    }
    words.update(other_help(phone_number))
    return words


# kiosk.js puts the digit and the code so far in these slots as a person types.
PAD_SLOTS = {"digit": "{digit}", "code": "{code}"}


def code_entry() -> dict[str, str]:
    return {
        # Translators: kiosk screen title: typing a follow-up code on a number pad.
        "title": _("Type your code."),
        # Translators: kiosk hint on the code screen.
        "hint": _("Your code has 12 numbers."),
        # Translators: kiosk, label of the box that shows the code typed so far.
        "label": _("Your code"),
        # Translators: kiosk number pad key that removes the last number.
        "delete": _("Delete"),
        # Translators: kiosk button that looks up the code.
        "check": _("Check my code"),
    }


def pad_announcements() -> dict[str, str]:
    """What a screen reader hears as the code pad changes. Not Listen's: these have slots
    that kiosk.js fills in as a person types."""
    return {
        # Translators: kiosk, read out by a screen reader when a number is added on the
        # number pad. %(digit)s is the number; %(code)s the code so far, in groups of four.
        "said_added": _("You added %(digit)s. Your code so far: %(code)s.", **PAD_SLOTS),
        # Translators: kiosk, read out by a screen reader when the last number is deleted.
        # %(code)s is the code so far, in groups of four.
        "said_deleted": _("You deleted a number. Your code so far: %(code)s.", **PAD_SLOTS),
        # Translators: kiosk, read out by a screen reader when the code box is empty.
        "said_empty": _("There are no numbers yet."),
    }


def status() -> dict[str, str]:
    return {
        # Translators: kiosk screen title: the status of a report opened with its code.
        "title": _("Your report"),
        # Translators: kiosk heading above messages from the safeguarding team.
        "messages_title": _("Messages from the safeguarding team"),
        # Translators: kiosk, when the team has sent no message yet.
        "no_messages": _("There are no messages yet."),
        # Translators: kiosk button to add more to a report.
        "add": _("Add more information"),
    }


def add() -> dict[str, str]:
    return {
        # Translators: kiosk screen title: adding more to a report.
        "title": _("What do you want to add?"),
        # Translators: kiosk, label of the box for more information.
        "label": _("Type here."),
        # Translators: kiosk button that adds the typed text to the report.
        "send": _("Add to my report"),
    }


def added() -> dict[str, str]:
    return {
        # Translators: kiosk, after information was added to a report.
        "title": _("Thank you. We have added this to your report."),
    }


def added_urgent() -> dict[str, str]:
    return {
        # Translators: kiosk, after someone said they are in danger now when adding to a report.
        "sent_urgent": _("We have sent this to the safeguarding team as urgent."),
    }


def warning() -> dict[str, str]:
    return {
        # Translators: kiosk inactivity warning, title.
        "title": _("Are you still there?"),
        # Translators: kiosk inactivity warning.
        "body": _("The screen will clear soon."),
        # Translators: kiosk inactivity warning.
        "help": _("Touch the button if you need more time."),
        # Translators: kiosk inactivity warning button.
        "more_time": _("I need more time"),
    }


def start() -> dict[str, str]:
    return {
        # Translators: kiosk start screen title; each language is then listed in its own name.
        "title": _("Choose your language."),
    }


def unavailable(phone_number: str | None) -> dict[str, str]:
    words = {
        # Translators: kiosk, when the system cannot be used at all.
        "title": _("Sorry, this screen is not working right now."),
        # Translators: kiosk, what to do when the screen is not working.
        "officer": _("Please tell an officer you trust."),
    }
    words.update(other_help(phone_number))
    return words


def check_spoken() -> dict[str, str]:
    """What Listen says on "check your answers" instead of what was typed or named:
    someone else may be near the screen."""
    return {
        # Translators: kiosk, spoken on "check your answers" instead of the typed text.
        "typed": _("You typed more information."),
        # Translators: kiosk, check your answers, when nothing more was typed.
        "nothing": _("Nothing more."),
        # Translators: kiosk, spoken on "check your answers" instead of the name.
        "name": _("You gave your name."),
    }


def invitation() -> str:
    # Translators: kiosk start screen, spoken in each language by its speaker button.
    return _("Touch here to use this language.")
