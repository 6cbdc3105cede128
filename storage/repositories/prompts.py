"""Recorded prompts in the database: what each establishment plays, and the audio by hash.

Every app server reads these, so an upload through one server is heard through all of them
(speech.overrides keeps only a local cache, checked against the hash, on each server).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import Session

from storage.models import PromptAudio, PromptRecording

# (language, sentence key) -> SHA-256 of the audio that is played
Digests = Mapping[tuple[str, str], str]


def audio_digest(audio: bytes) -> str:
    return hashlib.sha256(audio).hexdigest()


def _scope(establishment_id: int | None) -> ColumnElement[bool]:
    column = PromptRecording.establishment_id
    return column.is_(None) if establishment_id is None else column == establishment_id


def recorded_digests(
    session: Session, establishment_id: int | None, *, inherit: bool = True
) -> dict[tuple[str, str], str]:
    """What callers of this establishment hear where a person recorded the sentence: its own
    recording, else (``inherit``) the installation's default. ``None``: the defaults."""
    scopes = [_scope(establishment_id)]
    if inherit and establishment_id is not None:
        scopes.append(_scope(None))
    rows = session.execute(
        select(
            PromptRecording.language,
            PromptRecording.text_key,
            PromptRecording.sha256,
            PromptRecording.establishment_id,
        ).where(or_(*scopes))
    )
    found: dict[tuple[str, str], str] = {}
    # Defaults first, so that the establishment's own recording overwrites them.
    for language, key, digest, _owner in sorted(rows, key=lambda row: row[3] is not None):
        found[(language, key)] = digest
    return found


def recording_in_scope(
    session: Session, *, establishment_id: int | None, language: str, text_key: str
) -> PromptRecording | None:
    return session.scalar(
        select(PromptRecording).where(
            _scope(establishment_id),
            PromptRecording.language == language,
            PromptRecording.text_key == text_key,
        )
    )


def prompt_audio_bytes(session: Session, digest: str) -> bytes | None:
    found = session.get(PromptAudio, digest)
    return found.audio if found is not None else None


def save_prompt_recording(
    session: Session,
    *,
    establishment_id: int | None,
    language: str,
    text_key: str,
    prompt_id: str,
    audio: bytes,
    seconds: float,
    at: datetime,
    by: str,
) -> str:
    """Keep ``audio`` as this scope's recording of the sentence (replacing any). Returns
    the audio's SHA-256."""
    digest = audio_digest(audio)
    if session.get(PromptAudio, digest) is None:
        session.add(PromptAudio(sha256=digest, audio=audio, size=len(audio), created_at=at))
        session.flush()
    row = recording_in_scope(
        session, establishment_id=establishment_id, language=language, text_key=text_key
    )
    replaced = row.sha256 if row is not None else None
    if row is None:
        row = PromptRecording(
            establishment_id=establishment_id,
            scope=establishment_id or 0,
            language=language,
            text_key=text_key,
        )
        session.add(row)
    row.prompt_id, row.sha256, row.seconds = prompt_id, digest, seconds
    row.recorded_at, row.recorded_by = at, by
    session.flush()
    if replaced is not None and replaced != digest:
        _forget_unused_audio(session, replaced)
    return digest


def delete_prompt_recording(
    session: Session, *, establishment_id: int | None, language: str, text_key: str
) -> bool:
    row = recording_in_scope(
        session, establishment_id=establishment_id, language=language, text_key=text_key
    )
    if row is None:
        return False
    digest = row.sha256
    session.delete(row)
    session.flush()
    _forget_unused_audio(session, digest)
    return True


def _forget_unused_audio(session: Session, digest: str) -> None:
    """Audio no scope plays any more is deleted (another scope may share the same bytes)."""
    users = session.scalar(
        select(func.count()).select_from(PromptRecording).where(PromptRecording.sha256 == digest)
    )
    if not users:
        session.execute(delete(PromptAudio).where(PromptAudio.sha256 == digest))
