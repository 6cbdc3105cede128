"""posters/ is a door: it may import safeguarding, storage and translations, never the
other doors (docs/architecture.md). The phone menu reaches it through the app instead."""

from __future__ import annotations

import ast
from pathlib import Path

import posters

FORBIDDEN = ("kiosk", "ivr", "triage")


def imported_packages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_posters_imports_no_other_door() -> None:
    folder = Path(posters.__file__).parent
    modules = sorted(folder.glob("*.py"))
    assert len(modules) >= 5
    for module in modules:
        assert not imported_packages(module) & set(FORBIDDEN), module.name
