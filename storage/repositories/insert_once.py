"""A row inserted unless a unique key already holds one, in one statement.

``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` on both databases: no pre-check SELECT
and no savepoint; under a race the second insert waits for the first's commit and then
does nothing, so its caller reads the first's row. The statements are built once with
bound parameters, so SQLAlchemy's statement cache serves every insert.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.session import make_transient_to_detached
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from storage.models.base import Base

Row = TypeVar("Row", bound=Base)


class InsertOnce(Generic[Row]):
    """``insert(session, values)``: the new row as a persistent object built from
    ``values`` (columns not given stay unloaded, read if asked), or None when a row with
    the same unique key (``conflict_on``, else any) was there first."""

    def __init__(self, model: type[Row], *, conflict_on: tuple[str, ...] = ()) -> None:
        table = cast(Table, model.__table__)
        target = [table.c[name] for name in conflict_on] or None
        self._model = model
        self._statements: dict[str, ReturningInsert[Any]] = {
            "postgresql": postgresql.insert(table)
            .on_conflict_do_nothing(index_elements=target)
            .returning(table.c.id),
            "sqlite": sqlite.insert(table)
            .on_conflict_do_nothing(index_elements=target)
            .returning(table.c.id),
        }

    def __call__(self, session: Session, values: dict[str, Any]) -> Row | None:
        statement = self._statements[session.get_bind().dialect.name]
        row_id = session.execute(statement, values).scalar_one_or_none()
        if row_id is None:
            return None
        row = self._model(id=row_id, **values)
        make_transient_to_detached(row)
        session.add(row)
        return row


def column_defaults(model: type[Base]) -> dict[str, Any]:
    """Every column but the id with its scalar default (None where it has none): a new row
    as the database will hold it, so an object built from it never reads itself back."""
    table = cast(Table, model.__table__)
    return {
        column.key: column.default.arg
        if isinstance(column.default, ScalarElementColumnDefault)
        else None
        for column in table.columns
        if column.key != "id"
    }
