from __future__ import annotations

import secrets

import pytest

from safeguarding.codes import (
    _DAMM,
    CODE_LENGTH,
    damm_check_digit,
    derive_code,
    group,
    is_valid,
    normalise,
)
from safeguarding.errors import CodeMalformed

PEPPER = b"p" * 32


def test_the_damm_table_catches_every_single_digit_error() -> None:
    # Each row and each column of the quasigroup is a permutation, so changing any one
    # digit changes the running state, and the state never converges again: exhaustive.
    for row in _DAMM:
        assert sorted(row) == list(range(10))
    for column in range(10):
        assert sorted(row[column] for row in _DAMM) == list(range(10))


def test_the_damm_table_catches_every_adjacent_transposition() -> None:
    # Weak total anti-symmetry, checked for every state and every pair of digits.
    for state in range(10):
        for x in range(10):
            for y in range(10):
                if x != y:
                    assert _DAMM[_DAMM[state][x]][y] != _DAMM[_DAMM[state][y]][x]


@pytest.mark.parametrize("sample", range(200))
def test_codes_reject_each_single_digit_error_and_adjacent_swap(sample: int) -> None:
    code = derive_code(PEPPER, secrets.token_urlsafe(16), 0)
    assert is_valid(code)
    for position in range(CODE_LENGTH):
        for digit in "0123456789":
            if digit != code[position]:
                mistyped = code[:position] + digit + code[position + 1 :]
                assert not is_valid(mistyped)
    for position in range(CODE_LENGTH - 1):
        a, b = code[position], code[position + 1]
        if a != b:
            swapped = code[:position] + b + a + code[position + 2 :]
            assert not is_valid(swapped)


def test_a_code_is_twelve_digits_and_the_same_for_the_same_submission() -> None:
    key = secrets.token_urlsafe(16)
    code = derive_code(PEPPER, key, 0)
    assert len(code) == 12 and code.isdigit()
    assert derive_code(PEPPER, key, 0) == code
    assert derive_code(PEPPER, key, 1) != code
    assert derive_code(b"q" * 32, key, 0) != code


def test_codes_are_shown_in_groups_of_four_and_typed_with_any_separators() -> None:
    code = derive_code(PEPPER, "k" * 16, 0)
    assert group(code) == [code[0:4], code[4:8], code[8:12]]
    assert normalise(" ".join(group(code))) == code
    assert normalise("-".join(group(code))) == code


@pytest.mark.parametrize("entered", ["", "12345", "abcdabcdabcd", "1234 5678 90123"])
def test_malformed_codes_are_a_typing_mistake(entered: str) -> None:
    with pytest.raises(CodeMalformed):
        normalise(entered)


def test_check_digit_of_a_known_sequence() -> None:
    # The worked example from Damm's algorithm: 572 -> check digit 4.
    assert damm_check_digit("572") == "4"
    assert damm_check_digit("5724") == "0"  # a number with its check digit checks to 0
    assert not is_valid("5724")  # but only twelve digits make a follow-up code
