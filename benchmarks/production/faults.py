"""Fault runs: the server killed with SIGKILL during submissions, and the database stopped
under traffic. Shared by the scripts in benchmarks/ and the tests in tests/production/."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.common import percentile
from benchmarks.production.clients import Caller, KioskPerson, Stats
from benchmarks.production.deployment import Deployment, half_written, mismatches, report_count
from benchmarks.production.postgres import ThrowawayPostgres
from benchmarks.production.server import GunicornServer
from benchmarks.production.traffic import Traffic

WARM_UP_SECONDS = 1.0


@dataclass
class KillRun:
    kills: int = 0
    kills_with_requests_in_flight: int = 0
    restart_seconds: list[float] = field(default_factory=list)
    acknowledged: int = 0
    reports_in_database: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    missing_or_wrong: list[str] = field(default_factory=list)
    half_written: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "kills": self.kills,
            "kills_with_requests_in_flight": self.kills_with_requests_in_flight,
            "restart_p50_s": round(percentile(self.restart_seconds, 0.5), 2),
            "restart_max_s": round(max(self.restart_seconds), 2),
            "acknowledged": self.acknowledged,
            "reports_in_database": self.reports_in_database,
            "outcomes": self.outcomes,
            "missing_or_wrong": self.missing_or_wrong,
            "half_written": self.half_written,
        }


def sigkill_run(
    deployment: Deployment,
    server: GunicornServer,
    *,
    kills: int,
    kiosks: int,
    calls: int,
    seed: int | None = None,
    window: tuple[float, float] = (0.5, 3.0),
    progress: Callable[[KillRun], None] | None = None,
    acknowledged_first: bool = False,
) -> KillRun:
    """Start the server, let submissions run for a random moment, SIGKILL master and
    workers together; ``kills`` times. Then restart once more and check the database.

    ``acknowledged_first``: after each restart, wait (up to a minute) until someone has been
    told their report was sent before the random moment starts, so that on a slow, busy
    machine a short run still kills after acknowledgements, not only during start-up."""
    chance = random.Random(seed)
    result = KillRun()
    # Kiosk users press again when the screen gets no answer, so a report filled in before
    # a kill is sent after the restart (a call cut off is over, as with Twilio).
    traffic = Traffic(
        server.base_url, deployment, kiosks=kiosks, calls=calls, patient_kiosks=True
    ).start()
    try:
        for _ in range(kills):
            result.restart_seconds.append(server.start())
            if acknowledged_first:
                _wait_for_acknowledgement(traffic, since=len(traffic.stats.acknowledged))
            time.sleep(chance.uniform(*window))
            if traffic.stats.in_flight > 0:
                result.kills_with_requests_in_flight += 1
            server.kill()
            result.kills += 1
            if progress is not None:
                progress(result)
    finally:
        traffic.stop()  # the server is down: every turn in progress ends at once
    result.restart_seconds.append(server.start())  # the app comes back after the last kill
    result.acknowledged = len(traffic.stats.acknowledged)
    result.outcomes = dict(sorted(traffic.stats.outcomes.items()))
    result.missing_or_wrong = mismatches(deployment.services, traffic.stats.acknowledged)
    result.half_written = half_written(deployment.services)
    result.reports_in_database = report_count(deployment.services)
    return result


def _wait_for_acknowledgement(traffic: Traffic, *, since: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while len(traffic.stats.acknowledged) <= since and time.monotonic() < deadline:
        time.sleep(0.05)


@dataclass
class StopRun:
    """What people were told while the database was down, and after it came back."""

    down: Stats
    kiosk_while_down: str = ""  # what the Send button led to with the database stopped
    call_while_down: str = ""
    kiosk_after: str = ""
    call_after: str = ""
    health_while_down: bool = True
    health_after: bool = False
    recovered_in_s: float = 0.0  # from the database being up again to /healthz saying so
    acknowledged_while_down: int = 0  # must stay 0: nothing can be stored
    acknowledged: int = 0
    missing_or_wrong: list[str] = field(default_factory=list)
    half_written: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if k != "down"}


def database_stop_run(
    deployment: Deployment,
    server: GunicornServer,
    cluster: ThrowawayPostgres,
    *,
    kiosks: int,
    calls: int,
    seconds: float,
) -> StopRun:
    """Traffic before, during and after ``pg_ctl stop -m immediate`` (our own cluster), with
    the app left running throughout: it must say "not sent", then recover by itself."""
    names = deployment.prompt_names()
    before = Traffic(server.base_url, deployment, kiosks=kiosks, calls=calls).run_for(seconds)
    down = Stats()
    waiting = KioskPerson(server.base_url, down, deployment.new_kiosk_enrolment)
    filled = waiting.fill_in()  # a person on "check your answers" when the database goes
    if filled is None:
        raise RuntimeError("could not fill in a kiosk report before the stop")
    during = Traffic(server.base_url, deployment, kiosks=kiosks, calls=calls).start()
    time.sleep(WARM_UP_SECONDS)
    cluster.stop_immediately()
    stopped_at = time.monotonic()
    run = StopRun(down=down)
    try:
        run.kiosk_while_down = "code shown" if waiting.send(filled) else _last_kiosk(down)
        caller = Caller(server.base_url, down, deployment.phone_number, names)
        run.call_while_down = "code read out" if caller.report() else _last_call(down)
        run.health_while_down = server.healthy()
        time.sleep(seconds)
    finally:
        during.stop()
        cluster.start()
    restarted_at = time.monotonic()
    run.acknowledged_while_down = sum(
        1 for at in during.stats.acknowledged_at + down.acknowledged_at if at > stopped_at
    )
    # The same app processes, never restarted: the pool must reconnect on its own.
    run.health_after = _healthy_within(server, 10.0)
    run.recovered_in_s = round(time.monotonic() - restarted_at, 2)
    run.kiosk_after = "code shown" if waiting.send(filled) else _last_kiosk(down)
    caller = Caller(server.base_url, down, deployment.phone_number, names)
    run.call_after = "code read out" if caller.report() else _last_call(down)
    after = Traffic(server.base_url, deployment, kiosks=kiosks, calls=calls).run_for(seconds)
    every = [*before.stats.acknowledged, *during.stats.acknowledged, *down.acknowledged]
    every += after.stats.acknowledged
    run.acknowledged = len(every)
    run.outcomes = _merged(before.stats, during.stats, down, after.stats)
    run.missing_or_wrong = mismatches(deployment.services, every)
    run.half_written = half_written(deployment.services)
    return run


def _last_kiosk(stats: Stats) -> str:
    kiosk = [name for name in stats.history if name.startswith("kiosk:")]
    return kiosk[-1] if kiosk else "nothing"


def _last_call(stats: Stats) -> str:
    calls = [name for name in stats.history if name.startswith("phone:")]
    return calls[-1] if calls else "nothing"


def _healthy_within(server: GunicornServer, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.healthy():
            return True
        time.sleep(0.2)
    return False


def _merged(*all_stats: Stats) -> dict[str, int]:
    merged: dict[str, int] = {}
    for stats in all_stats:
        for name, count in stats.outcomes.items():
            merged[name] = merged.get(name, 0) + count
    return dict(sorted(merged.items()))
