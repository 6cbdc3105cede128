"""Phone numbers: the one rule for what counts as one, and how one is shown and printed.

Both through ``phonenumbers`` (Google's libphonenumber), which knows every country's
lengths and groups: +442079460000 is shown "020 7946 0000", as it is dialled from a
prison in the UK. Spoken numbers are read digit by digit (speech.numbers).
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat

UK_COUNTRY_CODE = 44


def _parsed(value: str) -> PhoneNumber | None:
    """A number written in E.164 (a plus, the country code, digits and nothing else) and
    of a length that country uses; otherwise None."""
    digits = value[1:]
    if not (value.startswith("+") and digits.isascii() and digits.isdigit()):
        return None
    try:
        parsed = phonenumbers.parse(value, None)
    except NumberParseException:
        return None
    return parsed if phonenumbers.is_possible_number(parsed) else None


def is_phone_number(value: str) -> bool:
    """The one phone rule, for what administrators enter (lines, on-call contacts) and for
    the caller's number Twilio sends (a withheld one arrives as "anonymous": not one).

    Possible rather than valid: a number Ofcom keeps for drama and tests (01632 960xxx,
    07700 900xxx) is never "valid", yet demos and training use them.
    """
    return _parsed(value) is not None


def display_phone_number(number: str | None) -> str | None:
    """As people dial it from inside: a UK number in the national format
    (+442079460000 -> 020 7946 0000), any other in the international one
    (+35312345678 -> +353 1 234 5678). Anything else is shown as it is."""
    parsed = _parsed(number) if number is not None else None
    if parsed is None:
        return number
    style = (
        PhoneNumberFormat.NATIONAL
        if parsed.country_code == UK_COUNTRY_CODE
        else PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)
