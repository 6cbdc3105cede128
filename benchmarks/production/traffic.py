"""Many simulated people at once, each in a thread of the load-generator process, making
reports back to back (no think time) until told to stop."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.common import percentile
from benchmarks.production.clients import (
    Abandoned,
    Caller,
    KioskPerson,
    Servers,
    Stats,
    Unreachable,
)
from benchmarks.production.deployment import Deployment

log = logging.getLogger("safereport.load")


class Traffic:
    def __init__(
        self,
        base_url: Servers,
        deployment: Deployment,
        *,
        kiosks: int,
        calls: int,
        patient_kiosks: bool = False,
        public_url: str | None = None,
        enrolments: Sequence[Callable[[], str]] = (),
        numbers: Sequence[str] = (),
    ) -> None:
        """Several ``base_url``s: each person's requests go to each server in turn.
        ``enrolments`` and ``numbers`` spread the kiosks and calls over establishments
        (person n uses the n-th, round the list); by default the deployment's one."""
        self.stats = Stats()
        names = deployment.prompt_names()
        enrolments = list(enrolments) or [deployment.new_kiosk_enrolment]
        numbers = list(numbers) or [deployment.phone_number]
        self.people: list[KioskPerson | Caller] = [
            KioskPerson(
                base_url, self.stats, enrolments[n % len(enrolments)], patient=patient_kiosks
            )
            for n in range(kiosks)
        ] + [
            Caller(base_url, self.stats, numbers[n % len(numbers)], names, public_url=public_url)
            for n in range(calls)
        ]
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._keep_reporting, args=(person,), daemon=True)
            for person in self.people
        ]

    def _keep_reporting(self, person: KioskPerson | Caller) -> None:
        while not self._stop.is_set():
            try:
                person.report()
            except Abandoned:
                return
            except Unreachable:
                self.stats.outcome("server unreachable (turn abandoned)")
                self._stop.wait(0.25)
            except Exception as exc:  # a broken page or TwiML: count it, carry on
                log.warning("simulated person failed: %r", exc)
                self.stats.outcome(f"client saw a broken answer ({type(exc).__name__})")
                self._stop.wait(0.25)

    def start(self) -> Traffic:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, *, finish_turns: bool = False) -> None:
        """Stop starting turns. A turn in progress ends at its next request, or with
        ``finish_turns`` is finished (so each person's last report counts)."""
        self._stop.set()
        if not finish_turns:
            self.stats.stopping.set()
        for thread in self._threads:
            thread.join(timeout=120)

    def run_for(self, seconds: float, *, finish_turns: bool = False) -> Traffic:
        self.start()
        time.sleep(seconds)
        self.stop(finish_turns=finish_turns)
        return self


def step_table(stats: Stats) -> dict[str, dict[str, float]]:
    """p50 and p99 per step, in milliseconds, with the number of requests."""
    return {
        step: {
            "n": len(samples),
            "p50_ms": round(percentile(samples, 0.50) * 1000, 1),
            "p99_ms": round(percentile(samples, 0.99) * 1000, 1),
        }
        for step, samples in sorted(stats.latencies.items())
    }


def summary(stats: Stats, seconds: float) -> dict[str, Any]:
    acknowledged = len(stats.acknowledged)
    return {
        "requests": sum(stats.statuses.values()),
        "requests_per_second": round(sum(stats.statuses.values()) / seconds, 1),
        "statuses": dict(sorted(stats.statuses.items())),
        "server_errors_5xx": dict(stats.server_errors),
        "outcomes": dict(sorted(stats.outcomes.items())),
        "acknowledged": acknowledged,
        "acknowledged_per_minute": round(acknowledged * 60 / seconds, 1),
        "steps": step_table(stats),
    }


def print_steps(title: str, steps: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"  {'step':<28} {'requests':>9} {'p50 ms':>9} {'p99 ms':>9}")
    for step, row in steps.items():
        print(f"  {step:<28} {row['n']:>9} {row['p50_ms']:>9} {row['p99_ms']:>9}")
