"""Phone numbers read aloud digit by digit, in their groups.

A synthetic voice reads "020 7946 0000" as "zero twenty, seven thousand nine hundred and
forty-six, zero zero zero zero", and "116 123" as "one hundred and sixteen, one hundred and
twenty-three": nobody can dial either. So before a sentence is spoken, every number it
writes in groups, or isolates left to right (translations.bidi), is spelled out one digit
at a time with a pause (a comma) between its groups: "0 2 0, 7 9 4 6, 0 0 0 0". A lone
number such as "press 1" or "24 hours" is left to the voice. The renderer does this for
every sentence it synthesises (kiosk and phone alike), and Twilio's <Say> gets the same.
"""

from __future__ import annotations

import re

from translations.bidi import LEFT_TO_RIGHT_ISOLATE, POP_DIRECTIONAL_ISOLATE

_NUMBER = re.compile(
    rf"{LEFT_TO_RIGHT_ISOLATE}(?P<isolated>\+?\d+(?: \d+)*){POP_DIRECTIONAL_ISOLATE}"
    r"|(?P<grouped>\+?\d+(?: \d+)+)"
)


def spoken_numbers(sentence: str) -> str:
    """``sentence`` with its phone numbers spelled digit by digit, group by group."""
    return _NUMBER.sub(_digit_by_digit, sentence)


def _digit_by_digit(found: re.Match[str]) -> str:
    number = found.group("isolated") or found.group("grouped")
    groups = number.split(" ")
    if all(len(group) == 1 for group in groups):
        return number  # already one digit at a time: spelling it again would add pauses
    return ", ".join(" ".join(group) for group in groups)
