"""The heaviest-first order of a parallel run, and the record it is taken from."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from tests.support.schedule import REPO, heaviest_first, record


def _item(module: str, name: str, kind: str = "") -> pytest.Item:
    callspec = SimpleNamespace(params={"database_kind": kind}) if kind else None
    return cast(pytest.Item, SimpleNamespace(path=REPO / module, name=name, callspec=callspec))


def _names(items: list[pytest.Item]) -> list[str]:
    return [item.name for item in items]


def test_modules_go_heaviest_first_and_each_module_on_each_database_stays_together() -> None:
    items = [
        _item("tests/a.py", "a1", "sqlite"),
        _item("tests/a.py", "a2", "sqlite"),
        _item("tests/a.py", "a1-pg", "postgresql"),
        _item("tests/b.py", "b1", "sqlite"),
        _item("tests/c.py", "c1"),
    ]
    recorded = {"tests/a.py[sqlite]": 1.0, "tests/a.py[postgresql]": 9.0, "tests/b.py[sqlite]": 5.0}
    ordered = heaviest_first(items, recorded)
    # c.py is not recorded: 0.3 s a test, after every recorded module here.
    assert _names(ordered) == ["a1-pg", "b1", "a1", "a2", "c1"]


def test_unrecorded_modules_weigh_by_their_count_and_ties_keep_the_collected_order() -> None:
    items = [_item("tests/one.py", "one")] + [_item("tests/many.py", f"m{i}") for i in range(3)]
    items.append(_item("tests/other.py", "other"))
    assert _names(heaviest_first(items, {})) == ["m0", "m1", "m2", "one", "other"]


def test_the_record_sums_a_junit_report_by_module_and_database(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    report.write_text(
        "<testsuites><testsuite>"
        '<testcase classname="tests.support.test_schedule" name="t[sqlite]" time="1.5"/>'
        '<testcase classname="tests.support.test_schedule" name="u[sqlite-en]" time="1.0"/>'
        '<testcase classname="tests.support.test_schedule" name="t[postgresql]" time="3"/>'
        '<testcase classname="tests.support.test_schedule" name="v" time="0.5"/>'
        "</testsuite></testsuites>"
    )
    module = "tests/support/test_schedule.py"
    # 0.5 s without a database is below the record's threshold: left out.
    assert record(report) == {f"{module}[postgresql]": 3.0, f"{module}[sqlite]": 2.5}
