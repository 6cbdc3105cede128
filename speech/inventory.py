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


# More sentences that depend on the establishment (the kiosk's: its wings, its phone line);
# None: those every establishment shares.
PlaceInventory = Callable[[str, int | None], list[PromptLine]]


def no_more(language: str, establishment_id: int | None) -> list[PromptLine]:
    return []


# Every (language, sentence) a door says at any establishment, in those of the languages
# asked for that the establishment offers, each once: what ``audio build`` renders ahead of
# the first person to ask for it.
Everywhere = Callable[[list[str]], list[tuple[str, PromptLine]]]


def nowhere(languages: list[str]) -> list[tuple[str, PromptLine]]:
    return []


def merged(first: list[PromptLine], *more: list[PromptLine]) -> list[PromptLine]:
    """``first`` as it is, then the sentences of ``more`` that it does not already say (one
    recording serves both doors)."""
    said = {line.text for line in first}
    found = list(first)
    for group in more:
        for line in group:
            if line.text not in said:
                said.add(line.text)
                found.append(line)
    return found
