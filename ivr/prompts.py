"""Everything the phone line says, as gettext sentences in Easy Read.

Each function returns the lines of one prompt in the current locale (call it inside
``flask_babel.force_locale``). ``inventory(language)`` lists every line the line can say
in a language, so that audio can be built, checked and recorded ahead of any call.
Sentences are short (15 words at most) and say one thing each.
"""

from __future__ import annotations

from flask_babel import force_locale

from ivr import pin_prompts, wish_prompts
from safeguarding.catalogue import CONCERNS, Concern
from safeguarding.followup import REPORTER_STATUS_TEXT
from safeguarding.messages import STANDARD_MESSAGES
from speech.inventory import PromptLine
from translations.i18n import _

CONCERN_PAGE_SIZE = 5
CONCERN_PAGES: tuple[tuple[Concern, ...], ...] = tuple(
    CONCERNS[i : i + CONCERN_PAGE_SIZE] for i in range(0, len(CONCERNS), CONCERN_PAGE_SIZE)
)
LANGUAGE_KEYS = tuple(str(k) for k in range(1, 10))  # first page of the language menu
MORE_LANGUAGE_KEYS = tuple(str(k) for k in range(1, 9))  # second page; 9 goes back
DIGITS = tuple(str(d) for d in range(10))
WING_PAGE_SIZE = 7  # keys 1 to 7; 8 is "more wings", 0 again, 9 back, star "not sure"
NAME_SECONDS = 20  # the longest name-and-cell recording


def line(prompt_id: str, text: str) -> PromptLine:
    return PromptLine(prompt_id, text)


def language_entry(native_name: str, key: str) -> PromptLine:
    """One entry of the language menu, spoken in the language it offers."""
    if key == "*":
        return line(
            "language.entry.star",
            # Translators: phone language menu, spoken in this language. %(language)s is its
            # own name (e.g. "Cymraeg"). The star key opens more languages.
            _("For %(language)s, press the star key.", language=native_name),
        )
    return line(
        f"language.entry.{key}",
        # Translators: phone language menu, spoken in this language. %(language)s is its own
        # name (e.g. "Cymraeg"); %(key)s is a keypad digit.
        _("For %(language)s, press %(key)s.", language=native_name, key=key),
    )


def hear_again() -> PromptLine:
    # Translators: phone line, said at the end of every menu.
    return line("common.again", _("To hear this again, press 0."))


def go_back() -> PromptLine:
    # Translators: phone line, said at the end of most menus.
    return line("common.back", _("To go back, press 9."))


def wrong_key() -> PromptLine:
    # Translators: phone line, when the caller presses a key that does nothing here.
    return line("common.wrong_key", _("Sorry, that key does nothing here."))


def start_menu() -> list[PromptLine]:
    return [
        # Translators: phone line, the first question after choosing a language: the caller
        # or any other person (a cellmate) in danger at this moment.
        line("start.danger", _("If someone is in danger now, press 1.")),
        # Translators: phone line, first menu: report a worry.
        line("start.report", _("To tell us about something wrong, press 2.")),
        # Translators: phone line, first menu: the follow-up code from an earlier report.
        line("start.code", _("If you have a code from before, press 3.")),
    ]


def danger_who_menu() -> list[PromptLine]:
    return [
        # Translators: phone line, after "someone is in danger now": it is the caller.
        line("danger.me", _("If you are in danger now, press 1.")),
        # Translators: phone line, after "someone is in danger now": it is another person.
        line("danger.someone_else", _("If someone else is in danger now, press 2.")),
    ]


def danger_advice() -> list[PromptLine]:
    return [
        # Translators: phone line, after the caller says they are in danger now.
        line("danger.officer", _("If you can, tell any officer now.")),
        # Translators: phone line, after the caller says they are in danger now.
        line("danger.bell", _("You can also press your cell bell.")),
        # Translators: phone line; said only after the urgent report is safely stored.
        line("danger.sent", _("We have sent this to the safeguarding team as urgent.")),
    ]


def wing_question() -> PromptLine:
    # Translators: phone line, after "someone is in danger now": a list of the prison's
    # wings follows, each with a key.
    return line("wing.question", _("Where should we send help?"))


def wing_key(key: str) -> PromptLine:
    """Said after a wing's name (the establishment's own words, spoken as written)."""
    # Translators: phone line, said after the name of a wing; %(key)s is a keypad digit.
    return line(f"wing.key.{key}", _("Press %(key)s.", key=key))


def wing_more() -> PromptLine:
    # Translators: phone line, the list of wings goes on.
    return line("wing.more", _("For more wings, press 8."))


def wing_not_sure() -> PromptLine:
    # Translators: phone line, the caller does not know which wing; the star key is * on
    # the keypad.
    return line("wing.not_sure", _("If you are not sure, press the star key."))


def name_intro() -> list[PromptLine]:
    return [
        # Translators: phone line, after the wing: the caller may say who they are and
        # their cell number, so that help finds them. It is optional.
        line("name.ask", _("After the tone, you can say your name and cell.")),
        # Translators: phone line, the longest the name-and-cell recording can be.
        line("name.length", _("You have %(seconds)s seconds.", seconds=NAME_SECONDS)),
        # Translators: phone line; the hash key is # on the keypad. Pressing it without
        # speaking skips the name and cell.
        line("name.skip", _("To skip this, press the hash key.")),
    ]


def danger_continue() -> PromptLine:
    # Translators: phone line, leading from the danger advice to the questions.
    return line("danger.continue", _("Now please tell us what is happening."))


def concern_choice(concern: Concern, key: str) -> PromptLine:
    return line(
        f"concern.{concern.id}",
        # Translators: phone line, one choice in a menu. %(choice)s is a sentence such as
        # "Someone is hurting me."; %(key)s is a keypad digit.
        _("%(choice)s Press %(key)s.", choice=_(concern.label), key=key),
    )


def concern_menu(page: int) -> list[PromptLine]:
    lines = []
    if page == 0:
        # Translators: phone line, before the list of things that can be wrong.
        lines.append(line("concern.intro", _("What is happening? Choose one.")))
    for index, concern in enumerate(CONCERN_PAGES[page], start=1):
        lines.append(concern_choice(concern, str(index)))
    if page + 1 < len(CONCERN_PAGES):
        # Translators: phone line, the list of choices goes on.
        lines.append(line("concern.more", _("For more choices, press 8.")))
    return lines


def another_menu() -> list[PromptLine]:
    return [
        # Translators: phone line, after the caller chose what is happening.
        line("another.question", _("Is something else happening too?")),
        # Translators: phone line, a yes answer.
        line("another.yes", _("For yes, press 1.")),
        # Translators: phone line, a no answer.
        line("another.no", _("For no, press 2.")),
    ]


def about_menu() -> list[PromptLine]:
    return [
        # Translators: phone line: the report is about the caller.
        line("about.me", _("If this is about you, press 1.")),
        # Translators: phone line: the report is about another person.
        line("about.someone_else", _("If this is about someone else, press 2.")),
    ]


def injured_menu() -> list[PromptLine]:
    return [
        # Translators: kiosk question and phone line: is the reporter or anyone else
        # injured (hurt in their body) by what happened.
        line("injured.question", _("Is anyone hurt?")),
        # Translators: phone line, a yes answer.
        line("injured.yes", _("For yes, press 1.")),
        # Translators: phone line, a no answer.
        line("injured.no", _("For no, press 2.")),
    ]


def staff_menu() -> list[PromptLine]:
    return [
        # Translators: phone line: is a prison officer or other staff part of this?
        line("staff.question", _("Is a member of staff involved?")),
        # Translators: phone line, a yes answer.
        line("staff.yes", _("For yes, press 1.")),
        # Translators: phone line, a no answer.
        line("staff.no", _("For no, press 2.")),
        # Translators: phone line, a "not sure" answer.
        line("staff.not_sure", _("If you are not sure, press 3.")),
    ]


def message_intro() -> list[PromptLine]:
    return [
        # Translators: phone line, before the caller records a voice message.
        line("message.tone", _("Tell us what happened after the tone.")),
        # Translators: phone line; the hash key is # on the keypad.
        line("message.finish", _("Press the hash key when you have finished.")),
        # Translators: phone line, the longest a voice message can be.
        line("message.length", _("You can talk for up to 5 minutes.")),
    ]


def no_message() -> PromptLine:
    # Translators: phone line, when the recording was empty.
    return line("message.none", _("We did not hear a message."))


def review_menu() -> list[PromptLine]:
    return [
        # Translators: phone line, after recording: play the message back.
        line("review.listen", _("To hear your message, press 1.")),
        # Translators: phone line, after recording: keep the message.
        line("review.keep", _("To keep your message, press 2.")),
        # Translators: phone line, after recording: record it again.
        line("review.again", _("To record it again, press 3.")),
    ]


def code_intro() -> list[PromptLine]:
    return [
        # Translators: phone line; said only after the report is safely stored.
        line("code.sent", _("Your report has been sent to the safeguarding team.")),
        # Translators: phone line, before reading the follow-up code digit by digit.
        line("code.yours", _("Your code is:")),
    ]


def code_again() -> PromptLine:
    # Translators: phone line, before reading the follow-up code a second time.
    return line("code.again", _("Here is your code again:"))


def code_after() -> list[PromptLine]:
    return [
        # Translators: phone line, after the follow-up code.
        line("code.keep", _("Keep your code safe. Use it to hear back from us.")),
        # Translators: phone line; the star key is * on the keypad.
        line("code.repeat", _("To hear your code again, press the star key.")),
    ]


def code_entry() -> list[PromptLine]:
    return [
        # Translators: phone line, "I have a code": typing the 12-digit follow-up code.
        line("lookup.type", _("Please type your 12 digit code.")),
        # Translators: phone line; the hash key is # on the keypad.
        line("lookup.hash", _("Then press the hash key.")),
        # Translators: phone line; the star key is * on the keypad.
        line("lookup.back", _("To go back, press the star key.")),
    ]


def code_wrong() -> PromptLine:
    # Translators: phone line, the code typed matched no report.
    return line("lookup.wrong", _("Sorry, that code did not work. Please try again."))


def code_refused() -> PromptLine:
    # Translators: phone line, after too many wrong codes.
    return line("lookup.refused", _("Sorry, we cannot check codes now. Please try later."))


def follow_up_status(status: str) -> PromptLine:
    return line(f"status.{status}", _(REPORTER_STATUS_TEXT[status]))


def follow_up_messages(message_ids: list[str], texts: dict[str, str]) -> list[PromptLine]:
    if not message_ids:
        # Translators: phone line, "I have a code": the team has sent no message yet.
        return [line("lookup.no_messages", _("There are no messages for you yet."))]
    # Translators: phone line, "I have a code": before the team's messages are read out.
    lines = [line("lookup.messages", _("The safeguarding team sent you this message:"))]
    lines += [line(f"message.{mid}", _(texts[mid])) for mid in message_ids]
    return lines


def follow_up_menu() -> list[PromptLine]:
    # Translators: phone line, "I have a code": record something more for the team.
    return [line("lookup.add", _("To leave a new message for the team, press 1."))]


def follow_up_saved() -> PromptLine:
    # Translators: phone line; said only after the new message is safely stored.
    return line("lookup.saved", _("Thank you. Your message has been added to your report."))


def danger_again_menu() -> list[PromptLine]:
    """Asked after a follow-up message; the answers are the same words as elsewhere."""
    yes, no = another_menu()[1:]
    # Translators: phone line, asked again after the caller added a message to their report.
    return [line("danger_again.question", _("Are you in danger right now?")), yes, no]


def danger_again_sent() -> list[PromptLine]:
    """After yes: what to do now, and that the team has it as urgent (said after storing)."""
    return danger_advice()[:3]


def nothing_given() -> list[PromptLine]:
    return [
        # Translators: phone line, the caller chose nothing and left no message.
        line("nothing.given", _("You did not tell us anything this time.")),
        # Translators: phone line, the caller chose nothing and left no message.
        line("nothing.again", _("You can call again at any time.")),
    ]


def goodbye() -> list[PromptLine]:
    return [
        # Translators: phone line, the end of every call.
        line("goodbye.thanks", _("Thank you for calling.")),
        # Translators: phone line; a Listener is a prisoner trained by Samaritans.
        line("goodbye.listener", _("If you need to talk, you can speak to a Listener.")),
        # Translators: phone line; keep the number 116 123 as it is.
        line("goodbye.samaritans", _("You can call Samaritans free on 116 123.")),
        # Translators: phone line, the last word of every call.
        line("goodbye.bye", _("Goodbye.")),
    ]


def call_limit() -> list[PromptLine]:
    return [
        # Translators: phone line, when a call has gone on too long or round in circles
        # and is about to end. Keep it calm: the caller has done nothing wrong.
        line("limit.end", _("We have to end this call now.")),
        # Translators: phone line, other ways to get help, said before a call is ended.
        line("limit.other", _("You can also use the kiosk, or talk to a member of staff.")),
    ]


def cannot_take() -> list[PromptLine]:
    return [
        # Translators: phone line, when the system is broken and nothing could be stored.
        line("fault.sorry", _("Sorry, we could not take your message just now.")),
        # Translators: phone line, other ways to report when the line is broken.
        line("fault.other", _("Please tell an officer you trust, or use the kiosk.")),
        # Translators: phone line, other ways to report when the line is broken.
        line("fault.later", _("You can also call this line again later.")),
    ]


def digit(value: str) -> PromptLine:
    """A keypad digit, read on its own (codes are read as digits, never rendered whole)."""
    return line(f"digit.{value}", value)


def inventory(language: str, native_name: str) -> list[PromptLine]:
    """Every line the phone line can say in ``language``, each once."""
    with force_locale(language):
        lines: list[PromptLine] = [language_entry(native_name, k) for k in LANGUAGE_KEYS]
        lines.append(language_entry(native_name, "*"))
        lines += [hear_again(), go_back(), wrong_key(), *start_menu(), *danger_who_menu()]
        lines += [*danger_advice(), danger_continue(), wing_question(), wing_more()]
        lines += [wing_key(str(k)) for k in range(1, WING_PAGE_SIZE + 1)]
        lines += [wing_not_sure(), *name_intro()]
        for page in range(len(CONCERN_PAGES)):
            lines += concern_menu(page)
        lines += [*another_menu(), *about_menu(), *injured_menu(), *staff_menu()]
        lines += [*message_intro(), no_message()]
        lines += [*review_menu(), *code_intro(), code_again(), *code_after(), *code_entry()]
        lines += [code_wrong(), code_refused(), *follow_up_menu(), follow_up_saved()]
        lines += pin_prompts.every_line()
        lines += wish_prompts.every_line()
        lines += danger_again_menu()
        lines += [follow_up_status(status) for status in REPORTER_STATUS_TEXT]
        texts = {message.id: message.text for message in STANDARD_MESSAGES}
        lines += follow_up_messages(list(texts), texts)
        lines += follow_up_messages([], texts)
        lines += [*nothing_given(), *goodbye(), *cannot_take(), *call_limit()]
        lines += [digit(d) for d in DIGITS]
    unique: dict[str, PromptLine] = {}
    for item in lines:
        unique.setdefault(item.id, item)
    return list(unique.values())
