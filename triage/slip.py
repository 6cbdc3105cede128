"""The words on the printed slip, in the prisoner's language when a catalog exists for it.

The slip is read by the prisoner, often with low literacy and under stress: Easy Read,
one idea a sentence, at most 15 words. Where the kiosk says the same thing, the words are
the same, so one translation serves both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask_babel import force_locale, format_timedelta

from safeguarding.messages import SAMARITANS_NUMBER
from safeguarding.staff_reports import EnteredReport
from storage.models import Establishment
from translations.bidi import ltr
from translations.i18n import _
from translations.languages import SOURCE_LANGUAGE, has_catalog

# Per language, every key from the phone line's first menu to "type your code"; a language
# the line does not speak is absent. Handed over by create_app: triage does not import ivr.
FollowUpKeys = Callable[[Establishment], Mapping[str, tuple[str, ...]]]
FOLLOW_UP_KEYS_EXTENSION = "safereport.triage.follow_up_keys"
STAR = "*"


def slip_language(language: str) -> str:
    return language if has_catalog(language) else SOURCE_LANGUAGE


def slip_words(
    entered: EnteredReport, phone: str | None, keys: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, str], str]:
    """The slip's sentences and the language they are in. ``keys`` are the phone line's
    keys to a code, per language (FollowUpKeys)."""
    language = slip_language(entered.language)
    with force_locale(language):
        words = _core_words(entered)
        if phone:
            words["phone"] = _phone_words(phone, keys.get(language))
            # Translators: printed slip for a prisoner, when in danger; a phone number follows.
            words["urgent_line"] = _(
                "Call the safeguarding line now on %(number)s.", number=ltr(phone)
            )
        if entered.urgent:
            words.update(_urgent_words())
        else:
            words.pop("urgent_line", None)
    return words, language


def _phone_words(phone: str, keys: tuple[str, ...] | None) -> str:
    """How to reach "type your code" on this line, in the keys its menu really uses."""
    number = ltr(phone)
    if keys is None:
        # Translators: printed slip; the phone line cannot speak the prisoner's language.
        return _("The phone line %(number)s is not in your language yet.", number=number)
    *language_keys, code_key = keys
    if not language_keys:
        # Translators: printed slip; %(key)s is the key for "I have a code" on the phone.
        return _(
            "Or call %(number)s and press %(key)s. Then type your code.",
            number=number,
            key=ltr(code_key),
        )
    if language_keys[0] == STAR:
        # Translators: printed slip; the keys choose the prisoner's language on the phone
        # (the star key, then a digit), then "I have a code". The star key is *.
        return _(
            "Or call %(number)s. Press the star key, then %(language_key)s, then "
            "%(code_key)s. Then type your code.",
            number=number,
            language_key=ltr(language_keys[-1]),
            code_key=ltr(code_key),
        )
    # Translators: printed slip; %(language_key)s chooses the prisoner's language on the
    # phone, %(code_key)s then chooses "I have a code".
    return _(
        "Or call %(number)s. Press %(language_key)s, then %(code_key)s. Then type your code.",
        number=number,
        language_key=ltr(language_keys[0]),
        code_key=ltr(code_key),
    )


def _core_words(entered: EnteredReport) -> dict[str, str]:
    return {
        # Translators: printed slip for a prisoner: its title.
        "title": _("Your safeguarding report"),
        # Translators: printed slip for a prisoner, at the top.
        "sent": _("Your report has been sent."),
        # Translators: printed slip for a prisoner, just before the follow-up code.
        "code_intro": _("This is your code."),
        # Translators: printed slip for a prisoner, advice about the follow-up code.
        "keep": _("Keep your code safe. Use it to check your report later."),
        # Translators: printed slip for a prisoner: a heading.
        "next_title": _("What happens next"),
        # Translators: printed slip for a prisoner: what happens after a report.
        "next": _("The safeguarding team will read your report."),
        # Translators: printed slip; %(time)s is a duration such as "4 hours" or "3 days".
        "when": _(
            "They will look at it within %(time)s.",
            time=format_timedelta(entered.respond_within, threshold=1.0),
        ),
        # Translators: printed slip for a prisoner: a heading.
        "check_title": _("To check your report"),
        # Translators: printed slip; the words in quotes are the kiosk's button.
        "kiosk": _("At a kiosk, touch “I have a code from before”. Then type your code."),
        # Translators: printed slip for a prisoner: a heading.
        "help_title": _("Other help"),
        # Translators: printed slip; a Listener is a prisoner trained by Samaritans to listen.
        "listener": _("You can talk to a Listener."),
        # Translators: printed slip; %(number)s is the Samaritans number, 116 123.
        "samaritans": _(
            "You can call Samaritans free on %(number)s.", number=ltr(SAMARITANS_NUMBER)
        ),
    }


def _urgent_words() -> dict[str, str]:
    return {
        # Translators: printed slip, when someone is in danger now or may hurt themselves.
        "urgent_title": _("If you are in danger now"),
        # Translators: printed slip, what to do at once when in danger.
        "urgent_officer": _("Tell any officer straight away."),
        # Translators: printed slip, what to do at once when in danger; the cell call button.
        "urgent_bell": _("Press your cell bell."),
    }
