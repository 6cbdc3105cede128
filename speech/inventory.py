"""What there is to say: the sentences a door speaks, per language, each with a stable id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PromptLine:
    id: str  # stable across wording changes, e.g. "danger.question" or "digit.7"
    text: str  # the sentence in the language asked for


# A door says what it speaks: the prompt lines in a language.
Inventory = Callable[[str], list[PromptLine]]
