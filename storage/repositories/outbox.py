"""The outbox: messages written in the same transaction as their cause, delivered later.

Claiming leases a message: its ``available_at`` moves past the lease, so if the worker dies
mid-delivery the message becomes available again and is delivered after restart (at least
once). On PostgreSQL, ``FOR UPDATE SKIP LOCKED`` lets several workers claim without
blocking each other or taking the same message; SQLite serialises writers anyway.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import OutboxAttempt, OutboxMessage
from storage.repositories.new_rows import insert_rows

MAX_ERROR_CHARS = 500


def enqueue_message(
    session: Session, *, kind: str, dedupe_key: str, payload: dict[str, Any], at: datetime
) -> OutboxMessage:
    """Write a message to be delivered after this transaction commits (never sensitive text).
    Written at once, in one INSERT (a taken ``dedupe_key`` raises here); the message
    returned is not in the session."""
    message = OutboxMessage(
        kind=kind,
        dedupe_key=dedupe_key,
        payload=json.dumps(payload, sort_keys=True),
        created_at=at,
        available_at=at,
        attempts=0,
    )
    insert_rows(session, [message])
    return message


def claim_messages(
    session: Session, *, kinds: Collection[str], now: datetime, lease: timedelta, limit: int
) -> list[OutboxMessage]:
    """Lease up to ``limit`` due messages of the given kinds to the caller."""
    statement = (
        select(OutboxMessage)
        .where(
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.available_at <= now,
            OutboxMessage.kind.in_(list(kinds)),
        )
        .order_by(OutboxMessage.available_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    messages = list(session.scalars(statement))
    for message in messages:
        message.available_at = now + lease
        message.attempts += 1
    return messages


def mark_delivered(session: Session, *, message_id: int, now: datetime) -> None:
    message = session.get(OutboxMessage, message_id)
    if message is not None and message.delivered_at is None:
        message.delivered_at = now
        message.last_error = None


def mark_failed(session: Session, *, message_id: int, error: str, retry_at: datetime) -> None:
    message = session.get(OutboxMessage, message_id)
    if message is not None and message.delivered_at is None:
        message.available_at = retry_at
        message.last_error = error[:MAX_ERROR_CHARS]


def fetch_pending_messages(
    session: Session, *, now: datetime, limit: int = 50
) -> list[OutboxMessage]:
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.delivered_at.is_(None), OutboxMessage.available_at <= now)
        .order_by(OutboxMessage.available_at, OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def enqueue_once(
    session: Session, *, kind: str, dedupe_key: str, payload: dict[str, Any], at: datetime
) -> bool:
    """Enqueue unless a message with this key exists (even if a racing worker just added
    it); returns whether this call added it."""
    exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
    if exists is not None:
        return False
    try:
        with session.begin_nested():
            enqueue_message(session, kind=kind, dedupe_key=dedupe_key, payload=payload, at=at)
    except IntegrityError:
        return False
    return True


def record_attempt(session: Session, *, message_id: int, at: datetime, error: str | None) -> None:
    session.add(
        OutboxAttempt(
            message_id=message_id,
            at=at,
            succeeded=error is None,
            error=None if error is None else error[:MAX_ERROR_CHARS],
        )
    )
