"""The policy's retaliation check-ins: after how long, and for which reports (issue 15.5).
Parsed from ``[retaliation_checkins]``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from safeguarding.catalogue import Category
from safeguarding.durations import PolicyError, parse_duration
from safeguarding.evidence_policy import triggers

PREFIX = "retaliation_checkins"


@dataclass(frozen=True)
class CheckInRule:
    after: tuple[timedelta, ...]  # from when the report was received, soonest first
    when_categories: frozenset[Category]
    when_flags: frozenset[str]
    # Issue 14: also whenever the report says who caused the harm (a prisoner, a member of
    # staff or someone outside), whatever its kind: naming someone is what is punished.
    when_someone_named: bool = True

    def applies(
        self, categories: frozenset[Category], flags: frozenset[str], *, names_someone: bool
    ) -> bool:
        return bool(
            categories & self.when_categories
            or flags & self.when_flags
            or (self.when_someone_named and names_someone)
        )


def checkin_rule(table: dict[str, Any], flags: tuple[str, ...]) -> CheckInRule:
    after = table.get("after")
    if not isinstance(after, list):
        raise PolicyError(f"policy key '{PREFIX}.after' must be a list")
    times = tuple(parse_duration(value, f"{PREFIX}.after") for value in after)
    if list(times) != sorted(set(times)):
        raise PolicyError(f"policy key '{PREFIX}.after' must go from soonest to latest")
    categories, raised = triggers(table, PREFIX, flags)
    named = table.get("when_someone_named", True)
    if not isinstance(named, bool):
        raise PolicyError(f"policy key '{PREFIX}.when_someone_named' must be true or false")
    return CheckInRule(times, categories, raised, named)
