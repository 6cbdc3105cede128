"""The order a parallel run takes its tests in: the heaviest modules first.

pytest-xdist hands each worker a share of the collected tests in the order collected, and a
worker that runs out steals from the end of a busy one's queue. In collection order a long
browser walk could be the last test left, one core busy on it and the other idle (seen with
three workers). Here the tests of each module and database stay together (their module
fixtures are made once) and the modules go heaviest first, by the seconds they took in a
recorded run (``module_seconds.json``); a module not recorded is counted at
``UNRECORDED_SECONDS`` a test. The light tests then fill the end, and stealing balances
the cores. On 2026-12-07 the whole run, already bound by CPU, gained less than its noise.

Refresh the record after a full run with a JUnit report:
``scripts/test --junitxml=/tmp/junit.xml`` then
``.venv/bin/python -m tests.support.schedule /tmp/junit.xml``.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

import pytest

RECORD = Path(__file__).with_name("module_seconds.json")
UNRECORDED_SECONDS = 0.3
RECORDED_FROM_SECONDS = 2.0  # lighter modules are left out of the record: their order is moot
REPO = Path(__file__).parents[2]


def _kind_of(item: pytest.Item) -> str:
    callspec = getattr(item, "callspec", None)
    return str(callspec.params.get("database_kind", "")) if callspec is not None else ""


def group_key(module: str, kind: str) -> str:
    """``tests/x/test_y.py[postgresql]``, or the module alone for tests without a database."""
    return f"{module}[{kind}]" if kind else module


def heaviest_first(
    items: list[pytest.Item], recorded: dict[str, float] | None = None
) -> list[pytest.Item]:
    """``items`` grouped by module and database, heaviest group first by ``recorded``
    seconds (default: the record); within a group, and between groups of equal weight, the
    collected order is kept."""
    groups: dict[str, list[pytest.Item]] = {}
    for item in items:
        module = item.path.relative_to(REPO).as_posix()
        groups.setdefault(group_key(module, _kind_of(item)), []).append(item)
    if recorded is None:
        recorded = json.loads(RECORD.read_text()) if RECORD.exists() else {}

    def weight(key: str) -> float:
        return recorded.get(key, UNRECORDED_SECONDS * len(groups[key]))

    ordered = sorted(groups, key=weight, reverse=True)  # sorted() is stable
    return [item for key in ordered for item in groups[key]]


class HeaviestFirst:
    """The plugin tests/conftest.py registers in a parallel run."""

    @pytest.hookimpl(trylast=True)  # after -m has selected and pytest has grouped the tests
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        items[:] = heaviest_first(items)


def _module_of(classname: str) -> str:
    """A JUnit classname (``tests.a.test_b`` or ``tests.a.test_b.TestC``) as a file path."""
    parts = classname.split(".")
    while parts and not (REPO / Path(*parts)).with_suffix(".py").exists():
        parts.pop()
    return "/".join(parts) + ".py"


def record(junit_xml: Path) -> dict[str, float]:
    """Seconds per module and database from a JUnit report, rounded to tenths."""
    seconds: dict[str, float] = defaultdict(float)
    for case in ElementTree.parse(junit_xml).iter("testcase"):  # noqa: S314 (pytest's own report)
        name = case.get("name", "")
        kind = next((k for k in ("sqlite", "postgresql") if f"[{k}" in name), "")
        seconds[group_key(_module_of(case.get("classname", "")), kind)] += float(
            case.get("time", "0")
        )
    return {
        key: round(value, 1)
        for key, value in sorted(seconds.items())
        if value >= RECORDED_FROM_SECONDS
    }


if __name__ == "__main__":
    RECORD.write_text(json.dumps(record(Path(sys.argv[1])), indent=1) + "\n")
