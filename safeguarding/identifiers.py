"""How an identifier of a person is normalised before it is blind-indexed.

The rules decide what counts as "the same person" across reports, so they are written
down in docs/patterns.md and pinned by tests/core/test_identifiers.py. They err towards
matching what a person would say is the same, never towards guessing: a name in Arabic
script is not transliterated into Latin letters (there is no single right way to do it),
so it matches the same name written in the same script.
"""

# ruff: noqa: RUF001  (the letters folded below look like Latin ones: that is the point)

from __future__ import annotations

import re
import unicodedata

PRISON_NUMBER = "prison_number"
STAFF_NUMBER = "staff_number"
NAME = "name"
DESCRIPTION = "description"  # sealed but never indexed: free words do not identify anyone
IDENTIFIER_KINDS = (NAME, PRISON_NUMBER, STAFF_NUMBER, DESCRIPTION)
INDEXED_KINDS = (NAME, PRISON_NUMBER, STAFF_NUMBER)

# England and Wales prison numbers: one letter, four digits, two letters (A1234BC).
_PRISON_NUMBER = re.compile(r"^[A-Z][0-9]{4}[A-Z]{2}$")
_STAFF_NUMBER = re.compile(r"^[A-Z0-9]{3,12}$")
# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN_FOLDS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "ŧ": "t",
        "ə": "e",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
    }
)
# Arabic-script variants that the same name is written with (alef with hamza or madda,
# alef maqsura, teh marbuta, Persian/Urdu kaf and yeh, heh goal): one form each.
_ARABIC_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ے": "ي",
        "ة": "ه",
        "ۃ": "ه",
        "ہ": "ه",
        "ک": "ك",
        "ـ": "",  # tatweel, a stretching stroke
    }
)
_APOSTROPHES = re.compile("['\u2019\u02bc\u2018`]")
# Titles said before a name that do not tell one person from another.
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "officer", "oso", "so", "sgt"})


def normalise(kind: str, value: str) -> str | None:
    """The normal form of ``value`` as a ``kind`` of identifier, or None if it is not one
    that can be indexed (a description, or nothing left once normalised)."""
    if kind == PRISON_NUMBER:
        return normalise_prison_number(value)
    if kind == STAFF_NUMBER:
        compact = re.sub(r"[\s\-./]", "", value).upper()
        return compact if _STAFF_NUMBER.match(compact) else None
    if kind == NAME:
        return normalise_name(value)
    return None


def normalise_prison_number(value: str) -> str | None:
    compact = re.sub(r"[\s\-./]", "", unicodedata.normalize("NFKC", value)).upper()
    return compact if _PRISON_NUMBER.match(compact) else None


def normalise_name(value: str) -> str | None:
    """Case-folded, accents and apostrophes removed, other punctuation and spacing made one
    space, titles
    dropped, the words in alphabetical order (so "SMITH, Jon" is "Jon Smith")."""
    text = unicodedata.normalize("NFKC", value).casefold().translate(_LATIN_FOLDS)
    text = _APOSTROPHES.sub("", text.translate(_ARABIC_FOLDS))  # O'Brien is OBrien
    decomposed = unicodedata.normalize("NFKD", text)
    # Marks go (é → e, Arabic short vowels), letters and digits stay, the rest is a space.
    kept = "".join(
        " " if not (char.isalnum() or unicodedata.category(char).startswith("M")) else char
        for char in decomposed
        if not unicodedata.category(char).startswith("M")
    )
    words = sorted(word for word in kept.split() if word not in _TITLES)
    return " ".join(words) or None
