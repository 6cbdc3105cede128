from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import CodeLookupAttempt


def count_failed_lookups(
    session: Session, *, since: datetime, scope_hash: str | None = None
) -> int:
    statement = select(func.count(CodeLookupAttempt.id)).where(
        CodeLookupAttempt.at >= since, CodeLookupAttempt.succeeded.is_(False)
    )
    if scope_hash is not None:
        statement = statement.where(CodeLookupAttempt.scope_hash == scope_hash)
    return session.scalar(statement) or 0


def record_lookup(session: Session, *, scope_hash: str, at: datetime, succeeded: bool) -> None:
    session.add(CodeLookupAttempt(scope_hash=scope_hash, at=at, succeeded=succeeded))


def forget_lookups_before(session: Session, before: datetime) -> None:
    """Drop tries no limit looks at any more (one scope is a keyed hash of a caller's number)."""
    session.execute(delete(CodeLookupAttempt).where(CodeLookupAttempt.at < before))
