"""Who may change what callers hear: recorded prompts per establishment, and the default.

An administrator records or removes prompts for the establishments they administer. The
installation's defaults (heard wherever an establishment has no recording of its own) are
changed only by whoever runs the server (``safereport audio import``), as creating an
establishment is: there is no national role in the staff pages, and an administrator of
one prison must not change what every other prison's callers hear. Every change is audited
on the establishment's chain and told to its administrators and lead through the outbox;
a refusal is audited on the installation's chain, as a refused report is.

A prompt says a fixed sentence every caller hears, never anything a person reported, so
it is not personal data and is kept plain (storage.models.prompts).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Role
from safeguarding.admin_rules import Manager, NotManaged, ServerOperator, require_establishment
from safeguarding.clock import Clock
from storage.db import Database
from storage.models import Establishment, StaffMembership, StaffUser
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_message
from storage.repositories.prompts import (
    delete_prompt_recording,
    prompt_audio_bytes,
    recorded_digests,
    save_prompt_recording,
)

PROMPT_NOTICE = "staff.prompt_notice"  # delivered by safereport/notify/staff_mail.py
NOTIFIED_ROLES = (Role.ADMIN.value, Role.LEAD.value)


@dataclass(frozen=True)
class PromptChange:
    """One sentence in one language, for one establishment (None: the installation)."""

    establishment_id: int | None
    language: str
    prompt_id: str
    text_key: str


def may_change_prompts(by: Manager, establishment_id: int | None) -> bool:
    if isinstance(by, ServerOperator):
        return True
    if establishment_id is None:
        return False  # the installation's defaults: the command line only
    try:
        require_establishment(by, establishment_id)
    except NotManaged:
        return False
    return True


def record_prompt(
    session: Session, *, by: Manager, change: PromptChange, audio: bytes, seconds: float,
    clock: Clock, notify: bool = True,
) -> str:  # fmt: skip
    """Keep ``audio`` (checked and converted by the door) as this scope's recording of the
    sentence. Raises NotManaged when ``by`` may not. Returns the audio's SHA-256."""
    if not may_change_prompts(by, change.establishment_id):
        raise NotManaged()
    digest = save_prompt_recording(
        session, establishment_id=change.establishment_id, language=change.language,
        text_key=change.text_key, prompt_id=change.prompt_id, audio=audio, seconds=seconds,
        at=clock.now(), by=by.actor,
    )  # fmt: skip
    _audit(session, by, clock, "admin.prompt_recorded", change, seconds=round(seconds, 1))
    if notify:
        notify_prompts_changed(
            session, by=by, establishment_id=change.establishment_id, event="recorded",
            language=change.language, count=1, clock=clock,
        )  # fmt: skip
    return digest


def remove_prompt(session: Session, *, by: Manager, change: PromptChange, clock: Clock) -> bool:
    """Forget this scope's recording (the default or the computer voice speaks again)."""
    if not may_change_prompts(by, change.establishment_id):
        raise NotManaged()
    removed = delete_prompt_recording(
        session, establishment_id=change.establishment_id, language=change.language,
        text_key=change.text_key,
    )  # fmt: skip
    if removed:
        _audit(session, by, clock, "admin.prompt_removed", change)
        notify_prompts_changed(
            session, by=by, establishment_id=change.establishment_id, event="removed",
            language=change.language, count=1, clock=clock,
        )  # fmt: skip
    return removed


def refuse_prompt_change(
    session: Session, *, by: Manager, change: PromptChange, clock: Clock
) -> None:
    """Audit a refused change like a refused report: on the installation's chain, the same
    whether the establishment exists or not (the door answers 404 either way)."""
    append_audit(
        session, at=clock.now(), actor=by.actor, action="admin.prompt_denied",
        detail={"requested": change.establishment_id, "language": change.language,
                "prompt": change.prompt_id},
    )  # fmt: skip


def notify_prompts_changed(
    session: Session, *, by: Manager, establishment_id: int | None, event: str, language: str,
    count: int, clock: Clock,
) -> int:  # fmt: skip
    """Tell the administrators and lead of the establishment (every establishment, for the
    installation's defaults) that what callers hear changed. Returns how many were told."""
    told = 0
    for person in _people_to_tell(session, establishment_id):
        if not isinstance(by, ServerOperator) and person.id == by.staff_id:
            continue  # the one who made the change knows
        enqueue_message(
            session, kind=PROMPT_NOTICE, dedupe_key=f"prompts:{person.id}:{secrets.token_hex(8)}",
            payload={"to_staff_id": person.id, "event": event, "establishment_id": establishment_id,
                     "language": language, "count": count},
            at=clock.now(),
        )  # fmt: skip
        told += 1
    return told


def establishment_id_by_code(session: Session, code: str) -> int | None:
    return session.scalar(
        select(Establishment.id).where(Establishment.code == code.strip().upper())
    )


def _people_to_tell(session: Session, establishment_id: int | None) -> list[StaffUser]:
    places = (
        select(Establishment.id)
        if establishment_id is None
        else select(Establishment.id).where(Establishment.id == establishment_id)
    )
    members = select(StaffMembership.staff_id).where(StaffMembership.establishment_id.in_(places))
    return list(
        session.scalars(
            select(StaffUser)
            .where(StaffUser.id.in_(members))
            .where(StaffUser.role.in_(NOTIFIED_ROLES))
            .where(StaffUser.active.is_(True))
            .order_by(StaffUser.id)
        )
    )


def _audit(
    session: Session, by: Manager, clock: Clock, action: str, change: PromptChange, **more: object
) -> None:
    append_audit(
        session, at=clock.now(), actor=by.actor, action=action,
        establishment_id=change.establishment_id,
        detail={"establishment_id": change.establishment_id, "language": change.language,
                "prompt": change.prompt_id, **more},
    )  # fmt: skip


class StoredPrompts:
    """The recordings as speech/ reads them (speech.overrides.RecordingSource): straight
    from the database, so every app server hears the same."""

    def __init__(self, db: Database, session: Session | None = None) -> None:
        self.db = db
        self.session = session  # a door's open session: no second connection per request

    def within(self, session: Session) -> StoredPrompts:
        return StoredPrompts(self.db, session)

    def digests(
        self, establishment_id: int | None, *, inherit: bool = True
    ) -> Mapping[tuple[str, str], str]:
        if self.session is not None:
            return recorded_digests(self.session, establishment_id, inherit=inherit)
        # Read-only: a door may ask while its own writing transaction is open.
        with self.db.reading() as session:
            return recorded_digests(session, establishment_id, inherit=inherit)

    def audio(self, digest: str) -> bytes | None:
        with self.db.reading() as session:
            return prompt_audio_bytes(session, digest)
