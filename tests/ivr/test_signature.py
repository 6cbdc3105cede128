"""Nobody can fool the line: unsigned, forged or altered webhooks get 403 and change nothing."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ivr.settings import EXTENSION, IvrSettings
from safeguarding.services import Services
from tests.ivr.conftest import AUTH_TOKEN, Line, row_counts
from tests.ivr.emulator import Keys, TwilioEmulator, signed_post

WEBHOOKS = (
    "/ivr/voice",
    "/ivr/language",
    "/ivr/more-languages",
    "/ivr/start",
    "/ivr/danger-who",
    "/ivr/wing",
    "/ivr/concern",
    "/ivr/another",
    "/ivr/about",
    "/ivr/injured",
    "/ivr/staff",
    "/ivr/review",
    "/ivr/code",
    "/ivr/code-entry",
    "/ivr/pin-entry",
    "/ivr/safe-now",
    "/ivr/follow-up",
    "/ivr/danger-again",
    "/ivr/wishes",
    "/ivr/sharing",
    "/ivr/doing",
    "/ivr/did-we",
    "/ivr/safer",
    "/ivr/recorded",
    "/ivr/recording-status",
    "/ivr/status",
    "/ivr/fallback",
    "/ivr/oncall/ack",
)


def _params(line: Line) -> dict[str, str]:
    return {"CallSid": "CA" + "1" * 32, "To": line.number, "From": "+447700900123"}


def test_every_ivr_route_is_covered_by_this_test(app: Flask) -> None:
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/ivr/")}
    assert routes == set(WEBHOOKS)


@pytest.mark.parametrize("path", WEBHOOKS)
def test_a_request_without_a_signature_is_refused_and_changes_nothing(
    client: FlaskClient, services: Services, line: Line, path: str
) -> None:
    before = row_counts(services)
    response = client.post(path + "?t=1&lang=en", data=_params(line))
    assert response.status_code == 403
    assert row_counts(services) == before


@pytest.mark.parametrize("path", WEBHOOKS)
def test_a_request_signed_with_another_token_is_refused(
    client: FlaskClient, services: Services, line: Line, path: str
) -> None:
    before = row_counts(services)
    url = f"http://localhost{path}"
    response = signed_post(client, auth_token="not-the-token", url=url, params=_params(line))
    assert response.status_code == 403
    assert row_counts(services) == before


def test_a_replay_with_a_changed_field_is_refused(
    client: FlaskClient, services: Services, line: Line
) -> None:
    from twilio.request_validator import RequestValidator

    params = {**_params(line), "Digits": "2"}
    url = "http://localhost/ivr/start?t=1&lang=en"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    before = row_counts(services)
    forged = {**params, "Digits": "1"}  # same signature, the caller's answer changed
    response = client.post(
        "/ivr/start?t=1&lang=en", data=forged, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403
    changed_query = client.post(
        "/ivr/start?t=2&lang=en", data=params, headers={"X-Twilio-Signature": signature}
    )
    assert changed_query.status_code == 403
    assert row_counts(services) == before


def test_a_signed_call_is_answered(phone: TwilioEmulator, services: Services) -> None:
    log = phone.call([Keys("2"), Keys("0")])
    assert log.exchanges[0].status == 200
    assert not log.problems
    assert row_counts(services)["call_session"] == 1


def test_without_an_auth_token_every_webhook_is_refused(
    app: Flask, client: FlaskClient, services: Services, line: Line, ivr_settings: IvrSettings
) -> None:
    app.extensions[EXTENSION] = IvrSettings(
        auth_token=None, public_base_url=None, renderer=ivr_settings.renderer
    )
    url = "http://localhost/ivr/voice"
    response = signed_post(client, auth_token="", url=url, params=_params(line))
    assert response.status_code == 403
    response = signed_post(client, auth_token="anything", url=url, params=_params(line))
    assert response.status_code == 403


def test_behind_a_proxy_the_public_url_is_what_is_signed(
    app: Flask, client: FlaskClient, line: Line, ivr_settings: IvrSettings
) -> None:
    app.extensions[EXTENSION] = IvrSettings(
        auth_token=AUTH_TOKEN,
        public_base_url="https://safereport.example.gov.uk",
        renderer=ivr_settings.renderer,
    )
    params = _params(line)
    # Signed for the public URL, received on the internal one: accepted.
    from twilio.request_validator import RequestValidator

    public = "https://safereport.example.gov.uk/ivr/voice"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(public, params)
    response = client.post("/ivr/voice", data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    # Signed for the internal URL: refused, since Twilio never calls that one.
    internal = signed_post(
        client, auth_token=AUTH_TOKEN, url="http://localhost/ivr/voice", params=params
    )
    assert internal.status_code == 403


def test_forwarded_headers_are_trusted_only_when_configured(
    config: object, services: Services, line: Line, ivr_settings: IvrSettings
) -> None:
    from twilio.request_validator import RequestValidator

    from safereport.app import create_app
    from safereport.config import Config

    assert isinstance(config, Config)
    params = _params(line)
    public = "https://safereport.example.gov.uk/ivr/voice"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(public, params)
    forwarded = {
        "X-Twilio-Signature": signature,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "safereport.example.gov.uk",
    }
    for hops, expected in ((0, 403), (1, 200)):
        app = create_app(config.with_changes(trusted_proxy_hops=hops), services=services)
        app.extensions[EXTENSION] = ivr_settings
        response = app.test_client().post("/ivr/voice", data=params, headers=forwarded)
        assert response.status_code == expected
