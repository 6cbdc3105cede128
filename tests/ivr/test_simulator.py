"""The demo phone simulator and ``safereport call``: real routes, signed requests."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.serving import make_server

from ivr.recordings import recording_handlers
from ivr.settings import DEMO_TOKEN_FILE, settings_from_config
from safeguarding.calls import RECORDING_FETCH_KIND
from safeguarding.services import Services
from safereport.app import create_app
from safereport.config import Config
from storage.models import OutboxMessage, Recording, Report
from tests.ivr.conftest import add_line

_SECRET = re.compile(r'<meta name="simulator-secret" content="([^"]+)">')


def page_headers(client: FlaskClient, base_url: str = "http://localhost") -> dict[str, str]:
    """Load the simulator page, as the browser does, and send back the secret it carries."""
    html = client.get("/ivr/simulator", base_url=base_url).get_data(as_text=True)
    found = _SECRET.search(html)
    assert found is not None
    return {"X-SafeReport-Simulator": found.group(1)}


def test_demo_mode_keeps_a_random_token_readable_only_by_its_owner(demo_config: Config) -> None:
    first = settings_from_config(demo_config, None)
    again = settings_from_config(demo_config, None)
    token_file = demo_config.instance_path / DEMO_TOKEN_FILE
    assert first.auth_token == again.auth_token and len(first.auth_token or "") >= 32
    assert token_file.stat().st_mode & 0o777 == 0o600
    assert first.simulator


def test_the_simulator_is_absent_with_a_real_token(config: Config, services: Services) -> None:
    app = create_app(config.with_changes(demo=True), services=services)  # token configured
    assert app.test_client().get("/ivr/simulator").status_code == 404
    plain = create_app(config, services=services)  # not demo
    assert plain.test_client().get("/ivr/simulator").status_code == 404


def test_the_page_has_a_keypad_and_no_inline_script(demo_app: Flask, services: Services) -> None:
    line = add_line(services)
    response = demo_app.test_client().get("/ivr/simulator")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert line.number in html
    assert all(f'data-key="{key}"' in html for key in "0123456789*#")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # CSP: script-src 'self'
    assert " style=" not in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    with demo_app.test_client().get("/ivr/simulator/static/ivr/simulator.js") as script:
        assert script.status_code == 200


def test_the_relay_signs_for_the_real_routes(demo_app: Flask, services: Services) -> None:
    line = add_line(services)
    client = demo_app.test_client()
    headers = page_headers(client)
    params = {"CallSid": "CA" + "3" * 32, "To": line.number, "From": "+447700900000"}
    answer = client.post(
        "/ivr/simulator/relay", json={"url": "/ivr/voice", "params": params}, headers=headers
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == 200 and "<Gather" in body["twiml"]
    assert "If someone is in danger now, press 1." in body["captions"].values()
    step = client.post(
        "/ivr/simulator/relay",
        json={"url": "/ivr/start?t=1&lang=en", "params": {**params, "Digits": "1"}},
        headers=headers,
    )
    assert step.get_json()["status"] == 200
    with services.db.transaction() as session:
        assert session.scalars(select(Report.in_danger_now)).one() is True


def test_the_relay_refuses_other_sites_and_other_paths(demo_app: Flask) -> None:
    client = demo_app.test_client()
    no_header = client.post("/ivr/simulator/relay", json={"url": "/ivr/voice", "params": {}})
    assert no_header.status_code == 400
    elsewhere = client.post(
        "/ivr/simulator/relay", json={"url": "/triage/", "params": {}}, headers=page_headers(client)
    )
    assert elsewhere.status_code == 400


def test_the_relay_signs_only_for_the_browser_that_loaded_the_page(
    demo_app: Flask, services: Services
) -> None:
    """Fails on fe26a51: any request with the header "1" was signed, for anyone."""
    line = add_line(services)
    params = {"CallSid": "CA" + "5" * 32, "To": line.number, "From": "+447700900000"}
    body = {"url": "/ivr/voice", "params": params}
    stranger = demo_app.test_client()  # never loaded the page
    for header in ("1", "", "x" * 43):
        refused = stranger.post(
            "/ivr/simulator/relay", json=body, headers={"X-SafeReport-Simulator": header}
        )
        assert refused.status_code == 400
    # Another browser's secret is no good without that browser's session cookie.
    other_browsers = page_headers(demo_app.test_client())
    assert (
        stranger.post("/ivr/simulator/relay", json=body, headers=other_browsers).status_code == 400
    )
    upload = stranger.post("/ivr/simulator/recordings", data=b"RIFF", headers=other_browsers)
    assert upload.status_code == 400
    with services.db.transaction() as session:
        assert session.scalars(select(Report)).first() is None


def test_the_relay_never_reaches_the_on_call_routes(demo_app: Flask) -> None:
    """Fails on fe26a51: the relay signed /ivr/oncall/* and acknowledged an alert."""
    client = demo_app.test_client()
    headers = page_headers(client)
    for path in ("/ivr/oncall/answer?e=1", "/ivr/oncall/ack", "/ivr/oncall"):
        refused = client.post(
            "/ivr/simulator/relay",
            json={"url": path, "params": {"CallSid": "CA" + "6" * 32, "Digits": "1"}},
            headers=headers,
        )
        assert refused.status_code == 400, path


@pytest.fixture
def served(demo_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_a_simulated_message_is_fetched_by_the_worker_handler(
    demo_app: Flask, demo_config: Config, services: Services, served: str
) -> None:
    line = add_line(services)
    client: FlaskClient = demo_app.test_client()
    headers = page_headers(client, base_url=served)
    params = {"CallSid": "CA" + "4" * 32, "To": line.number, "From": "+447700900000"}

    def relay(url: str, **extra: str) -> str:
        answer = client.post(
            "/ivr/simulator/relay",
            json={"url": url, "params": {**params, **extra}},
            headers=headers,
            base_url=served,
        )
        body: dict[str, str] = answer.get_json()
        return body["twiml"]

    relay("/ivr/voice")
    relay("/ivr/start?t=1&lang=en", Digits="1")
    sample = client.get("/ivr/simulator/sample").get_data()
    stored = client.post(
        "/ivr/simulator/recordings", data=sample, headers=headers, base_url=served
    ).get_json()
    assert stored["url"].startswith(served)
    relay(
        "/ivr/recording-status?lang=en",
        RecordingSid=stored["sid"],
        RecordingUrl=stored["url"],
        RecordingDuration="6",
        RecordingStatus="completed",
    )
    unauthorised = client.get(f"/ivr/simulator/recordings/{stored['sid']}")
    assert unauthorised.status_code == 401
    fetcher = recording_handlers(demo_config, base_url=served)[RECORDING_FETCH_KIND]
    with services.db.transaction() as session:
        payload = session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.kind == "recording.fetch")
        ).one()
    import json

    fetcher(services, json.loads(payload))
    with services.db.transaction() as session:
        recording = session.scalars(select(Recording)).one()
        assert recording.status == "fetched"


def test_safereport_call_drives_a_whole_call(
    tmp_path: Path, database_url: str, demo_config: Config, services: Services
) -> None:
    from safereport.cli import main
    from safereport.demo import DEMO_PHONE_NUMBER

    line = add_line(services)
    env = {
        "SAFEREPORT_INSTANCE_PATH": str(demo_config.instance_path),
        "SAFEREPORT_DATABASE_URL": database_url,
    }
    result = CliRunner().invoke(
        main,
        ["call", "--to", line.number, "--keys", "2,1,2,1,2,2,r20,2,5,5,3,9"],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Your report has been sent to the safeguarding team." in result.output
    assert "Goodbye." in result.output
    assert DEMO_PHONE_NUMBER.startswith("+44")
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert [a.answer for a in report.answers] == ["hurting_me", "me", "no"]
        assert len(report.recordings) == 1
