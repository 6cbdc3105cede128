"""Audit append under concurrency: the single SHA-256 chain of fe26a51 (one head row every
writer locks) against the keyed chains, one per establishment, on SQLite and PostgreSQL.

Each writer thread appends one event per transaction, as a report write does; writers are
spread over several establishments. A third case runs the new code with every writer on
one chain, to separate what the key and the ORM cost from what splitting the chain saves.
Rounds interleave the designs (the order alternates) so a noisy machine slows all alike.

Run: .venv/bin/python -m benchmarks.bench_audit [--rounds 5] [--writers 8] [--appends 40]
     [--establishments 4] [--hold-ms 0]  (PostgreSQL too with SAFEREPORT_TEST_POSTGRES_URL)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, insert, select, update
from sqlalchemy.orm import Session

from benchmarks.common import database_urls, print_table, summarise, write_result
from storage.db import Database
from storage.migrate import upgrade
from storage.repositories.audit import append_audit

Append = Callable[[Session, int, int], None]  # session, establishment id, sequence number


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--appends", type=int, default=40, help="per writer per round")
    parser.add_argument("--establishments", type=int, default=4)
    parser.add_argument(
        "--hold-ms",
        type=float,
        default=0.0,
        help="time spent in the transaction after the append, as the rest of a report write "
        "(and a commit that waits for the disk) spends while the head row stays locked",
    )
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    with database_urls() as urls:
        for kind, url in urls.items():
            results.update(_measure(kind, url, args))
    title = (
        f"audit append, {args.writers} concurrent writers over {args.establishments} "
        f"establishments, {args.rounds} interleaved rounds of {args.appends} each, "
        f"{args.hold_ms} ms more in each transaction"
    )
    print_table(title, results)
    name = "audit" if not args.hold_ms else f"audit-hold-{args.hold_ms:g}ms"
    path = write_result(name, {**vars(args), "results": results})
    print(f"\nwritten to {path}")


def _measure(kind: str, url: str, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    database = Database.connect(url, audit_key=os.urandom(32), pool_size=args.writers + 2)
    upgrade(database.engine)
    before = _single_sha256_chain(database)
    designs: dict[str, Append] = {
        "before: one SHA-256 chain": before,
        "after, all in one chain (keyed)": _keyed_one_chain,
        "after: keyed chain per establishment": _keyed_per_establishment,
    }
    samples: dict[str, list[float]] = {name: [] for name in designs}
    elapsed: dict[str, float] = dict.fromkeys(designs, 0.0)
    for round_number in range(args.rounds):
        order = list(designs) if round_number % 2 == 0 else list(reversed(designs))
        for name in order:
            took, latencies = _round(database, designs[name], args)
            samples[name] += latencies
            elapsed[name] += took
    database.dispose()
    rows = {}
    for name in designs:
        row: dict[str, Any] = summarise(samples[name])
        # Throughput of the whole system (all writers together), not one writer's.
        row["per_second"] = round(len(samples[name]) / elapsed[name], 1)
        rows[f"{kind}: {name}"] = row
    return rows


def _round(
    database: Database, append: Append, args: argparse.Namespace
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    start_line = threading.Barrier(args.writers + 1)

    def writer(number: int) -> None:
        establishment = 1 + number % args.establishments
        mine = []
        start_line.wait()
        for i in range(args.appends):
            began = time.perf_counter()
            with database.transaction() as session:
                append(session, establishment, i)
                if args.hold_ms:
                    time.sleep(args.hold_ms / 1000)
            mine.append(time.perf_counter() - began)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(args.writers)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies


def _keyed_per_establishment(session: Session, establishment: int, i: int) -> None:
    append_audit(
        session, at=datetime.now(UTC), actor="staff:1", action="report.viewed",
        report_id=None, detail={"n": i}, establishment_id=establishment,
    )  # fmt: skip


def _keyed_one_chain(session: Session, _establishment: int, i: int) -> None:
    """The new code with every writer on one chain: what keying alone costs."""
    append_audit(
        session, at=datetime.now(UTC), actor="staff:1", action="report.viewed",
        report_id=None, detail={"n": i},
    )  # fmt: skip


def _single_sha256_chain(database: Database) -> Append:
    """fe26a51's append_audit, on tables of its own: one head row, plain SHA-256."""
    metadata = MetaData()
    events = Table(
        "bench_old_audit_event", metadata,
        Column("id", Integer, primary_key=True), Column("at", String(40)),
        Column("actor", String(80)), Column("action", String(48)),
        Column("report_id", Integer), Column("detail", Text),
        Column("prev_hash", String(64)), Column("hash", String(64), unique=True),
    )  # fmt: skip
    head = Table(
        "bench_old_audit_head", metadata,
        Column("id", Integer, primary_key=True), Column("last_hash", String(64)),
        Column("length", Integer),
    )  # fmt: skip
    metadata.create_all(database.engine)
    with database.engine.begin() as connection:
        connection.execute(insert(head).values(id=1, last_hash="0" * 64, length=0))

    def append(session: Session, _establishment: int, i: int) -> None:
        last_hash, length = session.execute(
            select(head.c.last_hash, head.c.length).where(head.c.id == 1).with_for_update()
        ).one()
        at = datetime.now(UTC).isoformat()
        detail = json.dumps({"n": i}, sort_keys=True, separators=(",", ":"))
        canonical = json.dumps(
            [last_hash, at, "staff:1", "report.viewed", None, detail], separators=(",", ":")
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        session.execute(
            insert(events).values(
                at=at, actor="staff:1", action="report.viewed", report_id=None, detail=detail,
                prev_hash=last_hash, hash=digest,
            )
        )  # fmt: skip
        session.execute(
            update(head).where(head.c.id == 1).values(last_hash=digest, length=length + 1)
        )

    return append


if __name__ == "__main__":
    main()
