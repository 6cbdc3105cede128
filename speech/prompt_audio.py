"""What a door's prompts sound like in a language, for the administrators' prompts page.

The composition root hands the page a ``PromptAudio`` for the phone line (its inventory,
its renderer and how to tell it that audio changed), so the staff pages never import the
phone line itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from speech.inventory import Inventory, PromptLine
from speech.overrides import RecordedPrompts
from speech.render import SpeechRenderer

EXTENSION = "safereport.prompt_audio"


class PromptSource(StrEnum):
    RECORDED = "recorded"  # a person's recording
    SYNTHETIC = "synthetic"  # espeak-ng's voice for the language
    MISSING = "missing"  # neither: the language cannot be offered on the phone


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

    def recorded(self) -> RecordedPrompts:
        found = self.renderer().recorded
        if found is None:
            raise RuntimeError("this renderer keeps no recorded prompts")
        return found

    def states(self, language: str) -> list[PromptState]:
        renderer = self.renderer()
        return [
            PromptState(line, _source(renderer, line, language))
            for line in self.inventory(language)
        ]

    def line(self, language: str, prompt_id: str) -> PromptLine | None:
        return next((line for line in self.inventory(language) if line.id == prompt_id), None)

    def audio(self, language: str, line: PromptLine) -> Path | None:
        """The audio the phone line plays for this prompt (rendered now if need be)."""
        renderer = self.renderer()
        if not renderer.has_audio(line.text, language):
            return None
        return renderer.audio_for(line.text, language, fmt="mp3")


def _source(renderer: SpeechRenderer, line: PromptLine, language: str) -> PromptSource:
    if renderer.recorded_prompt(line.text, language) is not None:
        return PromptSource.RECORDED
    if renderer.has_audio(line.text, language):
        return PromptSource.SYNTHETIC
    return PromptSource.MISSING
