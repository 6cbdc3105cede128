"""The audit chains are keyed (HMAC under a key outside the database) and one per
establishment: someone holding only the database cannot delete events and recompute the
chain, and a writer at one prison never waits for another's chain."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.cli import main
from safereport.config import Config
from storage.db import Database
from storage.models import AuditChainHead, AuditEvent
from storage.models.audit import INSTALLATION_CHAIN
from storage.repositories.audit import AuditKeyMissing, append_audit, verify_audit_chain
from tests.conftest import START
from tests.factories import new_establishment, submit


def _cli(config: Config, *args: str) -> tuple[int, str]:
    env = {
        "SAFEREPORT_DATABASE_URL": config.database_url,
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
    }
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def _recompute_with_sha256(session: Session) -> None:
    """What an attacker with the database did to the old chain: re-link every event with
    plain SHA-256 (no key) after deleting some, and fix the heads to match."""
    for chain in session.scalars(select(AuditChainHead.chain)).all():
        prev, seq = "0" * 64, 0
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.chain == chain).order_by(AuditEvent.seq)
        ).all()
        for event in events:
            seq += 1
            fields = [
                "audit/v2", event.chain, seq, prev, event.at.isoformat(), event.actor,
                event.action, event.report_id, event.establishment_id, event.detail,
            ]  # fmt: skip
            canonical = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
            event.seq, event.prev_hash = seq, prev
            event.hash = hashlib.sha256(canonical.encode()).hexdigest()
            session.flush()
            prev = event.hash
        session.execute(
            update(AuditChainHead)
            .where(AuditChainHead.chain == chain)
            .values(last_hash=prev, length=seq)
        )


def test_a_chain_recomputed_without_the_key_fails_verification(
    services: Services, config: Config
) -> None:
    """Fails on fe26a51: there, deleting events and recomputing SHA-256 verified intact."""
    establishment_id = new_establishment(services)
    for _ in range(6):
        submit(services, establishment_id)
    assert _cli(config, "audit", "verify")[0] == 0
    with services.db.transaction() as session:
        ids = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
        session.execute(delete(AuditEvent).where(AuditEvent.id.in_(ids[1:4])))
        _recompute_with_sha256(session)
    code, output = _cli(config, "audit", "verify")
    assert code == 1 and "altered" in output


def test_each_establishment_has_its_own_chain(services: Services) -> None:
    alpha, beta = new_establishment(services), new_establishment(services)
    submit(services, alpha)
    submit(services, beta)
    submit(services, alpha)
    with services.db.transaction() as session:
        append_audit(session, at=services.clock.now(), actor="staff:1", action="staff.signed_in")
        heads = {h.chain: h.length for h in session.scalars(select(AuditChainHead))}
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert heads == {alpha: 2, beta: 1, INSTALLATION_CHAIN: 1}
        assert [(e.establishment_id, e.seq) for e in events] == [
            (alpha, 1), (beta, 1), (alpha, 2), (None, 1),
        ]  # fmt: skip
        assert verify_audit_chain(session).ok


def test_an_event_moved_to_another_chain_is_found(services: Services) -> None:
    alpha, beta = new_establishment(services), new_establishment(services)
    submit(services, alpha)
    submit(services, beta)
    with services.db.transaction() as session:
        # Someone tries to make prison Alpha's event look like Beta's.
        session.execute(
            update(AuditEvent).where(AuditEvent.chain == alpha).values(establishment_id=beta)
        )
    with services.db.transaction() as session:
        verdict = verify_audit_chain(session)
    assert not verdict.ok and verdict.reason == "event altered" and verdict.chain == alpha


def test_appending_without_the_audit_key_is_refused(database_url: str) -> None:
    keyless = Database.connect(database_url)
    try:
        with pytest.raises(AuditKeyMissing), keyless.transaction() as session:
            append_audit(session, at=START, actor="test", action="test")
    finally:
        keyless.dispose()


def test_a_published_head_finds_a_chain_cut_short_and_rebuilt_with_the_key(
    services: Services, config: Config, tmp_path: Path
) -> None:
    """Even someone who has the key file cannot rewrite history before a published head."""
    establishment_id = new_establishment(services)
    for _ in range(3):
        submit(services, establishment_id)
    code, printed = _cli(config, "audit", "head")
    assert code == 0
    heads = [json.loads(line) for line in printed.splitlines()]
    assert {(h["chain"], h["length"]) for h in heads} == {(establishment_id, 3)}
    published = tmp_path / "heads.jsonl"
    published.write_text(printed)
    assert _cli(config, "audit", "verify", "--published", str(published))[0] == 0
    # Delete the newest event and rebuild the chain's tip properly, with the key.
    with services.db.transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
        last = session.scalars(select(AuditEvent).where(AuditEvent.seq == 2)).one()
        session.execute(update(AuditChainHead).values(last_hash=last.hash, length=2))
    assert _cli(config, "audit", "verify")[0] == 0  # the keyed chain alone looks intact
    code, output = _cli(config, "audit", "verify", "--published", str(published))
    assert code == 1 and "shorter than the published head" in output


def test_the_daily_digest_carries_the_head_of_the_establishments_chain(
    services: Services,
) -> None:
    from safeguarding.breaches import queue_daily_digests
    from storage.models import OnCallContact, OutboxMessage

    establishment_id = new_establishment(services)
    submit(services, establishment_id)
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment_id, display_name="Lead", role="lead",
                email="lead@example.test", chain_position=0, created_at=START,
            )
        )  # fmt: skip
    later = services.clock.now().replace(hour=23)
    with services.db.transaction() as session:
        clock = FixedClock(later)
        assert queue_daily_digests(session, clock=clock, digest_hour_utc=7) == 1
        message = session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith("digest:"))
        ).one()
        head = session.get(AuditChainHead, establishment_id)
        assert head is not None
        payload = json.loads(message.payload)
        assert payload["audit_head"] == {
            "chain": establishment_id, "length": head.length, "hash": head.last_hash,
        }  # fmt: skip


def test_writers_at_two_prisons_do_not_wait_for_each_other(
    services: Services, database_kind: str
) -> None:
    if database_kind == "sqlite":
        pytest.skip("SQLite has one write lock for the whole file: nothing to show there")
    alpha, beta = new_establishment(services), new_establishment(services)
    submit(services, alpha)
    submit(services, beta)
    holding = threading.Event()
    release = threading.Event()

    def hold_alpha() -> None:
        with services.db.transaction() as session:
            append_audit(session, at=services.clock.now(), actor="a", action="held")
            append_audit(
                session, at=services.clock.now(), actor="a", action="held",
                establishment_id=alpha,
            )  # fmt: skip
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold_alpha)
    holder.start()
    assert holding.wait(10)
    try:
        with services.db.transaction() as session:
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
            append_audit(
                session, at=services.clock.now(), actor="b", action="not_waiting",
                establishment_id=beta,
            )  # fmt: skip
    finally:
        release.set()
        holder.join()
    with services.db.transaction() as session:
        assert verify_audit_chain(session).ok
