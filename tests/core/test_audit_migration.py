"""0008_audit_chains re-keys an existing SHA-256 chain in order, giving each event its
establishment, and refuses to bless a chain that was already broken."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import AuditEvent, Establishment, PurgedReport
from storage.repositories.audit import verify_audit_chain
from tests.conftest import START, _postgres_admin, _postgres_admin_url
from tests.support.migrations import upgrade_all_but


@pytest.fixture
def old_engine(database_kind: str, tmp_path: os.PathLike[str]) -> Iterator[Engine]:
    """A database at the heads before 0008_audit_chains."""
    if database_kind == "sqlite":
        url = f"sqlite:///{tmp_path}/old.db"
        engine = make_engine(url)
        yield from _at_old_heads(engine)
        return
    admin = _postgres_admin_url()
    name = f"sr_old_{uuid.uuid4().hex[:10]}"
    _postgres_admin(admin, f'CREATE DATABASE "{name}"')
    engine = make_engine(make_url(admin).set(database=name).render_as_string(False))
    yield from _at_old_heads(engine)
    _postgres_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _at_old_heads(engine: Engine) -> Iterator[Engine]:
    upgrade_all_but(engine, not_yet=["0008_audit_chains"])
    yield engine
    engine.dispose()


def _old_chain(engine: Engine, events: list[tuple[str, int | None]]) -> int:
    """Write events as fe26a51 did (one SHA-256 chain); return the establishment's id."""
    with engine.begin() as connection:
        establishment = connection.execute(
            insert(Establishment).values(
                code="OLD", name="HMP Old", languages="en", kiosk_idle_seconds=90,
                created_at=START, say_voices="{}", keep_caller_number=False,
            ).returning(Establishment.id)
        ).scalar_one()  # fmt: skip
        connection.execute(
            insert(PurgedReport).values(
                report_id=41, establishment_id=establishment, queue="general",
                closed_at=START, purged_at=START,
            )
        )  # fmt: skip
        prev = "0" * 64
        for action, report_id in events:
            canonical = json.dumps(
                [prev, START.isoformat(), "staff:1", action, report_id, "{}"],
                separators=(",", ":"), ensure_ascii=False,
            )  # fmt: skip
            digest = hashlib.sha256(canonical.encode()).hexdigest()
            connection.execute(
                text(
                    "INSERT INTO audit_event (at, actor, action, report_id, detail, prev_hash, "
                    "hash) VALUES (:at, 'staff:1', :action, :report_id, '{}', :prev, :hash)"
                ),
                {"at": START, "action": action, "report_id": report_id, "prev": prev,
                 "hash": digest},
            )  # fmt: skip
            prev = digest
        connection.execute(
            text("UPDATE audit_chain_head SET last_hash = :h, length = :n"),
            {"h": prev, "n": len(events)},
        )
    return int(establishment)


def test_an_existing_chain_is_rekeyed_in_order(old_engine: Engine) -> None:
    establishment = _old_chain(
        old_engine,
        [("staff.signed_in", None), ("report.purged", 41), ("report.viewed", 41), ("x", None)],
    )
    key = os.urandom(32)
    upgrade(old_engine, audit_key=key)
    with sessionmaker(old_engine, info={"audit_key": key})() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.action, e.establishment_id, e.chain, e.seq) for e in events] == [
            ("staff.signed_in", None, 0, 1),
            ("report.purged", establishment, establishment, 1),
            ("report.viewed", establishment, establishment, 2),
            ("x", None, 0, 2),
        ]
        assert verify_audit_chain(session).ok
    with sessionmaker(old_engine, info={"audit_key": os.urandom(32)})() as session:
        assert not verify_audit_chain(session).ok  # the key is what makes it verify


def test_a_chain_already_broken_is_not_rekeyed(old_engine: Engine) -> None:
    _old_chain(old_engine, [("one", None), ("two", None), ("three", None)])
    with old_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_event WHERE action = 'two'"))
    with pytest.raises(RuntimeError, match="broken at event"):
        upgrade(old_engine, audit_key=os.urandom(32))


def test_rekeying_existing_events_needs_the_key(old_engine: Engine) -> None:
    _old_chain(old_engine, [("one", None)])
    with pytest.raises(RuntimeError, match="needs the audit key"):
        upgrade(old_engine)
