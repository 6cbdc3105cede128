"""``safereport worker``: delivers the outbox at least once, with retries and backoff.

Handlers take ``(services, payload)`` and raise to ask for a retry; they must be idempotent
because a message can be delivered again after a crash. Only kinds with a handler are
claimed, so a message whose handler is not deployed yet waits rather than being lost.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from safeguarding.services import Services
from storage.repositories.outbox import (
    claim_messages,
    mark_delivered,
    mark_failed,
    record_attempt,
)

log = logging.getLogger("safereport.worker")

Handler = Callable[[Services, dict[str, Any]], None]
Periodic = Callable[[Services], object]

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(minutes=15)


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 15 minutes: an alert is never given up on."""
    return min(timedelta(seconds=5 * 2 ** max(0, attempts - 1)), MAX_BACKOFF)


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


class Worker:
    def __init__(
        self,
        services: Services,
        handlers: Mapping[str, Handler],
        periodic: Sequence[tuple[timedelta, Periodic]] = (),
        *,
        lease: timedelta = LEASE,
    ) -> None:
        self.services = services
        self.lease = lease
        self.handlers = dict(handlers)
        self.periodic = list(periodic)
        self._last_run: dict[int, datetime] = {}

    def run_once(self, *, limit: int = 20) -> int:
        """Run the periodic sweeps, then claim and deliver one batch; returns how many
        messages were attempted."""
        self._run_periodic()
        if not self.handlers:
            return 0
        clock = self.services.clock
        with self.services.db.transaction() as session:
            claimed = [
                Claimed(m.id, m.kind, json.loads(m.payload), m.attempts)
                for m in claim_messages(
                    session, kinds=self.handlers, now=clock.now(), lease=self.lease, limit=limit
                )
            ]
        for message in claimed:
            self._deliver(message)
        return len(claimed)

    def _run_periodic(self) -> None:
        now = self.services.clock.now()
        for index, (interval, task) in enumerate(self.periodic):
            last = self._last_run.get(index)
            if last is None or now - last >= interval:
                task(self.services)
                self._last_run[index] = now

    def _deliver(self, message: Claimed) -> None:
        clock = self.services.clock
        try:
            self.handlers[message.kind](self.services, message.payload)
        except Exception as exc:  # any failure means: try again later
            log.warning(
                "outbox message %s (%s) attempt %s failed: %s",
                message.id, message.kind, message.attempts, type(exc).__name__,
            )  # fmt: skip
            error = f"{type(exc).__name__}: {exc}"
            with self.services.db.transaction() as session:
                record_attempt(session, message_id=message.id, at=clock.now(), error=error)
                retry_at = clock.now() + backoff(message.attempts)
                mark_failed(session, message_id=message.id, error=error, retry_at=retry_at)
            return
        with self.services.db.transaction() as session:
            record_attempt(session, message_id=message.id, at=clock.now(), error=None)
            mark_delivered(session, message_id=message.id, now=clock.now())
        log.info("outbox message %s (%s) delivered", message.id, message.kind)

    def run_forever(self, stop: threading.Event, *, poll_seconds: float = 1.0) -> None:
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:
                log.exception("worker loop failed; retrying")
                busy = 0
            if not busy:
                stop.wait(poll_seconds)
