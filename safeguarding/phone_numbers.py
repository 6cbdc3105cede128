"""Phone numbers: the one rule for what counts as one, and how people inside dial them."""

from __future__ import annotations

import re

# E.164, as Twilio sends a caller's number and as administrators enter lines and contacts:
# a plus, a country code, at most 15 digits in all.
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def is_phone_number(value: str) -> bool:
    """A whole number in E.164 form (a withheld caller arrives as "anonymous": not one)."""
    return _E164.match(value) is not None


def display_phone_number(number: str | None) -> str | None:
    """A UK number as people dial it from inside (+441632960001 -> 01632 960001)."""
    if number is None or not number.startswith("+44") or not number[1:].isdigit():
        return number
    national = "0" + number[3:]
    return f"{national[:5]} {national[5:]}" if len(national) == 11 else national
