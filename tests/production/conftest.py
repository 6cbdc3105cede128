"""A deployment of the app on gunicorn for fault tests: one establishment, kiosks, a line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.production.deployment import Deployment


@pytest.fixture
def deployment(tmp_path: Path, database_url: str) -> Iterator[Deployment]:
    prepared = Deployment(tmp_path / "instance", database_url).prepare()
    yield prepared
    prepared.close()
