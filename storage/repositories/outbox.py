from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import OutboxMessage


def enqueue_message(
    session: Session, *, kind: str, dedupe_key: str, payload: dict[str, Any], at: datetime
) -> OutboxMessage:
    """Write a message to be delivered after this transaction commits (never sensitive text)."""
    message = OutboxMessage(
        kind=kind,
        dedupe_key=dedupe_key,
        payload=json.dumps(payload, sort_keys=True),
        created_at=at,
        available_at=at,
    )
    session.add(message)
    return message


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
