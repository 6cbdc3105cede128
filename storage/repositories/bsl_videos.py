"""BSL videos in the database: what each establishment has, and one video's bytes.

Listing never loads the videos themselves (up to 20 MB each): only ``video_of`` does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from storage.models import BslVideo


@dataclass(frozen=True)
class StoredVideo:
    """A video's facts, without its bytes."""

    slot: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


def list_videos(session: Session, establishment_id: int) -> dict[str, StoredVideo]:
    rows = session.execute(
        select(
            BslVideo.slot, BslVideo.content_type, BslVideo.size, BslVideo.sha256,
            BslVideo.uploaded_at,
        ).where(BslVideo.establishment_id == establishment_id)
    )  # fmt: skip
    return {row.slot: StoredVideo(*row) for row in rows}


def has_videos(session: Session, establishment_id: int) -> bool:
    return bool(
        session.scalar(select(exists().where(BslVideo.establishment_id == establishment_id)))
    )


def video_of(
    session: Session, establishment_id: int, slot: str
) -> tuple[StoredVideo, bytes] | None:
    """The establishment's own video for ``slot``: never another establishment's."""
    row = _row(session, establishment_id, slot)
    if row is None:
        return None
    facts = StoredVideo(row.slot, row.content_type, row.size, row.sha256, row.uploaded_at)
    return facts, row.video


def save_video(
    session: Session, *, establishment_id: int, slot: str, content_type: str, video: bytes,
    at: datetime, by: str,
) -> str:  # fmt: skip
    """Keep ``video`` as the establishment's video for ``slot`` (replacing any). Returns its
    SHA-256."""
    digest = hashlib.sha256(video).hexdigest()
    row = _row(session, establishment_id, slot)
    if row is None:
        row = BslVideo(establishment_id=establishment_id, slot=slot)
        session.add(row)
    row.content_type, row.size, row.sha256, row.video = content_type, len(video), digest, video
    row.uploaded_at, row.uploaded_by = at, by
    session.flush()
    return digest


def delete_video(session: Session, *, establishment_id: int, slot: str) -> bool:
    deleted = session.execute(
        delete(BslVideo).where(BslVideo.establishment_id == establishment_id, BslVideo.slot == slot)
    )
    return bool(getattr(deleted, "rowcount", 0))


def _row(session: Session, establishment_id: int, slot: str) -> BslVideo | None:
    return session.scalar(
        select(BslVideo).where(BslVideo.establishment_id == establishment_id, BslVideo.slot == slot)
    )
