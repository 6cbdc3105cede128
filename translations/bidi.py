"""Keeping phone numbers the right way round inside right-to-left sentences.

In an Arabic or Urdu sentence, Unicode's bidirectional algorithm shows "116 123" as
"123 116": a wrong number to call. Wrapping a number in a left-to-right isolate keeps its
digits and groups in order whatever the sentence's direction, and changes nothing in a
left-to-right sentence.
"""

from __future__ import annotations

import re

LEFT_TO_RIGHT_ISOLATE = "\u2066"
POP_DIRECTIONAL_ISOLATE = "\u2069"

# Digits in groups separated by single spaces, as phone numbers and codes are written.
_NUMBER_GROUPS = re.compile(r"\+?\d+(?: \d+)+")


def ltr(number: str) -> str:
    """One number, isolated left to right (for a placeholder's value)."""
    return f"{LEFT_TO_RIGHT_ISOLATE}{number}{POP_DIRECTIONAL_ISOLATE}"


def isolate_numbers(sentence: str) -> str:
    """Every grouped number in a translated sentence, isolated left to right.

    For sentences whose translation holds the number itself (such as a standard message
    that names Samaritans' 116 123) rather than a placeholder.
    """
    return _NUMBER_GROUPS.sub(lambda found: ltr(found.group(0)), sentence)
