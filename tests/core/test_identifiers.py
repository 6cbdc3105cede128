# ruff: noqa: RUF001  (look-alike letters and digits are what is being tested)

"""How names and numbers are normalised before they are blind-indexed (docs/patterns.md):
what counts as "the same person" across reports is pinned here, case by case."""

from __future__ import annotations

import pytest

from safeguarding.identifiers import (
    DESCRIPTION,
    NAME,
    PRISON_NUMBER,
    STAFF_NUMBER,
    normalise,
)

SAME_NAME = [
    ("Jon Smith", "jon  smith"),  # case and spacing
    ("Jon Smith", "SMITH, Jon"),  # surname first, as on prison paperwork
    ("Jon Smith", "Mr Jon Smith"),  # a title
    ("Jón Śmith", "Jon Smith"),  # accents
    ("Łukasz Wałęsa", "Lukasz Walesa"),  # Polish letters Unicode does not decompose
    ("Nguyễn Văn An", "an nguyen van"),  # Vietnamese tones and word order
    ("Đặng Thị Mai", "Dang Thi Mai"),  # Vietnamese đ
    ("O'Brien", "OBrien"),  # apostrophes join
    ("O’Brien", "o'brien"),  # a typographic apostrophe is the same
    ("Smith-Jones", "Jones Smith"),  # a hyphen separates words
    ("Ştefan Ionescu", "Stefan Ionescu"),  # Romanian comma and cedilla letters
    ("Žygimantas Šimkus", "Zygimantas Simkus"),  # Lithuanian carons
    ("Ahmed Ali", "ahmed\tali"),  # any whitespace
    ("أحمد علي", "احمد علي"),  # alef with hamza is written without it too
    ("فاطمة", "فاطمه"),  # teh marbuta and heh
    ("مُحَمَّد", "محمد"),  # Arabic short vowels are marks and go
    ("عمران خان", "عمران خان"),  # Urdu: the same script matches itself
    ("ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "ਗੁਰਪ੍ਰੀਤ  ਸਿੰਘ"),  # Gurmukhi, spacing only
]

DIFFERENT_NAMES = [
    ("Jon Smith", "John Smith"),  # a spelling is not guessed at
    ("Jon Smith", "Jon Smyth"),
    ("Jon Smith", "Smith"),  # a surname alone is not the whole name
    ("Ahmed Ali", "أحمد علي"),  # no transliteration between scripts (docs/patterns.md)
]


@pytest.mark.parametrize(("one", "other"), SAME_NAME)
def test_names_a_person_would_call_the_same_normalise_alike(one: str, other: str) -> None:
    assert normalise(NAME, one) == normalise(NAME, other) is not None


@pytest.mark.parametrize(("one", "other"), DIFFERENT_NAMES)
def test_names_that_may_be_different_people_stay_apart(one: str, other: str) -> None:
    assert normalise(NAME, one) != normalise(NAME, other)


@pytest.mark.parametrize(
    ("given", "normal"),
    [("A1234BC", "A1234BC"), ("a1234bc", "A1234BC"), (" A 1234 BC ", "A1234BC"),
     ("a-1234-bc", "A1234BC"), ("Ａ１２３４ＢＣ", "A1234BC")],
)  # fmt: skip
def test_prison_numbers_are_upper_cased_and_compacted(given: str, normal: str) -> None:
    assert normalise(PRISON_NUMBER, given) == normal


@pytest.mark.parametrize("given", ["12345", "AB1234C", "A123BC", "A12345BC", "", "A1234B"])
def test_what_is_not_a_prison_number_is_not_indexed_as_one(given: str) -> None:
    assert normalise(PRISON_NUMBER, given) is None


def test_staff_numbers_are_compacted_and_descriptions_never_indexed() -> None:
    assert normalise(STAFF_NUMBER, "ab 123-45") == "AB12345"
    assert normalise(DESCRIPTION, "tall, a tattoo of a swallow on his neck") is None
    assert normalise(NAME, " , . ") is None
    assert normalise(NAME, "Mr") is None  # nothing left once the title goes
