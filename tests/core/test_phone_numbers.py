"""Phone numbers shown, printed and spoken as people dial them (phonenumbers), and the one
rule for what counts as a number, the same for administrators and for callers."""

from __future__ import annotations

import pytest

from safeguarding.admin_rules import AdminRefused, clean_phone
from safeguarding.phone_numbers import display_phone_number, is_phone_number
from speech.numbers import spoken_numbers
from translations.bidi import ltr


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("+442079460000", "020 7946 0000"),  # London: was "02079 460000"
        ("+441134960000", "0113 496 0000"),  # Leeds
        ("+442890123456", "028 9012 3456"),  # Belfast
        ("+441632960001", "01632 960001"),  # Ofcom's drama range, five-digit area code
        ("+447700900123", "07700 900123"),  # a mobile
        ("+35312345678", "+353 1 234 5678"),  # abroad: the international format, grouped
    ],
)
def test_a_number_is_shown_in_the_groups_people_dial(number: str, shown: str) -> None:
    assert display_phone_number(number) == shown


def test_what_is_not_a_number_is_shown_as_it_is() -> None:
    assert display_phone_number(None) is None
    assert display_phone_number("anonymous") == "anonymous"
    assert display_phone_number("+44123") == "+44123"


@pytest.mark.parametrize(
    "typed", ["07700 900123", "+44123", "+4420794600001234", "+44 20 7946 0000",
              "+٤٤٢٠٧٩٤٦٠٠٠٠", ""],
)  # fmt: skip
def test_administrators_and_callers_share_one_rule_and_refuse_the_same(typed: str) -> None:
    assert not is_phone_number(typed)
    with pytest.raises(AdminRefused):
        clean_phone(typed)


def test_a_caller_number_is_exactly_e164() -> None:
    """Twilio sends E.164; anything else (a trailing newline, a space) is not kept."""
    assert is_phone_number("+442079460000")
    assert not is_phone_number("+442079460000\n") and not is_phone_number(" +442079460000")


def test_a_short_real_number_abroad_is_a_number_for_both() -> None:
    """Niue's numbers have four digits: the old admin pattern refused what the phone
    line's pattern accepted."""
    assert is_phone_number("+6834002")
    assert clean_phone(" +6834002 ") == "+6834002"


def test_a_number_is_spoken_digit_by_digit_in_its_groups() -> None:
    sentence = f"Call the safeguarding line now on {ltr('020 7946 0000')}."
    assert spoken_numbers(sentence) == "Call the safeguarding line now on 0 2 0, 7 9 4 6, 0 0 0 0."
    assert spoken_numbers("Samaritans: 116 123.") == "Samaritans: 1 1 6, 1 2 3."


def test_lone_numbers_are_left_to_the_voice() -> None:
    assert spoken_numbers(f"Press {ltr('1')}. We answer within 24 hours.") == (
        "Press 1. We answer within 24 hours."
    )
