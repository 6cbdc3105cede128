"""The policy's evidence clocks: for which reports each kind of evidence must be secured, and
how long there is before it is lost (issue 15.5). Parsed from ``[evidence.<kind>]`` tables;
the kinds are fixed (each has its words on the case page), their timings and triggers are
the establishment's to set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from safeguarding.catalogue import Category
from safeguarding.durations import PolicyError, parse_duration

# The order the case page lists them in: what is lost soonest first in the default policy.
EVIDENCE_KINDS = ("injury_photographs", "forensic_examination", "cctv")


@dataclass(frozen=True)
class EvidenceClock:
    kind: str
    within: timedelta  # from when the report was received
    when_categories: frozenset[Category]
    when_flags: frozenset[str]

    def applies(self, categories: frozenset[Category], flags: frozenset[str]) -> bool:
        return bool(categories & self.when_categories or flags & self.when_flags)


def evidence_clocks(table: dict[str, Any], flags: tuple[str, ...]) -> tuple[EvidenceClock, ...]:
    return tuple(_clock(table, kind, flags) for kind in EVIDENCE_KINDS)


def _clock(table: dict[str, Any], kind: str, flags: tuple[str, ...]) -> EvidenceClock:
    prefix = f"evidence.{kind}"
    given = table.get(kind)
    if not isinstance(given, dict):
        raise PolicyError(f"policy key {prefix!r} must be a table")
    categories, raised = triggers(given, prefix, flags)
    return EvidenceClock(
        kind=kind,
        within=parse_duration(given.get("within"), f"{prefix}.within"),
        when_categories=categories,
        when_flags=raised,
    )


def triggers(
    table: dict[str, Any], prefix: str, flags: tuple[str, ...]
) -> tuple[frozenset[Category], frozenset[str]]:
    """A policy table's ``when_categories`` and ``when_flags``, each checked by name."""
    categories = _listed(table, "when_categories", prefix, tuple(c.value for c in Category))
    raised = _listed(table, "when_flags", prefix, flags)
    return frozenset(Category(name) for name in categories), frozenset(raised)


def _listed(table: dict[str, Any], key: str, prefix: str, allowed: tuple[str, ...]) -> list[str]:
    values = table.get(key)
    if not isinstance(values, list):
        raise PolicyError(f"policy key '{prefix}.{key}' must be a list")
    for value in values:
        if value not in allowed:
            problem = f"{value!r} is not one of {list(allowed)}"
            raise PolicyError(f"policy key '{prefix}.{key}': {problem}")
    return values
