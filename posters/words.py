"""The poster's sentences, in the poster's language, in Easy Read: one idea a sentence, at
most 15 words. Where the kiosk, the phone line or the printed slip already says the same
thing, the words are the same, so one translation serves all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from posters.facts import PosterFacts
from safeguarding.messages import SAMARITANS_NUMBER
from translations.bidi import ltr as isolate
from translations.i18n import _
from translations.languages import BY_CODE

STAR = "*"
RELAY_UK = "18001"  # dialled before a number, the call goes through a Relay UK assistant


def ltr(number: str) -> str:
    """A number kept left to right inside any sentence (translations.bidi) and, on paper,
    on one line: its spaces become no-break spaces."""
    return isolate(number.replace(" ", "\u00a0"))


@dataclass(frozen=True)
class Block:
    """One part of the poster: a picture beside a few sentences. Without a heading, the
    first sentence is printed large."""

    icon: str  # a file in kiosk/static/icons
    heading: str | None
    sentences: tuple[str, ...]
    places: tuple[str, ...] = ()  # a list printed under the sentences
    after: tuple[str, ...] = ()  # sentences printed under the list


@dataclass(frozen=True)
class PosterWords:
    language: str
    direction: str  # ltr | rtl
    title: str
    establishment: str
    blocks: tuple[Block, ...]


def poster_words(facts: PosterFacts, language: str) -> PosterWords:
    with force_locale(language):
        blocks = (
            _phone_block(facts, language),
            _kiosk_block(facts),
            _anonymous_block(),
            _next_block(facts),
            _danger_block(),
            _help_block(),
        )
        # Translators: kiosk menu button; also the title of the printed poster.
        title = _("Tell us something is wrong.")
    return PosterWords(
        language=language,
        direction=BY_CODE[language].direction,
        title=title,
        establishment=facts.name,
        blocks=tuple(block for block in blocks if block.sentences),
    )


def _phone_block(facts: PosterFacts, language: str) -> Block:
    sentences = [
        # Translators: kiosk; %(number)s is the prison's safeguarding phone line.
        _("You can call the safeguarding line on %(number)s.", number=ltr(number))
        for number in facts.phone_numbers
    ]
    if sentences:
        sentences.extend(_language_keys(facts, language))
        sentences.extend(_relay_uk(facts.phone_numbers[0]))
    return Block("headphones.svg", None, tuple(sentences))


def _relay_uk(number: str) -> list[str]:
    """Deaf people, and people who cannot hear or speak well, call by text through Relay UK."""
    return [
        # Translators: printed poster; Relay UK is a UK service that turns text into speech
        # on a phone call. Keep "Relay UK" as it is.
        _("If you cannot hear or speak well, you can call through Relay UK."),
        # Translators: printed poster; %(number)s is 18001 and then the safeguarding line.
        _("For Relay UK, dial %(number)s.", number=ltr(f"{RELAY_UK} {number}")),
    ]


def _language_keys(facts: PosterFacts, language: str) -> list[str]:
    keys = facts.menu_keys.get(language)
    if keys is None:
        # Translators: printed poster, when the phone line has no audio in this language.
        return [_("The phone line is not in your language yet.")]
    if not keys:
        return []  # the line speaks one language: there is no menu
    name = BY_CODE[language].native_name
    if keys[0] == STAR:
        return [
            # Translators: phone language menu, spoken in this language. %(language)s is its
            # own name (e.g. "Cymraeg"). The star key opens more languages.
            _("For %(language)s, press the star key.", language=name),
            # Translators: printed poster, after "press the star key"; %(key)s is a digit.
            _("Then press %(key)s.", key=ltr(keys[1])),
        ]
    # Translators: phone language menu, spoken in this language. %(language)s is its own
    # name (e.g. "Cymraeg"); %(key)s is a keypad digit.
    return [_("For %(language)s, press %(key)s.", language=name, key=ltr(keys[0]))]


def _kiosk_block(facts: PosterFacts) -> Block:
    if not facts.kiosk_places:
        return Block("touch.svg", None, ())
    # Translators: printed poster; a list of wings and places follows.
    found = _("You can find a kiosk in these places:")
    if not facts.bsl_at_kiosk:
        return Block("touch.svg", None, (found,), facts.kiosk_places)
    # Translators: printed poster: the kiosk shows its screens signed in British Sign
    # Language. Keep the short name "BSL" as it is.
    signed = _("The kiosk has videos in British Sign Language (BSL).")
    return Block("touch.svg", None, (found,), facts.kiosk_places, (signed,))


def _anonymous_block() -> Block:
    # Translators: printed poster: a report can be anonymous.
    return Block("contact-anonymous.svg", None, (_("You do not have to give your name."),))


def _next_block(facts: PosterFacts) -> Block:
    sentences = [
        # Translators: printed slip for a prisoner: what happens after a report.
        _("The safeguarding team will read your report."),
        # Translators: printed poster: after a report, the prisoner gets a follow-up code.
        _("You will get a code."),
        # Translators: kiosk, advice about the follow-up code.
        _("Keep your code safe. Use it to check your report later."),
        # Translators: printed slip; the words in quotes are the kiosk's button.
        _("At a kiosk, touch “I have a code from before”. Then type your code."),
    ]
    if facts.phone_numbers:
        # Translators: printed slip for a prisoner; the phone menu's option 3 is for codes.
        phone = _("Or call %(number)s and press 3. Then type your code.",
                  number=ltr(facts.phone_numbers[0]))  # fmt: skip
        sentences.append(phone)
    # Translators: printed slip for a prisoner: a heading.
    return Block("code.svg", _("What happens next"), tuple(sentences))


def _danger_block() -> Block:
    sentences = (
        # Translators: kiosk, what to do at once when in danger.
        _("Tell any officer straight away."),
        # Translators: kiosk, what to do at once when in danger.
        _("Press your cell bell."),
    )
    # Translators: kiosk heading: what to do at once when in danger.
    return Block("bell.svg", _("If you are in danger now"), sentences)


def _help_block() -> Block:
    sentences = (
        # Translators: printed slip; a Listener is a prisoner trained by Samaritans to listen.
        _("You can talk to a Listener."),
        # Translators: printed slip; %(number)s is the Samaritans number, 116 123.
        _("You can call Samaritans free on %(number)s.", number=ltr(SAMARITANS_NUMBER)),
    )
    # Translators: printed slip for a prisoner: a heading.
    return Block("help.svg", _("Other help"), sentences)
