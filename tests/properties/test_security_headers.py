"""Every route the app has, with every method it accepts (and some it does not), as every
kind of visitor: every response carries the security headers, errors included.

The routes come from ``app.url_map``, so a route added tomorrow is checked tomorrow.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator
from werkzeug.routing import IntegerConverter, PathConverter, Rule
from werkzeug.test import TestResponse

from ivr.settings import EXTENSION
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.app import create_app
from safereport.config import Config
from speech.render import SpeechRenderer
from tests.factories import new_establishment
from tests.properties.conftest import enrolled_kiosk
from tests.triage.helpers import make_staff, signed_in_client

# Fixed sentences and our own CSS, JS and fonts: no report data, so they may be cached.
CACHEABLE_ENDPOINTS = frozenset(
    {
        "static",
        "kiosk.static",
        "triage.static",
        "ivr_simulator.static",
        "prompt_audio.play",
        "home.favicon",
    }
)
EXTRA_METHODS = ("PUT", "DELETE", "PATCH")
HUGE_ID = "99999999999999999999"  # more than a 64-bit integer holds
HSTS = "max-age=63072000"


def missing_headers(response: TestResponse, endpoint: str | None) -> list[str]:
    """What a response lacks of what every response must carry."""
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    wanted = {
        "CSP default-src 'self'": "default-src 'self'" in policy,
        "CSP frame-ancestors 'none'": "frame-ancestors 'none'" in policy,
        "CSP object-src 'none'": "object-src 'none'" in policy,
        "CSP base-uri 'none'": "base-uri 'none'" in policy,
        "X-Content-Type-Options": headers.get("X-Content-Type-Options") == "nosniff",
        "X-Frame-Options": headers.get("X-Frame-Options") == "DENY",
        "Referrer-Policy": headers.get("Referrer-Policy") == "no-referrer",
        "Permissions-Policy": "camera=()" in headers.get("Permissions-Policy", ""),
        "Cross-Origin-Opener-Policy": headers.get("Cross-Origin-Opener-Policy") == "same-origin",
    }
    if endpoint not in CACHEABLE_ENDPOINTS:
        wanted["Cache-Control no-store"] = "no-store" in headers.get("Cache-Control", "")
    return [name for name, present in wanted.items() if not present]


def paths_for(rule: Rule) -> list[str]:
    """The rule's address with placeholder values: an ordinary one and, for numbers, one
    too big for the database."""
    ordinary: dict[str, str] = {}
    huge: dict[str, str] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            ordinary[name], huge[name] = "1", HUGE_ID
        elif isinstance(converter, PathConverter):
            ordinary[name] = huge[name] = "missing/file.css"
        else:
            ordinary[name] = huge[name] = "placeholder"
    built = {_build(rule, ordinary), _build(rule, huge)}
    return sorted(built)


def _build(rule: Rule, values: dict[str, str]) -> str:
    path = rule.rule
    for name, value in values.items():
        path = path.replace(f"<{name}>", value)
        for converter in ("int", "path", "string"):
            path = path.replace(f"<{converter}:{name}>", value)
    assert "<" not in path, path
    return path


@dataclass(frozen=True)
class Visitor:
    name: str
    client: FlaskClient
    twilio_token: str | None = None

    def request(self, method: str, path: str) -> TestResponse:
        headers = {}
        if self.twilio_token is not None:
            url = f"http://localhost{path}"
            headers["X-Twilio-Signature"] = RequestValidator(self.twilio_token).compute_signature(
                url, {}
            )
        return self.client.open(path, method=method, headers=headers)


@pytest.fixture
def https_config(config: Config) -> Config:
    """Demo mode (so the phone simulator's routes exist too) behind a public HTTPS address."""
    return config.with_changes(
        demo=True, twilio_auth_token=None, public_base_url="https://safereport.example"
    )


@pytest.fixture
def every_route_app(https_config: Config, services: Services, renderer: SpeechRenderer) -> Flask:
    built = create_app(https_config, services=services)
    built.extensions[EXTENSION].renderer = renderer
    return built


@pytest.fixture
def visitors(every_route_app: Flask, services: Services, clock: FixedClock) -> list[Visitor]:
    establishment_id = new_establishment(services, languages="en,cy,ar")
    kiosk = enrolled_kiosk(every_route_app.test_client(), services, establishment_id)
    kiosk.client.get("/kiosk/")
    token = every_route_app.extensions[EXTENSION].auth_token
    staff = [
        Visitor(
            role,
            signed_in_client(
                every_route_app,
                services,
                make_staff(services, role=role, establishment_ids=[establishment_id]),
                clock,
            ),
        )
        for role in ("lead", "admin")
    ]
    return [
        Visitor("anonymous", every_route_app.test_client()),
        *staff,
        Visitor("kiosk", kiosk.client),
        Visitor("twilio", every_route_app.test_client(), twilio_token=token),
    ]


def requests_to_make(app: Flask) -> Iterator[tuple[str, str, str | None]]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted((rule.methods or set()) | set(EXTRA_METHODS)):
            for path in paths_for(rule):
                yield method, path, rule.endpoint
    for folder_endpoint, path in real_static_files(app):
        yield "GET", path, folder_endpoint
    yield "GET", "/no/such/page", None
    yield "GET", "/kiosk/no/such/page", None
    yield "GET", "/triage/no/such/page", None
    yield "POST", "/ivr/no-such-step", None


def real_static_files(app: Flask) -> Iterator[tuple[str, str]]:
    """One real file from each static folder, so a 200 from it is checked too."""
    folders: list[tuple[str, str | None, str | None]] = [
        ("static", app.static_folder, app.static_url_path)
    ]
    for name, blueprint in app.blueprints.items():
        static_path = blueprint.static_url_path
        if static_path:
            address = (blueprint.url_prefix or "") + static_path
            folders.append((f"{name}.static", blueprint.static_folder, address))
    for endpoint, folder, prefix in folders:
        if not folder:
            continue
        files = sorted(p for p in Path(folder).rglob("*") if p.is_file())
        if files:
            yield endpoint, f"{prefix}/{files[0].relative_to(folder).as_posix()}"


def test_every_response_of_every_route_carries_the_security_headers(
    every_route_app: Flask, visitors: list[Visitor]
) -> None:
    failures: list[str] = []
    seen_statuses: set[int] = set()
    for visitor in visitors:
        for method, path, endpoint in requests_to_make(every_route_app):
            response = visitor.request(method, path)
            seen_statuses.add(response.status_code)
            where = f"{visitor.name} {method} {path} -> {response.status_code}"
            if response.status_code >= 500:
                failures.append(f"{where}: server error")
            missing = missing_headers(response, endpoint)
            if response.headers.get("Strict-Transport-Security") != HSTS:
                missing.append("Strict-Transport-Security")
            if missing:
                failures.append(f"{where}: lacks {', '.join(missing)}")
    assert not failures, "\n".join(failures)
    # The sweep reached pages, redirects and refusals alike, not only one kind of answer.
    assert {200, 303, 400, 403, 404, 405} <= seen_statuses, seen_statuses


def test_no_strict_transport_security_without_a_public_https_address(client: FlaskClient) -> None:
    response = client.get("/kiosk/")
    assert "Strict-Transport-Security" not in response.headers
    assert not missing_headers(response, "kiosk.start")


def test_an_unexpected_error_page_carries_the_headers_too(
    config: Config, services: Services
) -> None:
    app = create_app(config, services=services)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer 500 as in production

    @app.get("/props-test-failure")
    def failure() -> str:
        raise RuntimeError("a bug")

    response = app.test_client().get("/props-test-failure")
    assert response.status_code == 500
    assert not missing_headers(response, "failure")
    assert "a bug" not in response.get_data(as_text=True)


def test_a_route_that_weakens_a_header_is_caught(config: Config, services: Services) -> None:
    """The check above is not vacuous: a view that sets its own weaker header fails it."""
    app = create_app(config, services=services)

    @app.get("/props-test-framed")
    def framed() -> tuple[str, dict[str, str]]:
        return "framed", {"X-Frame-Options": "SAMEORIGIN", "Cache-Control": "public"}

    response = app.test_client().get("/props-test-framed")
    assert missing_headers(response, "framed") == ["X-Frame-Options", "Cache-Control no-store"]
