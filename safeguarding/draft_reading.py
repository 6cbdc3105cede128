"""A kiosk page view's draft, read without writing (kiosk.context.load_kiosk).

Most page views change nothing: they read the draft in a read-only transaction, which on
SQLite takes no write lock and makes no fsync. Only when the draft's keep-alive is due
(``TOUCH_EVERY``) or it must be deleted does the view open it for writing (``open_draft``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.drafts import OpenDraft, opened_draft, token_hash, touch_due
from storage.crypto import Secrets
from storage.repositories.drafts import any_draft_expired, find_draft


@dataclass(frozen=True)
class ReadDraft:
    """A draft as a page view that only reads finds it. ``needs_writing``: it must be opened
    for writing (``open_draft``) in this request, to keep it alive or to delete it."""

    draft: OpenDraft | None
    needs_writing: bool


def read_draft(
    session: Session, *, token: str, device_id: int, secrets: Secrets, clock: Clock
) -> ReadDraft:
    """What ``open_draft`` would return, without writing or locking anything."""
    if not token or len(token) > 128:
        return ReadDraft(None, needs_writing=False)
    row = find_draft(session, token_hash(secrets.code_pepper, token))
    now = clock.now()
    if row is None or row.expires_at <= now:
        return ReadDraft(None, needs_writing=False)  # an expired one: the purge's, not ours
    if row.device_id != device_id or touch_due(row, now):
        return ReadDraft(None, needs_writing=True)
    session.expunge(row)  # kept, loaded, after the reading session ends
    return ReadDraft(opened_draft(row, token, secrets.vault), needs_writing=False)


def drafts_to_end(session: Session, clock: Clock) -> bool:
    """Whether some draft has expired: then the request must write, to end it
    (safeguarding.draft_leaving.purge_expired_drafts files it first if it says someone is in
    danger)."""
    return any_draft_expired(session, clock.now())
