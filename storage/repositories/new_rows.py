"""New rows written in one INSERT per table, outside the unit of work (issue 18).

The unit of work inserts each new object in a statement of its own on SQLite (it needs
each row's id back, and SQLite cannot batch that and keep the order), and its bookkeeping
costs about as much again. A new report's answers, categories, first event and clocks are
never read back by id in the transaction that writes them, so they go in one
``executemany`` each. The objects stay transient (not in the session, no id): use this
only for rows nothing in the same transaction looks up by id.

Core statements do not autoflush: anything a row here refers to must already be in the
database (a new report is, from ``insert_report_once``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import cast

from sqlalchemy import Column, Insert, Table, insert, inspect
from sqlalchemy.orm import Session

from storage.models.base import Base


def insert_rows(session: Session, rows: Sequence[Base]) -> None:
    """Write ``rows`` (new objects of one model, every one with the same attributes set)."""
    if not rows:
        return
    model = type(rows[0])
    columns = _columns(model)
    values = [
        {column: vars(row)[key] for key, column in columns if key in vars(row)} for row in rows
    ]
    if any(row.keys() != values[0].keys() for row in values):
        # One statement has one column list: a row missing a value would get NULL, not
        # its column's default.
        raise ValueError(f"rows of {model.__tablename__} set different columns")
    session.execute(_insert(cast(Table, model.__table__)), values)


@cache
def _columns(model: type[Base]) -> tuple[tuple[str, str], ...]:
    """(attribute, column) for each plain column of ``model``'s table: an ORM object keeps
    the attributes set on it in its __dict__, under the attribute's name."""
    table = cast(Table, model.__table__)
    return tuple(
        (attribute.key, attribute.columns[0].key)
        for attribute in inspect(model).column_attrs
        if isinstance(attribute.columns[0], Column) and attribute.columns[0].table is table
    )


@cache
def _insert(table: Table) -> Insert:
    """Built once per table: SQLAlchemy's statement cache then serves every execution."""
    statement: Insert = insert(table)
    return statement
