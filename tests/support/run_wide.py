"""Work done once per test run instead of once per test (a plugin tests/conftest.py loads)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine

import storage.db


class _CompiledOncePerDialect:
    """SQLAlchemy's compiled-statement cache, shared by every engine of the run.

    Each test builds its own engine, and an engine's cache starts empty, so every test
    compiled each statement it ran again (about one statement in four, a tenth of a page
    test's time). The cache's key names the dialect object; here it is replaced by what a
    compiled statement depends on (the dialect's class, its server's version, its parameter
    style), so two engines on the same kind of database share what they compiled. A
    production process has one engine for its life, and so a warm cache, as here."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[Any, ...], Any] = {}

    @staticmethod
    def _shared(key: tuple[Any, ...]) -> tuple[Any, ...]:
        dialect = key[0]
        kind = (type(dialect), dialect.server_version_info, dialect.paramstyle)
        return (kind, *key[1:])

    def get(self, key: tuple[Any, ...], default: Any = None) -> Any:
        return self._compiled.get(self._shared(key), default)

    def __setitem__(self, key: tuple[Any, ...], value: Any) -> None:
        self._compiled[self._shared(key)] = value


@pytest.fixture(autouse=True, scope="session")
def _statements_compiled_once() -> Iterator[None]:
    shared = _CompiledOncePerDialect()

    def with_shared_cache(*args: Any, **kwargs: Any) -> Engine:
        engine = create_engine(*args, **kwargs)
        if engine._compiled_cache is not None:
            engine._compiled_cache = shared  # type: ignore[assignment]
        return engine

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storage.db, "create_engine", with_shared_cache)
        yield
