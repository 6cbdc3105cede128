"""What happens to a voice message once Twilio has it: fetched, sealed, then deleted there.

Plain functions over a session; the phone line's worker handler (ivr/recordings.py) does
the HTTP. The audio is sealed here only after its bytes were recognised as audio (the
type stored is the one sniffed, never the one a server claimed); anything else is
refused, kept out of the report, and left at Twilio for someone to look at.

Deleting at Twilio goes through the outbox, written in the same transaction as the
sealed audio: a delete that fails is retried like any message, never forgotten.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.crypto import Vault
from storage.models import Recording
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_once
from storage.sealed_fields import RECORDING_AUDIO

log = logging.getLogger("safereport.recordings")

RECORDING_DELETE_KIND = "recording.delete"
# Twilio's RecordingSid: "RE" and 32 hexadecimal digits. Nothing else goes into a URL.
RECORDING_SID = re.compile(r"RE[0-9a-f]{32}")
WORKER = "system:worker"
REFUSED = "refused"  # the bytes were not audio, or the id was not a RecordingSid


def valid_recording_sid(sid: str | None) -> bool:
    return sid is not None and RECORDING_SID.fullmatch(sid) is not None


def recording_sid_to_fetch(session: Session, recording_id: int, *, at: datetime) -> str | None:
    """The RecordingSid still to download, or None when there is nothing to fetch."""
    recording = session.get(Recording, recording_id)
    if recording is None or recording.audio_sealed is not None or recording.status == REFUSED:
        return None  # purged, already fetched, or refused before
    if not valid_recording_sid(recording.provider_sid):
        refuse_recording(session, recording_id, reason="not_a_recording_sid", at=at)
        return None
    return recording.provider_sid


def store_fetched_recording(
    session: Session,
    recording_id: int,
    *,
    audio: bytes,
    mime: str,
    vault: Vault,
    at: datetime,
    delete_at_provider: bool,
) -> None:
    """Seal the audio (already sniffed as ``mime``) and, if configured, ask for the
    delete at Twilio in the same transaction."""
    recording = session.get(Recording, recording_id)
    if recording is None or recording.audio_sealed is not None:
        return
    RECORDING_AUDIO.seal(vault, recording, audio)
    recording.content_type = mime
    recording.fetched_at = at
    recording.status = "fetched"
    append_audit(
        session,
        at=at,
        actor=WORKER,
        action="recording.fetched",
        report_id=recording.report_id,
        detail={"recording_id": recording.id, "bytes": len(audio), "type": mime},
    )
    if delete_at_provider:
        enqueue_provider_delete(session, recording, at=at)


def enqueue_provider_delete(session: Session, recording: Recording, *, at: datetime) -> bool:
    """Ask the worker to delete this recording at Twilio (once; retried until it is gone).

    The payload carries the RecordingSid as well as our id, so that the delete still
    happens if retention purges the report first. The sid opens nothing without the
    account's auth token, which is never in the database.
    """
    if recording.provider_deleted_at is not None or not valid_recording_sid(recording.provider_sid):
        return False
    return enqueue_once(
        session,
        kind=RECORDING_DELETE_KIND,
        dedupe_key=f"{RECORDING_DELETE_KIND}:{recording.id}",
        payload={"recording_id": recording.id, "recording_sid": recording.provider_sid},
        at=at,
    )


def refuse_recording(session: Session, recording_id: int, *, reason: str, at: datetime) -> None:
    """Keep what is not audio out of the report; log and audit that it happened (ids only)."""
    recording = session.get(Recording, recording_id)
    if recording is None or recording.status == REFUSED:
        return
    recording.status = REFUSED
    log.warning("recording %s refused: %s", recording.id, reason)
    append_audit(
        session,
        at=at,
        actor=WORKER,
        action="recording.refused",
        report_id=recording.report_id,
        detail={"recording_id": recording.id, "reason": reason},
    )


def mark_deleted_at_provider(session: Session, recording_id: int, *, at: datetime) -> None:
    recording = session.get(Recording, recording_id)
    if recording is None or recording.provider_deleted_at is not None:
        return  # purged here already, or marked by an earlier delivery
    recording.provider_deleted_at = at
    append_audit(
        session,
        at=at,
        actor=WORKER,
        action="recording.deleted_at_provider",
        report_id=recording.report_id,
        detail={"recording_id": recording.id},
    )


def enqueue_deletes_left_at_provider(session: Session, *, at: datetime, limit: int = 200) -> int:
    """Recordings sealed here before deleting was switched on: ask for their delete too."""
    left = session.scalars(
        select(Recording)
        .where(
            Recording.audio_sealed.is_not(None),
            Recording.provider_deleted_at.is_(None),
            Recording.provider_sid.is_not(None),
        )
        .order_by(Recording.id)
        .limit(limit)
    )
    return sum(enqueue_provider_delete(session, recording, at=at) for recording in left)
