"""One round of issue 18's comparisons, in-process (Flask's test client, no sockets), each
door against its bare-framework floor measured in the same process and moment:

- kiosk question GET vs a bare Flask + Jinja page of the same size; the clock moves a
  second between page views, as a person's does, so the draft's keep-alive is written as
  in real use (every TOUCH_EVERY) rather than never;
- kiosk Send vs a bare POST answering 303;
- IVR steps vs a bare route that checks Twilio's signature and returns a VoiceResponse.

Prints one JSON line of medians (ms): wall time, and ("... cpu") this process's CPU time.
benchmarks/interleave.py runs rounds of this in two trees (before/after) alternately, so a
shared machine's load falls on both alike.

    .venv/bin/python -m benchmarks.bench_speed --kind sqlite --batch 200 --audio /tmp/audio
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask, Response, redirect, render_template_string, request
from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

from benchmarks.bench_kiosk import csrf, enrolled_client, start_and_fill
from benchmarks.common import fresh_database_url
from ivr.settings import EXTENSION
from safeguarding.clock import FixedClock
from safereport.app import create_app
from safereport.config import Config
from safereport.demo import ensure_demo
from safereport.services import build_services
from speech.render import SpeechRenderer
from storage.migrate import upgrade
from storage.models import PhoneLine

TOKEN = "bench-auth-token-0123456789abcdef"
QUESTION = "/kiosk/report/danger"
_WORD = re.compile(r"\S+")


CPU: dict[str, float] = {}  # the same cases in this process's CPU time (ms, median)


def median_ms(operation: Callable[[], object], batch: int, case: str = "") -> float:
    """Median wall time; with ``case``, the median CPU time goes into CPU (on a loaded
    machine CPU time is steadier: waiting for a core does not count)."""
    samples, cpu = [], []
    for _ in range(batch):
        start, start_cpu = time.perf_counter(), time.process_time()
        operation()
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if case:
        CPU[case] = round(statistics.median(cpu) * 1000, 4)
    return round(statistics.median(samples) * 1000, 4)


def bare_app(page_html: str) -> Flask:
    """The floor: Flask, Jinja and Twilio's validator, nothing of ours."""
    bare = Flask("bare")
    validator = RequestValidator(TOKEN)
    template = "<!DOCTYPE html><title>{{ title }}</title>{{ body|safe }}"

    @bare.get("/page")
    def page() -> str:
        return render_template_string(template, title="bare", body=page_html)

    @bare.post("/send")
    def send() -> Response:
        return redirect("/page", 303)  # type: ignore[return-value]

    @bare.post("/ivr")
    def ivr() -> Response:
        signature = request.headers.get("X-Twilio-Signature", "")
        assert validator.validate(request.url, request.form, signature)
        answer = VoiceResponse()
        answer.gather(num_digits=1, action="/ivr", timeout=10).play("/audio/x.mp3")
        return Response(str(answer), mimetype="text/xml")

    return bare


def kiosk_round(url: str, batch: int, instance: Path) -> dict[str, float]:
    clock = FixedClock(datetime.now(UTC))
    config = Config(instance_path=instance, database_url=url, testing=True)
    services = build_services(config, clock=clock)
    upgrade(services.db.engine)
    establishment_id = ensure_demo(services, languages=["en"]).establishment_id
    app = create_app(config, services=services)
    client = enrolled_client(app, services, establishment_id)
    start_and_fill(client)
    html = client.get(QUESTION).get_data(as_text=True)
    bare = bare_app(html).test_client()

    def view() -> None:
        clock.advance(timedelta(seconds=1))  # a person reads for a while between screens
        assert client.get(QUESTION).status_code == 200

    result = {
        "kiosk GET bare": median_ms(lambda: bare.get("/page"), batch, "kiosk GET bare"),
        "kiosk GET": median_ms(view, batch, "kiosk GET"),
        "kiosk Send bare": median_ms(lambda: bare.post("/send"), batch, "kiosk Send bare"),
        "kiosk Send": _send_ms(client, clock, max(10, batch // 10)),
    }
    services.db.dispose()
    return result


def _send_ms(client: FlaskClient, clock: FixedClock, sends: int) -> float:
    samples, cpu = [], []
    for _ in range(sends):
        clock.advance(timedelta(minutes=4))  # under the per-kiosk limit, as a real kiosk
        start_and_fill(client)
        token = csrf(client, "/kiosk/report/check")
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.post("/kiosk/report/send", data={"csrf_token": token})
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.location == "/kiosk/report/sent", response.status_code
    CPU["kiosk Send"] = round(statistics.median(cpu) * 1000, 4)
    return round(statistics.median(samples) * 1000, 4)


IVR_STEPS = [
    ("voice", "/ivr/voice", {}),
    ("start", "/ivr/start?t=1&lang=en", {"Digits": "2"}),
    ("concern: report created", "/ivr/concern?t=2&lang=en", {"Digits": "1"}),
    ("another", "/ivr/another?t=3&lang=en", {"Digits": "2"}),
]


def ivr_round(url: str, batch: int, instance: Path, audio: Path) -> dict[str, float]:
    config = Config(instance_path=instance, database_url=url, twilio_auth_token=TOKEN)
    services = build_services(config)
    upgrade(services.db.engine)
    with services.db.transaction() as session:
        establishment_id = ensure_demo(services, languages=["en"]).establishment_id
        number = session.scalars(
            select(PhoneLine.number).where(PhoneLine.establishment_id == establishment_id)
        ).first()
    assert number is not None
    app = create_app(config, services=services)
    app.extensions[EXTENSION].renderer = SpeechRenderer(audio)
    client = app.test_client()
    validator = RequestValidator(TOKEN)
    samples: dict[str, list[float]] = {name: [] for name, _path, _fields in IVR_STEPS}
    cpu: dict[str, list[float]] = {name: [] for name, _path, _fields in IVR_STEPS}
    calls = max(10, batch // 2)
    for _ in range(calls + 1):  # the first renders the prompts into the audio cache
        _call(client, validator, number, samples, cpu)
    bare = bare_app("").test_client()
    params = {"CallSid": "CA" + "0" * 32, "Digits": "2"}
    signature = validator.compute_signature("http://localhost/ivr", params)
    headers = {"X-Twilio-Signature": signature}
    result = {
        "IVR bare": median_ms(
            lambda: bare.post("/ivr", data=params, headers=headers), batch, "IVR bare"
        )
    }
    for name, times in samples.items():
        result[f"IVR {name}"] = round(statistics.median(times[1:]) * 1000, 4)
        CPU[f"IVR {name}"] = round(statistics.median(cpu[name][1:]) * 1000, 4)
    services.db.dispose()
    return result


def _call(
    client: FlaskClient,
    validator: RequestValidator,
    number: str,
    samples: dict[str, list[float]],
    cpu: dict[str, list[float]],
) -> None:
    common = {"CallSid": "CA" + secrets.token_hex(16), "To": number, "From": "+447700900123"}
    for name, path, fields in IVR_STEPS:
        params = {**common, "AccountSid": "AC" + "0" * 32, **fields}
        signature = validator.compute_signature("http://localhost" + path, params)
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.post(path, data=params, headers={"X-Twilio-Signature": signature})
        samples[name].append(time.perf_counter() - start)
        cpu[name].append(time.process_time() - start_cpu)
        assert response.status_code == 200, (path, response.status_code)


def main() -> None:
    logging.disable(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kind", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--audio", type=Path, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with fresh_database_url(args.kind, Path(tmp)) as url:
            result = kiosk_round(url, args.batch, Path(tmp) / "kiosk")
        with fresh_database_url(args.kind, Path(tmp)) as url2:
            result |= ivr_round(url2, args.batch, Path(tmp) / "ivr", args.audio)
    print(json.dumps(result | {f"{case} cpu": value for case, value in CPU.items()}))


if __name__ == "__main__":
    main()
