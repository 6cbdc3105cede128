"""Property-based: an id from outside is either a row id the database can hold, or None."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from storage.ids import MAX_ROW_ID, parse_row_id
from tests.properties.hostile import DIGITS_OF_OTHER_SCRIPTS


@given(text=st.one_of(st.text(), st.text(alphabet=DIGITS_OF_OTHER_SCRIPTS + "0123456789 ")))
@example(text="²")
@example(text="99999999999999999999")
@example(text="1" * 5000)
@example(text="0")
def test_any_text_gives_an_id_in_range_or_none(text: str) -> None:
    parsed = parse_row_id(text)
    if parsed is not None:
        assert 1 <= parsed <= MAX_ROW_ID
        assert text.strip() == str(parsed) or text.strip().lstrip("0") == str(parsed)


@given(number=st.integers(min_value=1, max_value=MAX_ROW_ID))
def test_every_id_in_range_is_read_back(number: int) -> None:
    assert parse_row_id(str(number)) == number
    assert parse_row_id(f" {number} ") == number
    assert parse_row_id(str(MAX_ROW_ID + number)) is None
