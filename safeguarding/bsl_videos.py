"""British Sign Language at the kiosk (issue 17.2): which screens and choices take a video,
what a video must be, who may change them, and what a kiosk may play.

An administrator uploads a short video per screen (or per choice on a question screen) for
the establishments they administer. Videos are staff-made sign language prompts, never
anything a prisoner said, so they are kept plain (storage.models.bsl). Each belongs to one
establishment and a kiosk only ever gets its own establishment's: there is no shared
default, so a video of one prison (its staff, its rooms) is never shown at another.
Every change is audited on the establishment's chain; a refusal on the installation's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from safeguarding.admin_rules import Manager, NotManaged, require_establishment
from safeguarding.clock import Clock
from safeguarding.draft_answers import QUESTIONS
from safeguarding.errors import SafeguardingError
from storage.repositories.audit import append_audit
from storage.repositories.bsl_videos import (
    StoredVideo,
    delete_video,
    has_videos,
    list_videos,
    save_video,
    video_of,
)

MAX_VIDEO_BYTES = 20 * 1024 * 1024  # about a minute of kiosk-sized video
MP4 = "video/mp4"
WEBM = "video/webm"
# The screens a person goes through when reporting, after Sent, and coming back with a
# code, in that order; then the two that say a report could not be sent. (Screen ids as the
# kiosk names them; a screen not listed shows no video.)
BSL_SCREENS: tuple[str, ...] = (
    "menu", *QUESTIONS, "check", "sent",
    "keep_offer", "keep_done", "wishes_wants", "wishes_sharing", "wishes_thanks",
    "people_at_risk", "people_causing_harm", "people_thanks",
    "code", "status", "add", "added", "feelings_did_we", "feelings_safer", "feelings_thanks",
    "safe_now", "not_sent", "too_many",
)  # fmt: skip
_CHOICE = re.compile(r"[a-z0-9_]{1,40}")
# Kept with a report made in BSL (a ReportAnswer): staff will need a BSL interpreter.
SIGNED_ANSWER = ("sign_language", "bsl")


def chose_bsl(answers: Iterable[tuple[str, str]]) -> bool:
    """Whether a report's (question, answer) pairs say its reporter chose BSL."""
    return SIGNED_ANSWER in answers


class VideoRejected(SafeguardingError):
    """The upload is not a video the kiosk can play: ``code`` is empty, too_large or type."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class VideoChange:
    establishment_id: int
    slot: str  # "danger" (the screen) or "danger.yes" (one choice on it)


def takes_video(slot: str) -> bool:
    """Whether a slot may have a video: a screen of BSL_SCREENS, or one choice on a question
    screen. (Which choices a screen has is the kiosk's to say: kiosk.bsl.bsl_sentences.)"""
    screen, dot, choice = slot.partition(".")
    if screen not in BSL_SCREENS:
        return False
    return not dot or (screen in QUESTIONS and bool(_CHOICE.fullmatch(choice)))


def sniff_video(data: bytes) -> str:
    """The content type from the file's own first bytes (never its name or the browser's
    word): an ISO MP4 ``ftyp`` box, or an EBML header whose doctype is webm."""
    if not data:
        raise VideoRejected("empty")
    if len(data) > MAX_VIDEO_BYTES:
        raise VideoRejected("too_large")
    if data[4:8] == b"ftyp" and data[8:12] in _MP4_BRANDS:
        return MP4
    if data[:4] == b"\x1a\x45\xdf\xa3" and b"\x42\x82\x84webm" in data[:64]:
        return WEBM
    raise VideoRejected("type")


# Video brands of the ftyp box (not audio-only M4A, not HEIC pictures).
_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "}
)


def webvtt(sentence: str) -> str:
    """Captions for a video: the English sentence it signs, shown the whole time. (A cue may
    not hold "-->" or a blank line, and "<" and "&" start markup.)"""
    plain = " ".join(sentence.split()).replace("-->", "->")
    cue = plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"WEBVTT\n\n1\n00:00:00.000 --> 99:59:59.000\n{cue}\n"


def upload_video(
    session: Session, *, by: Manager, change: VideoChange, data: bytes, clock: Clock
) -> str:
    """Keep ``data`` as the establishment's video for the slot. Raises NotManaged when
    ``by`` may not, VideoRejected when it is not a video. Returns its SHA-256."""
    _require(by, change)
    content_type = sniff_video(data)
    digest = save_video(
        session, establishment_id=change.establishment_id, slot=change.slot,
        content_type=content_type, video=data, at=clock.now(), by=by.actor,
    )  # fmt: skip
    _audit(session, by, clock, "admin.bsl_video_uploaded", change, size=len(data))
    return digest


def remove_video(session: Session, *, by: Manager, change: VideoChange, clock: Clock) -> bool:
    _require(by, change)
    removed = delete_video(session, establishment_id=change.establishment_id, slot=change.slot)
    if removed:
        _audit(session, by, clock, "admin.bsl_video_removed", change)
    return removed


def refuse_video_change(
    session: Session, *, by: Manager, change: VideoChange, clock: Clock
) -> None:
    """A refused change, on the installation's chain: the same whether the establishment
    exists or not (the door answers 404 either way)."""
    append_audit(
        session, at=clock.now(), actor=by.actor, action="admin.bsl_video_denied",
        detail={"requested": change.establishment_id, "slot": change.slot},
    )  # fmt: skip


def videos_for_admin(
    session: Session, *, by: Manager, establishment_id: int
) -> dict[str, StoredVideo]:
    require_establishment(by, establishment_id)
    return list_videos(session, establishment_id)


def video_for_admin(
    session: Session, *, by: Manager, establishment_id: int, slot: str
) -> tuple[StoredVideo, bytes] | None:
    """The preview: an administrator sees only their own establishments' videos."""
    require_establishment(by, establishment_id)
    return video_of(session, establishment_id, slot)


def kiosk_video(
    session: Session, *, establishment_id: int, slot: str
) -> tuple[StoredVideo, bytes] | None:
    """What a kiosk of ``establishment_id`` plays for ``slot``: only its own establishment's."""
    if not takes_video(slot):
        return None
    return video_of(session, establishment_id, slot)


def kiosk_slots(session: Session, establishment_id: int) -> frozenset[str]:
    """The slots with a video at this establishment: BSL is offered where there is one."""
    return frozenset(list_videos(session, establishment_id))


def offers_bsl(session: Session, establishment_id: int) -> bool:
    return has_videos(session, establishment_id)


def _require(by: Manager, change: VideoChange) -> None:
    if not takes_video(change.slot):
        raise NotManaged()
    require_establishment(by, change.establishment_id)


def _audit(
    session: Session, by: Manager, clock: Clock, action: str, change: VideoChange, **more: object
) -> None:
    append_audit(
        session, at=clock.now(), actor=by.actor, action=action,
        establishment_id=change.establishment_id,
        detail={"establishment_id": change.establishment_id, "slot": change.slot, **more},
    )  # fmt: skip
