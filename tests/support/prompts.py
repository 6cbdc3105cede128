"""Recorded prompts in tests: kept in the real database through the rules (as the command
line keeps them), or in memory where a test is about speech alone."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from safeguarding.admin_rules import ServerOperator
from safeguarding.prompt_recordings import PromptChange, record_prompt
from safeguarding.services import Services
from speech.cache import text_key
from speech.overrides import prepare_recording


def store_prompt(
    services: Services,
    source: Path,
    *,
    text: str,
    language: str,
    establishment_id: int | None = None,
    prompt_id: str = "test.prompt",
) -> str:
    """Check, convert and keep ``source`` as this sentence's recording; returns its hash."""
    prepared = prepare_recording(source, text=text)
    change = PromptChange(establishment_id, language, prompt_id, text_key(text, language))
    with services.db.transaction() as session:
        return record_prompt(
            session, by=ServerOperator(), change=change, audio=prepared.audio,
            seconds=prepared.check.duration_seconds, clock=services.clock,
        )  # fmt: skip


class MemoryRecordings:
    """speech.overrides.RecordingSource without a database, for the speech tests."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.scopes: dict[int | None, dict[tuple[str, str], str]] = {}
        self.reads = 0

    def store(
        self, source: Path, *, text: str, language: str, establishment_id: int | None = None
    ) -> str:
        prepared = prepare_recording(source, text=text)
        self.blobs[prepared.digest] = prepared.audio
        self.scopes.setdefault(establishment_id, {})[(language, text_key(text, language))] = (
            prepared.digest
        )
        return prepared.digest

    def digests(
        self, establishment_id: int | None, *, inherit: bool = True
    ) -> Mapping[tuple[str, str], str]:
        found = dict(self.scopes.get(None, {})) if inherit or establishment_id is None else {}
        if establishment_id is not None:
            found.update(self.scopes.get(establishment_id, {}))
        return found

    def audio(self, digest: str) -> bytes | None:
        self.reads += 1
        return self.blobs.get(digest)
