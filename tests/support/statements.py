"""Every SQL statement the app sends, to count what a piece of work costs the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from safeguarding.services import Services


@contextmanager
def recorded(services: Services) -> Iterator[list[str]]:
    """The statements sent inside the block, whitespace folded, BEGIN included."""
    said: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        said.append(" ".join(statement.split()))

    event.listen(services.db.engine, "before_cursor_execute", record)
    try:
        yield said
    finally:
        event.remove(services.db.engine, "before_cursor_execute", record)
