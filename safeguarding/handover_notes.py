"""A sealed note from one shift to the next (issue 15.6).

Whoever works cases may leave a note for their establishment ("Report 41: the cell move is
booked for 10:00; B wing staff know"). Its words are sealed like a case note, and the note
is shown above the queue to colleagues there for NOTE_SHOWN_FOR. A note can mention a
report about staff, so its readers are held to what its author could read: someone who
reads the restricted queue chooses whether the note is for everyone who reads reports, or
only for those who also read the restricted queue. Writing and each reading are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from safeguarding.access import (
    QUEUES,
    RESTRICTED_QUEUE,
    Permission,
    StaffPrincipal,
    allows,
    require_permission,
    visible_queues,
)
from safeguarding.clock import Clock
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.reads import record_read
from storage.crypto import Vault
from storage.models import HandoverNote, StaffUser
from storage.repositories.audit import append_audit
from storage.sealed_fields import HANDOVER_NOTE_BODY

MAX_NOTE_CHARS = 2000  # a handover, not a case file: the case notes hold the detail
NOTE_SHOWN_FOR = timedelta(hours=24)  # a day of shifts
MAX_NOTES_SHOWN = 10
# A note may name a report; it must not outlive its purpose (nor the report, kept for years).
NOTES_KEPT_FOR = timedelta(days=30)


@dataclass(frozen=True)
class ShownNote:
    id: int
    author: str
    written_at: datetime
    text: str
    restricted: bool  # kept to those who read the restricted queue


def may_write_notes(principal: StaffPrincipal) -> bool:
    return bool(visible_queues(principal)) and allows(principal.role, Permission.ADD_NOTE)


def audiences_for(principal: StaffPrincipal) -> tuple[str, ...]:
    """Who a note by this person may be for: only queues they read themselves."""
    return tuple(queue for queue in QUEUES if queue in visible_queues(principal))


def write_handover_note(
    session: Session,
    *,
    principal: StaffPrincipal,
    establishment_id: int,
    text: str,
    audience: str,
    vault: Vault,
    clock: Clock,
) -> HandoverNote:
    require_permission(principal, Permission.ADD_NOTE)
    text = text.strip()
    problems = _problems(principal, establishment_id, text, audience)
    if problems:
        raise InvalidSubmission(problems)
    note = HandoverNote(
        establishment_id=establishment_id,
        author_id=principal.staff_id,
        written_at=clock.now(),
        audience=audience,
    )
    session.add(note)
    HANDOVER_NOTE_BODY.seal_text(vault, note, text)
    append_audit(
        session, at=note.written_at, actor=principal.actor, action="handover.note_written",
        detail={"note": note.id, "establishment": establishment_id, "audience": audience},
    )  # fmt: skip
    return note


def notes_for(
    session: Session, *, principal: StaffPrincipal, vault: Vault, clock: Clock
) -> list[ShownNote]:
    """The notes this person may read from the last NOTE_SHOWN_FOR, newest first. Showing
    them is a read of sealed words, so it is audited (by note id, never the words)."""
    queues = visible_queues(principal)
    if not queues or not principal.establishment_ids:
        return []
    now = clock.now()
    rows = session.execute(
        select(HandoverNote, StaffUser.display_name)
        .join(StaffUser, StaffUser.id == HandoverNote.author_id)
        .where(
            HandoverNote.establishment_id.in_(sorted(principal.establishment_ids)),
            HandoverNote.audience.in_(queues),
            HandoverNote.written_at >= now - NOTE_SHOWN_FOR,
        )
        .order_by(HandoverNote.written_at.desc(), HandoverNote.id.desc())
        .limit(MAX_NOTES_SHOWN)
    ).all()
    shown = [
        ShownNote(
            id=note.id,
            author=author,
            written_at=note.written_at,
            text=HANDOVER_NOTE_BODY.open_text(vault, note) or "",
            restricted=note.audience == RESTRICTED_QUEUE,
        )
        for note, author in rows
    ]
    if shown:
        record_read(
            session, at=now, actor=principal.actor, action="handover.notes_read",
            detail={"notes": [note.id for note in shown]},
        )  # fmt: skip
    return shown


def _problems(
    principal: StaffPrincipal, establishment_id: int, text: str, audience: str
) -> list[FieldProblem]:
    problems = []
    if establishment_id not in principal.establishment_ids:
        problems.append(FieldProblem("note_establishment", "unknown_choice"))
    if not text:
        problems.append(FieldProblem("note_text", "required"))
    elif len(text) > MAX_NOTE_CHARS:
        problems.append(FieldProblem("note_text", "too_long"))
    if audience not in audiences_for(principal):
        problems.append(FieldProblem("note_audience", "unknown_choice"))
    return problems


def purge_old_notes(session: Session, *, clock: Clock) -> int:
    """Delete notes older than NOTES_KEPT_FOR (run by ``safereport purge``)."""
    cutoff = clock.now() - NOTES_KEPT_FOR
    result = session.execute(delete(HandoverNote).where(HandoverNote.written_at < cutoff))
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        append_audit(
            session, at=clock.now(), actor="system:retention", action="handover.notes_purged",
            detail={"count": count},
        )  # fmt: skip
    return count
