"""Phone calls and their recordings. The caller owns the transaction."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.session import make_transient_to_detached
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from storage.crypto import Vault
from storage.models import CallSession, Establishment, OutboxMessage, PhoneLine, Recording
from storage.sealed_fields import CALL_NONCE


def find_phone_line(session: Session, number: str) -> PhoneLine | None:
    return session.scalars(select(PhoneLine).where(PhoneLine.number == number)).one_or_none()


def call_sid_hash(pepper: bytes, call_sid: str) -> str:
    """What is stored instead of the CallSid (which names the call at Twilio)."""
    return hmac.new(pepper, f"call_sid|{call_sid}".encode(), hashlib.sha256).hexdigest()


def find_call(
    session: Session, call_sid: str, *, pepper: bytes, for_update: bool = False
) -> CallSession | None:
    """The call's state; ``for_update`` locks the row so two deliveries apply one at a time."""
    statement = select(CallSession).where(
        CallSession.call_sid_hash == call_sid_hash(pepper, call_sid)
    )
    if for_update:
        statement = statement.with_for_update()
    return session.scalars(statement).one_or_none()


_CALLS = cast(Table, CallSession.__table__)


def _scalar_default(default: object) -> Any:
    return default.arg if isinstance(default, ScalarElementColumnDefault) else None


# A new call's row as the database will hold it: every column given, so the object built
# from it (below) never reads itself back. Only scalar defaults exist on this table.
_NEW_CALL: dict[str, Any] = {
    column.key: _scalar_default(column.default) for column in _CALLS.columns if column.key != "id"
}
_INSERT_CALL_ONCE = {
    "postgresql": postgresql.insert(_CALLS)
    .on_conflict_do_nothing(index_elements=[_CALLS.c.call_sid_hash])
    .returning(_CALLS.c.id),
    "sqlite": sqlite.insert(_CALLS)
    .on_conflict_do_nothing(index_elements=[_CALLS.c.call_sid_hash])
    .returning(_CALLS.c.id),
}


def open_call(
    session: Session,
    *,
    call_sid: str,
    line: PhoneLine,
    nonce: str,
    at: datetime,
    pepper: bytes,
    vault: Vault,
) -> CallSession:
    """The call's state, created on its first webhook: ``INSERT ... ON CONFLICT DO NOTHING
    RETURNING id``, so a first webhook delivered twice, or twice at once, finds the call the
    first made (the second insert waits for the first, then does nothing) without a
    pre-check or a savepoint."""
    values = _NEW_CALL | {
        "call_sid_hash": call_sid_hash(pepper, call_sid),
        "establishment_id": line.establishment_id,
        "phone_line_id": line.id,
        "submission_nonce_sealed": b"",  # sealed once the row has its id (bound to it)
        "created_at": at,
        "updated_at": at,
    }
    statement = _INSERT_CALL_ONCE[session.get_bind().dialect.name]
    call_id = session.execute(statement, values).scalar_one_or_none()
    if call_id is None:
        existing = find_call(session, call_sid, pepper=pepper, for_update=True)
        assert existing is not None  # the row the conflict was with
        return existing
    call = CallSession(id=call_id, **values)
    make_transient_to_detached(call)
    session.add(call)
    CALL_NONCE.seal_text(vault, call, nonce)
    return call


def establishment_of(session: Session, call: CallSession) -> Establishment:
    establishment = session.get(Establishment, call.establishment_id)
    assert establishment is not None  # a foreign key
    return establishment


def find_recording_by_provider_sid(session: Session, provider_sid: str) -> Recording | None:
    return session.scalars(
        select(Recording).where(Recording.provider_sid == provider_sid)
    ).one_or_none()


def latest_recording_of_call(session: Session, call: CallSession) -> Recording | None:
    return session.scalars(
        select(Recording)
        .where(
            Recording.call_session_id == call.id,
            Recording.replaced.is_(False),
            Recording.kind == "message",  # not the name and cell said after "in danger"
        )
        .order_by(Recording.id.desc())
        .limit(1)
    ).one_or_none()


def outbox_message_exists(session: Session, dedupe_key: str) -> bool:
    found = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
    return found is not None


def list_phone_numbers(session: Session) -> list[str]:
    return list(session.scalars(select(PhoneLine.number).order_by(PhoneLine.id)))
