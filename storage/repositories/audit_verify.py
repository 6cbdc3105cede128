"""Checking the audit chains, and the heads to publish so that a chain cannot be cut short
or rebuilt unnoticed even by someone who holds the audit key."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditChainHead, AuditEvent
from storage.repositories.audit import GENESIS_HASH, chain_hash, session_audit_key


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    events_checked: int
    first_bad_event_id: int | None = None
    reason: str = ""
    chain: int | None = None


@dataclass(frozen=True)
class ChainHead:
    chain: int  # the establishment id, or 0 for the installation
    length: int
    last_hash: str


def chain_heads(session: Session) -> list[ChainHead]:
    heads = session.scalars(select(AuditChainHead).order_by(AuditChainHead.chain))
    return [ChainHead(h.chain, h.length, h.last_hash) for h in heads]


def chain_head(session: Session, chain: int) -> ChainHead:
    """The tip of one chain (length 0 and the genesis hash before its first event)."""
    head = session.get(AuditChainHead, chain)
    if head is None:
        return ChainHead(chain, 0, GENESIS_HASH)
    return ChainHead(head.chain, head.length, head.last_hash)


def verify_audit_chain(
    session: Session,
    *,
    batch: int = 5000,
    published: Mapping[int, tuple[int, str]] | None = None,
) -> ChainVerdict:
    """Walk every chain from its start; report the first event that does not fit.

    ``published`` maps a chain to a (length, last hash) printed earlier by
    ``safereport audit head``: the chain must still pass through that point."""
    key = session_audit_key(session)
    heads = {h.chain: h for h in chain_heads(session)}
    chains = set(session.scalars(select(AuditEvent.chain).distinct())) | set(heads)
    checked = 0
    for chain in sorted(chains):
        verdict = _verify_one(session, key, chain, heads.get(chain), batch, published or {})
        checked += verdict.events_checked
        if not verdict.ok:
            return ChainVerdict(False, checked, verdict.first_bad_event_id, verdict.reason, chain)
    for chain in sorted(set(published or {}) - chains):
        return ChainVerdict(False, checked, None, "a published chain is missing", chain)
    return ChainVerdict(True, checked)


def _verify_one(
    session: Session,
    key: bytes,
    chain: int,
    head: ChainHead | None,
    batch: int,
    published: Mapping[int, tuple[int, str]],
) -> ChainVerdict:
    expected_prev, seq = GENESIS_HASH, 0
    published_at = published.get(chain)
    while True:
        rows = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.chain == chain, AuditEvent.seq > seq)
            .order_by(AuditEvent.seq)
            .limit(batch)
        ).all()
        for event in rows:
            if event.seq != seq + 1 or event.prev_hash != expected_prev:
                return ChainVerdict(False, seq, event.id, "link to previous event broken")
            if not hmac.compare_digest(chain_hash(key, event), event.hash):
                return ChainVerdict(False, seq, event.id, "event altered")
            if published_at is not None and not _agrees(published_at, event):
                return ChainVerdict(False, seq, event.id, "differs from the published head")
            expected_prev, seq = event.hash, event.seq
        if len(rows) < batch:
            break
    if head is None or head.last_hash != expected_prev or head.length != seq:
        return ChainVerdict(False, seq, None, "events missing from the end of the chain")
    if published_at is not None and published_at[0] > seq:
        return ChainVerdict(False, seq, None, "shorter than the published head")
    return ChainVerdict(True, seq)


def _agrees(published: tuple[int, str], event: AuditEvent) -> bool:
    length, last_hash = published
    return length != event.seq or hmac.compare_digest(last_hash, event.hash)
