"""Phone-line webhook latency (median, p99) for the main steps of a call, over loopback HTTP,
on SQLite and PostgreSQL, with every request signed and checked as Twilio's are.

Baseline in the same run: a bare Flask route on the same kind of server returning the same
TwiML (no signature check, no database, no audio lookup).

Run: .venv/bin/python -m benchmarks.bench_ivr [--calls N]
"""

from __future__ import annotations

import argparse
import logging
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from flask import Flask, Response
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from benchmarks.common import database_urls, print_table, summarise, write_result
from ivr.settings import EXTENSION
from safereport.app import create_app
from safereport.config import Config
from safereport.services import build_services
from speech.render import SpeechRenderer
from storage.migrate import upgrade
from storage.models import PhoneLine
from tests.factories import make_establishment

TOKEN = "bench-auth-token-0123456789abcdef"
DEADLINE_SECONDS = 240
# (step name, path, fields): a caller who reports a concern and leaves a message.
STEPS: list[tuple[str, str, dict[str, str]]] = [
    ("voice (call comes in)", "/ivr/voice", {}),
    ("start: choose to report", "/ivr/start?t=1&lang=en", {"Digits": "2"}),
    ("concern: report created", "/ivr/concern?t=2&lang=en", {"Digits": "1"}),
    ("another: nothing else", "/ivr/another?t=3&lang=en", {"Digits": "2"}),
    ("about: about me (report updated)", "/ivr/about?t=4&lang=en", {"Digits": "1"}),
    ("staff: no (report updated)", "/ivr/staff?t=5&lang=en", {"Digits": "2"}),
    ("recorded: message kept, fetch queued", "/ivr/recorded?t=6&lang=en", {"Digits": "#"}),
    ("review: keep, code read out", "/ivr/review?t=7&lang=en", {"Digits": "2"}),
    ("status: call ended", "/ivr/status", {"CallStatus": "completed"}),
]


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100)
    calls = parser.parse_args().calls
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp, database_urls() as urls:
        audio = Path(tmp) / "audio"
        for kind, url in urls.items():
            results.update(_measure(kind, url, Path(tmp) / kind, audio, calls))
    print_table(f"phone-line webhooks over loopback HTTP ({calls} calls)", results)
    print(f"\nwritten to {write_result('ivr', {'calls': calls, 'results': results})}")


def _measure(kind: str, url: str, instance: Path, audio: Path, calls: int) -> dict[str, Any]:
    config = Config(instance_path=instance, database_url=url, twilio_auth_token=TOKEN)
    services = build_services(config)
    upgrade(services.db.engine)
    with services.db.transaction() as session:
        establishment = make_establishment(session, languages="en")
        number = next(
            line.number
            for line in session.query(PhoneLine).filter_by(establishment_id=establishment.id)
        )
    app = create_app(config, services=services)
    app.extensions[EXTENSION].renderer = SpeechRenderer(audio)  # one warm cache for all runs
    samples: dict[str, list[float]] = {name: [] for name, _path, _fields in STEPS}
    bodies: dict[str, str] = {}
    with serving(app) as base, requests.Session() as http:
        _call(http, base, number, {}, {})  # renders the prompts once, as audio build would
        deadline = time.monotonic() + DEADLINE_SECONDS
        for _ in range(calls):
            if time.monotonic() > deadline:
                break
            _call(http, base, number, samples, bodies)
    services.db.dispose()
    rows = {f"{kind}: {name}": summarise(times) for name, times in samples.items()}
    rows.update(_baseline(kind, bodies["start: choose to report"], calls))
    return rows


def _call(
    http: requests.Session,
    base: str,
    number: str,
    samples: dict[str, list[float]],
    bodies: dict[str, str],
) -> None:
    sid = "CA" + secrets.token_hex(16)
    common = {"CallSid": sid, "AccountSid": "AC" + "0" * 32, "To": number, "From": "+447700900123"}
    validator = RequestValidator(TOKEN)
    recording = "RE" + secrets.token_hex(16)
    for name, path, fields in STEPS:
        params = {**common, **fields}
        if path.startswith("/ivr/recorded"):
            params |= {
                "RecordingSid": recording,
                "RecordingUrl": f"https://api.twilio.com/Recordings/{recording}",
                "RecordingDuration": "30",
            }
        signature = validator.compute_signature(base + path, params)
        start = time.perf_counter()
        response = http.post(base + path, data=params, headers={"X-Twilio-Signature": signature})
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        if name in samples:
            samples[name].append(elapsed)
            bodies[name] = response.text


def _baseline(kind: str, twiml: str, calls: int) -> dict[str, Any]:
    bare = Flask("bare")

    @bare.post("/bare")
    def answer() -> Response:
        return Response(twiml, mimetype="text/xml")

    times: list[float] = []
    with serving(bare) as base, requests.Session() as http:
        params = {"CallSid": "CA" + "0" * 32, "Digits": "2"}
        for _ in range(calls):
            start = time.perf_counter()
            http.post(base + "/bare", data=params)
            times.append(time.perf_counter() - start)
    return {f"{kind}: baseline, bare Flask route, same TwiML": summarise(times)}


if __name__ == "__main__":
    main()
