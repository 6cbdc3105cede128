"""What a door's prompts sound like in a language, for the administrators' prompts page.

The composition root hands the page a ``PromptAudio`` for the phone line (its inventory,
its renderer and how to tell it that audio changed), so the staff pages never import the
phone line itself. Everything is per establishment: recordings belong to one, with the
installation's recordings as the default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from speech.cache import text_key
from speech.inventory import Inventory, PlaceInventory, PromptLine, merged, no_more
from speech.render import SpeechRenderer

EXTENSION = "safereport.prompt_audio"


class PromptSource(StrEnum):
    RECORDED = "recorded"  # a person's recording, this establishment's own
    DEFAULT = "default"  # a person's recording, the installation's default
    SYNTHETIC = "synthetic"  # espeak-ng's voice for the language
    MISSING = "missing"  # none: the language cannot be offered on the phone or kiosk


@dataclass(frozen=True)
class PromptState:
    line: PromptLine
    source: PromptSource


@dataclass(frozen=True)
class PromptAudio:
    inventory: Inventory
    renderer: Callable[[], SpeechRenderer]
    # Called after a recording is stored or removed: the phone line's language list may change.
    changed: Callable[[], None]
    # The kiosk's sentences, per establishment, after the phone's.
    more: PlaceInventory = no_more

    def lines(self, language: str, establishment_id: int | None) -> list[PromptLine]:
        return merged(self.inventory(language), self.more(language, establishment_id))

    def states(self, language: str, establishment_id: int | None) -> list[PromptState]:
        renderer = self.renderer().scoped(establishment_id)
        own = _own_recordings(renderer, establishment_id)
        return [
            PromptState(line, _source(renderer, own, line, language))
            for line in self.lines(language, establishment_id)
        ]

    def line(
        self, language: str, prompt_id: str, establishment_id: int | None = None
    ) -> PromptLine | None:
        lines = self.lines(language, establishment_id)
        return next((line for line in lines if line.id == prompt_id), None)

    def audio(self, language: str, line: PromptLine, establishment_id: int | None) -> Path | None:
        """The audio this establishment's callers hear for this prompt (rendered if need be)."""
        renderer = self.renderer().scoped(establishment_id)
        if not renderer.has_audio(line.text, language):
            return None
        return renderer.audio_for(line.text, language, fmt="mp3")


def _own_recordings(renderer: SpeechRenderer, establishment_id: int | None) -> set[tuple[str, str]]:
    if renderer.recordings is None:
        return set()
    return set(renderer.recordings.digests(establishment_id, inherit=False))


def _source(
    renderer: SpeechRenderer, own: set[tuple[str, str]], line: PromptLine, language: str
) -> PromptSource:
    if (language, text_key(line.text, language)) in own:
        return PromptSource.RECORDED
    if renderer.recorded_prompt(line.text, language) is not None:
        return PromptSource.DEFAULT
    if renderer.has_audio(line.text, language):
        return PromptSource.SYNTHETIC
    return PromptSource.MISSING
