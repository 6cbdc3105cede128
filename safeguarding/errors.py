"""Domain errors. Each carries machine codes that the doors turn into translated messages."""

from __future__ import annotations

from dataclasses import dataclass


class SafeguardingError(Exception):
    """Base class for every rule the core enforces."""


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str  # e.g. "required", "unknown_choice", "too_long"


class InvalidSubmission(SafeguardingError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(", ".join(f"{p.field}:{p.code}" for p in problems))
        self.problems = problems


class CodeMalformed(SafeguardingError):
    """Not twelve digits, or the check digit is wrong: a typing mistake, not a guess."""


class CodeLookupRefused(SafeguardingError):
    """Too many wrong codes from this kiosk session or call, or from everywhere at once."""


class CodeSecretMalformed(SafeguardingError):
    """Not four pictures from the grid, or not four numbers: nothing is stored or counted."""
