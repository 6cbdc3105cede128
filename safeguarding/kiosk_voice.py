"""A voice message recorded at the kiosk (issue 17.1): checked, sealed into the draft, and
made the report's recording when it is sent.

The browser records with MediaRecorder and uploads the audio into the person's kiosk
draft, sealed (``kiosk_draft.voice``), so it is part of the draft like every answer. On
Send it becomes a ``Recording`` of the report, as a phone message is (same table, same
player, same rules for serving). When the draft ends without Send it follows "A danger
answer is never lost" (docs/kiosk.md): kept with the report filed for a danger answer,
otherwise wiped with the draft.

Only WebM or Ogg with Opus (what MediaRecorder makes), judged by the bytes, never by what
the browser claims; at most ``MAX_VOICE_BYTES`` and ``MAX_VOICE_SECONDS``.
"""

from __future__ import annotations

import struct
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.new_information import note_new_information
from safeguarding.policy import Policy
from storage.crypto import Vault
from storage.models import KioskDraft, Recording, Report
from storage.repositories.audit import append_audit
from storage.repositories.reports import add_timeline_event
from storage.sealed_fields import KIOSK_DRAFT_VOICE, RECORDING_AUDIO

MAX_VOICE_SECONDS = 300  # five minutes, as on the phone line
MAX_VOICE_BYTES = 4 * 1024 * 1024  # Opus at 64 kbit/s makes some 2.4 MB in five minutes
SLACK_SECONDS = 5  # a browser stops a little after its timer
MIN_VOICE_BYTES = 64
KIOSK_VOICE_KIND = "kiosk_voice_message"
# The timeline event's summary: where the message was recorded (an id, never a sentence).
WITH_REPORT = "report"  # on "Tell us more", sent with the report
ADDED = "added"  # with a follow-up code, added to the report
LEFT = "left"  # kept with the report filed for a danger answer when the person left
WEBM = "audio/webm"
OGG = "audio/ogg"
_EBML = b"\x1a\x45\xdf\xa3"
_CLUSTER = b"\x1f\x43\xb6\x75"
_OPUS_RATE = 48_000


def voice_problem(code: str) -> InvalidSubmission:
    return InvalidSubmission([FieldProblem("voice", code)])


def check_voice(audio: bytes) -> str:
    """The audio's type when it is a voice message we keep; else InvalidSubmission with
    ``voice_empty``, ``voice_too_large``, ``voice_not_audio`` or ``voice_too_long``."""
    if len(audio) < MIN_VOICE_BYTES:
        raise voice_problem("voice_empty")
    if len(audio) > MAX_VOICE_BYTES:
        raise voice_problem("voice_too_large")
    mime = voice_type(audio)
    if mime is None:
        raise voice_problem("voice_not_audio")
    seconds = voice_seconds(audio, mime)
    if seconds is None:
        raise voice_problem("voice_not_audio")
    if seconds > MAX_VOICE_SECONDS + SLACK_SECONDS:
        raise voice_problem("voice_too_long")
    return mime


def voice_type(audio: bytes) -> str | None:
    """WebM (an EBML header whose DocType is webm) or Ogg Opus, by magic bytes alone."""
    head = audio[:64]
    if head.startswith(_EBML) and b"\x42\x82\x84webm" in head:
        return WEBM
    if head.startswith(b"OggS") and b"OpusHead" in head:
        return OGG
    return None


def voice_seconds(audio: bytes, mime: str) -> float | None:
    """How long the message lasts, at least: Ogg's last granule position (exact); WebM's
    last cluster time (MediaRecorder writes no duration; a cluster spans at most 32.767 s,
    so a message whose last cluster starts after the limit is certainly too long, and one
    within it is let through with at most that much over)."""
    return _ogg_seconds(audio) if mime == OGG else _webm_seconds(audio)


def _ogg_seconds(audio: bytes) -> float | None:
    last = audio.rfind(b"OggS")
    if last < 0 or last + 14 > len(audio):
        return None
    granule = int(struct.unpack_from("<q", audio, last + 6)[0])
    return max(granule, 0) / _OPUS_RATE


def _webm_seconds(audio: bytes) -> float | None:
    """The last Cluster's Timecode in milliseconds (MediaRecorder's TimecodeScale)."""
    at = audio.find(_CLUSTER)
    latest: int | None = None
    while at >= 0:
        timecode = _cluster_timecode(audio, at + len(_CLUSTER))
        if timecode is not None:
            latest = timecode
        at = audio.find(_CLUSTER, at + 1)
    return None if latest is None else latest / 1000


def _cluster_timecode(audio: bytes, at: int) -> int | None:
    size_length = _vint_length(audio, at)
    if size_length is None:
        return None
    at += size_length
    if at + 2 > len(audio) or audio[at] != 0xE7:  # the Timecode element comes first
        return None
    value_length = _vint_length(audio, at + 1)
    if value_length is None:
        return None
    width = audio[at + 1] & (0xFF >> value_length)
    start = at + 1 + value_length
    if not 1 <= width <= 8 or start + width > len(audio):
        return None
    return int.from_bytes(audio[start : start + width], "big")


def _vint_length(audio: bytes, at: int) -> int | None:
    if at >= len(audio) or audio[at] == 0:
        return None
    return 8 - audio[at].bit_length() + 1


def keep_in_draft(row: KioskDraft, audio: bytes, *, vault: Vault) -> None:
    """Seal a checked voice message into the draft, replacing one recorded before."""
    check_voice(audio)
    KIOSK_DRAFT_VOICE.seal(vault, row, audio)


def drop_from_draft(row: KioskDraft) -> None:
    row.voice_sealed = None


def has_voice(session: Session, row: KioskDraft) -> bool:
    """Whether the draft holds a voice message, without reading the audio."""
    held = select(KioskDraft.voice_sealed.is_not(None)).where(KioskDraft.id == row.id)
    return bool(session.scalar(held))


def attach_to_report(
    session: Session, row: KioskDraft, report: Report, *, origin: str, vault: Vault, at: datetime
) -> bool:
    """Make the draft's voice message a recording of ``report`` (sealed again, bound to the
    recording's row) and take it out of the draft. False when the draft holds none."""
    audio = KIOSK_DRAFT_VOICE.open(vault, row)
    if audio is None:
        return False
    mime = voice_type(audio) or WEBM
    seconds = voice_seconds(audio, mime)
    recording = Recording(
        report_id=report.id,
        content_type=mime,
        created_at=at,
        fetched_at=at,
        status="fetched",
        kind="message",
        # Exact for Ogg only: WebM's is a lower bound (see voice_seconds).
        duration_seconds=max(1, round(seconds)) if mime == OGG and seconds else None,
    )
    session.add(recording)
    RECORDING_AUDIO.seal(vault, recording, audio)
    drop_from_draft(row)
    actor = "reporter:kiosk"
    add_timeline_event(session, report, kind=KIOSK_VOICE_KIND, actor=actor, at=at, summary=origin)
    append_audit(
        session,
        at=at,
        actor=actor,
        action="recording.recorded_at_kiosk",
        report_id=report.id,
        detail={"recording_id": recording.id, "bytes": len(audio), "type": mime},
    )
    session.flush()
    return True


def add_voice_information(
    session: Session,
    row: KioskDraft,
    report: Report,
    *,
    vault: Vault,
    policy: Policy,
    clock: Clock,
) -> bool:
    """With a follow-up code: the draft's voice message added to the report, and the team
    told as for typed information. False when the draft holds none."""
    if not attach_to_report(session, row, report, origin=ADDED, vault=vault, at=clock.now()):
        return False
    note_new_information(session, report=report, channel="kiosk", policy=policy, clock=clock)
    return True
