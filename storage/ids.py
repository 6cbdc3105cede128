"""Row ids that come from outside (an address, a form): parsed once, the same way everywhere.

Every id column is a 32-bit ``integer`` on PostgreSQL; a larger number would make the
database raise (SQLite raises on more than 64 bits), turning a typo into a server error.
"""

from __future__ import annotations

MAX_ROW_ID = 2**31 - 1


def parse_row_id(text: str) -> int | None:
    """The id in ``text`` (ASCII digits, surrounding spaces allowed), or None if it cannot
    be a row's id. ``str.isdigit`` alone would let "²" through to a failing ``int()``."""
    text = text.strip()
    # Length first: int() refuses more than 4,300 digits with a ValueError of its own.
    if len(text) > len(str(MAX_ROW_ID)) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ROW_ID else None
