"""Phone numbers as people inside dial them."""

from __future__ import annotations


def display_phone_number(number: str | None) -> str | None:
    """A UK number as people dial it from inside (+441632960001 -> 01632 960001)."""
    if number is None or not number.startswith("+44") or not number[1:].isdigit():
        return number
    national = "0" + number[3:]
    return f"{national[:5]} {national[5:]}" if len(national) == 11 else national
