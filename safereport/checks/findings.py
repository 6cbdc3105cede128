"""One line an operator reads: what was checked, how it stands, and the fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    MISSING = "missing"  # production must not run like this
    RISKY = "risky"  # it runs; someone should look


@dataclass(frozen=True)
class Finding:
    item: str
    status: Status
    detail: str
    fix: str = ""

    @classmethod
    def ok(cls, item: str, detail: str) -> Finding:
        return cls(item, Status.OK, detail)

    @classmethod
    def missing(cls, item: str, detail: str, fix: str) -> Finding:
        return cls(item, Status.MISSING, detail, fix)

    @classmethod
    def risky(cls, item: str, detail: str, fix: str) -> Finding:
        return cls(item, Status.RISKY, detail, fix)


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.status is Status.MISSING]


def format_findings(findings: Iterable[Finding]) -> str:
    lines = []
    for finding in findings:
        lines.append(f"{finding.status.value:<8} {finding.item}: {finding.detail}")
        if finding.fix:
            lines.append(f"{'':<8}   fix: {finding.fix}")
    return "\n".join(lines)
