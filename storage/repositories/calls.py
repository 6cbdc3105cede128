"""Phone calls and their recordings. The caller owns the transaction."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from storage.crypto import Vault
from storage.models import CallSession, Establishment, OutboxMessage, PhoneLine, Recording
from storage.repositories.insert_once import InsertOnce, column_defaults
from storage.sealed_fields import CALL_NONCE

# Every webhook runs these. Built once per process: building a SELECT through the ORM
# costs about as much again as running it on SQLite (issue 18, docs/architecture.md).
_LINE_BY_NUMBER = select(PhoneLine).where(PhoneLine.number == bindparam("number"))
_CALL_BY_SID_HASH = select(CallSession).where(CallSession.call_sid_hash == bindparam("sid_hash"))
_CALL_BY_SID_HASH_FOR_UPDATE = _CALL_BY_SID_HASH.with_for_update()


def find_phone_line(session: Session, number: str) -> PhoneLine | None:
    return session.scalars(_LINE_BY_NUMBER, {"number": number}).one_or_none()


def call_sid_hash(pepper: bytes, call_sid: str) -> str:
    """What is stored instead of the CallSid (which names the call at Twilio)."""
    return hmac.new(pepper, f"call_sid|{call_sid}".encode(), hashlib.sha256).hexdigest()


def find_call(
    session: Session, call_sid: str, *, pepper: bytes, for_update: bool = False
) -> CallSession | None:
    """The call's state; ``for_update`` locks the row so two deliveries apply one at a time."""
    statement = _CALL_BY_SID_HASH_FOR_UPDATE if for_update else _CALL_BY_SID_HASH
    found = session.scalars(statement, {"sid_hash": call_sid_hash(pepper, call_sid)})
    return found.one_or_none()


_NEW_CALL = column_defaults(CallSession)
_INSERT_CALL_ONCE = InsertOnce(CallSession, conflict_on=("call_sid_hash",))


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
    """The call's state, created on its first webhook in one insert
    (storage.repositories.insert_once): a first webhook delivered twice, or twice at once,
    finds the call the first made."""
    values = _NEW_CALL | {
        "call_sid_hash": call_sid_hash(pepper, call_sid),
        "establishment_id": line.establishment_id,
        "phone_line_id": line.id,
        "submission_nonce_sealed": b"",  # sealed once the row has its id (bound to it)
        "created_at": at,
        "updated_at": at,
    }
    call = _INSERT_CALL_ONCE(session, values)  # every column given: nothing read back
    if call is None:
        existing = find_call(session, call_sid, pepper=pepper, for_update=True)
        assert existing is not None  # the row the conflict was with
        return existing
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
