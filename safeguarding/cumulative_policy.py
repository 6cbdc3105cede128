"""The policy's cumulative concerns and suggestion window (issue 14), parsed from
``[[cumulative_concerns]]`` and ``[suggestions]``.

Low-level concerns that are each "standard" can add up to something that needs action: a
rule counts reports in a group (the same person causing harm, or the same wing and
category) within a number of days, and at its count it raises the newest report's priority
and alerts the lead. The rules themselves run in safeguarding.cumulative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from safeguarding.durations import PolicyError

PREFIX = "cumulative_concerns"
SAME_PERSON_CAUSING_HARM = "same_person_causing_harm"
WING_AND_CATEGORY = "wing_and_category"
MATCHES = (SAME_PERSON_CAUSING_HARM, WING_AND_CATEGORY)
RAISE_TO = ("immediate", "high")  # "standard" would never raise anything
ALERTS = ("lead", "none")
_KEYS = frozenset({"match", "count", "within_days", "raise_to", "alert"})
MAX_DAYS = 366


@dataclass(frozen=True)
class CumulativeRule:
    match: str
    count: int  # reports in the group, the newest included
    within: timedelta
    raise_to: str | None  # None: leave the priority alone
    alert_lead: bool

    @property
    def name(self) -> str:
        """What the rule is known by in the database (its firings) and the audit log."""
        return f"{self.match}:{self.count}:{self.within.days}d"


def cumulative_rules(value: object) -> tuple[CumulativeRule, ...]:
    if not isinstance(value, list):
        raise PolicyError(f"policy key {PREFIX!r} must be a list of tables ([[{PREFIX}]])")
    rules = tuple(_rule(entry, f"{PREFIX}[{number}]") for number, entry in enumerate(value))
    names = [rule.name for rule in rules]
    if len(set(names)) != len(names):
        raise PolicyError(f"policy key {PREFIX!r} has the same rule twice")
    return rules


def _rule(entry: object, key: str) -> CumulativeRule:
    if not isinstance(entry, dict):
        raise PolicyError(f"policy key {key!r} must be a table")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise PolicyError(f"policy key '{key}.{unknown[0]}' is not known")
    match = entry.get("match")
    if match not in MATCHES:
        raise PolicyError(f"policy key '{key}.match' must be one of {', '.join(MATCHES)}")
    raise_to = entry.get("raise_to")
    if raise_to is not None and raise_to not in RAISE_TO:
        raise PolicyError(f"policy key '{key}.raise_to' must be one of {', '.join(RAISE_TO)}")
    alert = entry.get("alert", "none")
    if alert not in ALERTS:
        raise PolicyError(f"policy key '{key}.alert' must be one of {', '.join(ALERTS)}")
    if raise_to is None and alert == "none":
        raise PolicyError(f"policy key {key!r} does nothing: give raise_to or alert")
    return CumulativeRule(
        match=str(match),
        count=_whole(entry, "count", key, lowest=2, highest=1000),
        within=timedelta(days=_whole(entry, "within_days", key, lowest=1, highest=MAX_DAYS)),
        raise_to=raise_to,
        alert_lead=alert == "lead",
    )


def suggestion_window(table: dict[str, Any]) -> timedelta:
    """How far apart two reports about one wing and category may be to be suggested."""
    key = "suggestions"
    return timedelta(days=_whole(table, "wing_and_category_within_days", key, 1, MAX_DAYS))


def _whole(table: dict[str, Any], name: str, key: str, lowest: int, highest: int) -> int:
    value = table.get(name)
    # bool is an int in Python: "count = true" must not mean 1.
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= highest:
        raise PolicyError(
            f"policy key '{key}.{name}' must be a whole number from {lowest} to {highest}"
        )
    return value
