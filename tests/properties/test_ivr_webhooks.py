"""Property-based: whatever Twilio (or someone pretending to be Twilio) posts to any phone
webhook, the line never fails with a server error and always answers valid TwiML; a
signed request writes a whole report or none; an unsigned or forged one is refused with
403 before anything is read or written."""

from __future__ import annotations

import string
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from safeguarding.services import Services
from storage.repositories.calls import find_call
from tests.ivr.emulator import IN_GATHER, VERBS
from tests.ivr.test_simulator import page_headers
from tests.properties.conftest import AUTH_TOKEN, Line, add_line, row_counts, with_audit
from tests.properties.hostile import DIGITS_OF_OTHER_SCRIPTS, MARKS

BASE = "http://localhost"
ENDED = ("completed", "busy", "failed", "no-answer", "canceled")

_odd = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=DIGITS_OF_OTHER_SCRIPTS + MARKS + "0123456789*#", max_size=20),
    st.sampled_from(["", "\x00", "99999999999999999999", "-1", "²", "1" * 5000]),
)
_key = st.sampled_from("1234567890*#")
_digits = st.one_of(_key, _key, _key, st.text(alphabet="0123456789*#", max_size=14), _odd)
FIELDS = {
    "To": _odd,
    "From": _odd,
    "CallStatus": st.one_of(st.sampled_from((*ENDED, "in-progress", "ringing")), _odd),
    "RecordingUrl": st.one_of(st.just("https://api.twilio.com/2010-04-01/Recordings/RE1"), _odd),
    "RecordingSid": st.one_of(st.just("RE" + "0" * 32), _odd),
    "RecordingDuration": st.one_of(st.sampled_from(["0", "12", "600", "²", "٣"]), _odd),
    "RecordingStatus": st.one_of(st.sampled_from(["completed", "absent", "failed"]), _odd),
    "ErrorUrl": st.one_of(st.just(f"{BASE}/ivr/start?lang=cy&t=2"), _odd),
}
# Query values stay within what our own TwiML puts in an action address: werkzeug
# normalises reserved characters in request.url, so Twilio's signature over such an
# address would not match (it never happens: we write those addresses ourselves).
_query_value = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "-_.", max_size=25),
    st.sampled_from(["99999999999999999999", "-1", "0", "1" * 5000]),
)
QUERY = {
    "t": st.one_of(st.integers(min_value=-2, max_value=12).map(str), _query_value),
    "silence": st.sampled_from(["1", "0", ""]),
    "lang": st.one_of(st.sampled_from(["en", "cy", "ar"]), _query_value),
    "escalation": st.one_of(st.integers(min_value=0, max_value=3).map(str), _query_value),
    "step": st.one_of(st.integers(min_value=-1, max_value=3).map(str), _query_value),
}


@st.composite
def webhook_requests(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, str], str]:
    """Random Twilio fields, random query, and which CallSid: the live call's, a random one,
    or none."""
    fields = draw(st.fixed_dictionaries({"Digits": _digits}, optional=FIELDS))
    fields.update(draw(st.dictionaries(st.text(min_size=1, max_size=10), _odd, max_size=3)))
    query = draw(st.fixed_dictionaries({}, optional=QUERY))
    sid = draw(st.sampled_from(["live", "live", "random", "missing"]))
    return fields, query, sid


def is_twiml(body: str) -> bool:
    """Well-formed XML, a <Response> of TwiML verbs only, and only Say/Play/Pause in <Gather>."""
    root = ET.fromstring(body)  # noqa: S314  (our own answer, not outside input)
    if root.tag != "Response":
        return False
    for verb in root:
        if verb.tag not in VERBS:
            return False
        if verb.tag == "Gather" and any(nested.tag not in IN_GATHER for nested in verb):
            return False
    return True


@dataclass
class PhoneLine:
    app: Flask
    client: FlaskClient
    services: Services
    line: Line
    live_sid: str

    def sign(self, url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
        signature: str = RequestValidator(token).compute_signature(url, params)
        return signature

    def post(
        self, path: str, query: dict[str, str], params: dict[str, str], signature: str | None
    ) -> TestResponse:
        address = path + (f"?{urlencode(query)}" if query else "")
        headers = {"X-Twilio-Signature": signature} if signature is not None else {}
        return self.client.post(address, data=params, headers=headers, base_url=BASE)

    def url(self, path: str, query: dict[str, str]) -> str:
        return BASE + path + (f"?{urlencode(query)}" if query else "")

    def live_turn(self) -> tuple[int, str]:
        with self.services.db.transaction() as session:
            call = find_call(session, self.live_sid, pepper=self.services.secrets.code_pepper)
            assert call is not None
            return call.turn, call.step


def webhook_paths(app: Flask) -> list[str]:
    """Every route Twilio posts to, from the app itself: a new webhook is fuzzed too."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("ivr.") and "POST" in (rule.methods or ())
    )


@pytest.fixture
def phone_line(app: Flask, client: FlaskClient, services: Services) -> PhoneLine:
    """A line offering English and Welsh, with one call in progress."""
    line = add_line(services, languages="en,cy")
    phone = PhoneLine(app, client, services, line, "CA" + "1" * 32)
    params = twilio_fields(phone, phone.live_sid)
    response = phone.post("/ivr/voice", {}, params, phone.sign(f"{BASE}/ivr/voice", params))
    assert response.status_code == 200
    return phone


def twilio_fields(phone: PhoneLine, sid: str | None) -> dict[str, str]:
    fields = {
        "AccountSid": "AC" + "2" * 32,
        "CallStatus": "in-progress",
        "Called": phone.line.number,
        "To": phone.line.number,
        "From": "+447700900123",
        "Direction": "inbound",
    }
    if sid is not None:
        fields["CallSid"] = sid
    return fields


def whole_report_or_none(before: dict[str, int], after: dict[str, int]) -> None:
    added = {table: after[table] - before[table] for table in before}
    assert added["Report"] in (0, 1), added
    if added["Report"] == 1:
        assert added["TimelineEvent"] >= 1 and added["OutboxMessage"] >= 1, added


def build(
    phone: PhoneLine, path: str, request: tuple[dict[str, str], dict[str, str], str]
) -> tuple[dict[str, str], dict[str, str]]:
    fields, query, which = request
    sid = {"live": phone.live_sid, "random": "CA" + "9" * 32, "missing": None}[which]
    params = {**twilio_fields(phone, sid), **fields}
    if which == "live" and "t" not in query:
        turn, step = phone.live_turn()
        if path == f"/ivr/{step}":
            query = {**query, "t": str(turn)}  # the call's own next step: the keys count
            event(f"keys at the live call's step {step}")
    return params, query


@settings(max_examples=25)  # each example posts to every webhook
@given(request=webhook_requests())
@example(
    request=({"RecordingDuration": "²", "RecordingUrl": "u", "RecordingSid": "RE1"}, {}, "live")
)
@example(request=({}, {"escalation": "99999999999999999999", "step": "0"}, "live"))
@example(request=({"To": "\x00", "Digits": "1" * 5000}, {"t": "99999999999999999999"}, "live"))
def test_a_signed_webhook_always_answers_twiml_and_writes_whole_reports(
    phone_line: PhoneLine, request: tuple[dict[str, str], dict[str, str], str]
) -> None:
    for path in webhook_paths(phone_line.app):
        params, query = build(phone_line, path, request)
        if path == "/ivr/oncall/ack":
            params["Digits"] = "1"
        before = row_counts(phone_line.services)
        signature = phone_line.sign(phone_line.url(path, query), params)
        response = phone_line.post(path, query, params, signature)
        event(f"{path} answered {response.status_code}")
        assert response.status_code == 200, (path, response.status_code)
        assert response.mimetype in ("text/xml", "application/xml"), response.mimetype
        assert is_twiml(response.get_data(as_text=True)), response.get_data(as_text=True)[:300]
        whole_report_or_none(before, row_counts(phone_line.services))


FORGERIES = ("unsigned", "wrong token", "other fields", "other address", "empty", "garbage")


@settings(max_examples=25)
@given(request=webhook_requests(), forgery=st.sampled_from(FORGERIES))
def test_an_unsigned_or_forged_webhook_is_refused_and_changes_nothing(
    phone_line: PhoneLine, request: tuple[dict[str, str], dict[str, str], str], forgery: str
) -> None:
    for path in webhook_paths(phone_line.app):
        params, query = build(phone_line, path, request)
        url = phone_line.url(path, query)
        signature: str | None = {
            "unsigned": None,
            "wrong token": phone_line.sign(url, params, token="not-" + AUTH_TOKEN),
            "other fields": phone_line.sign(url, {**params, "Digits": "9"}),
            "other address": phone_line.sign(url.replace("/ivr/", "/ivr/x/"), params),
            "empty": "",
            "garbage": "A" * 40 + "==",
        }[forgery]
        if forgery == "other fields" and params.get("Digits") == "9":
            continue  # the same fields: that signature is the real one
        before = with_audit(phone_line.services)
        response = phone_line.post(path, query, params, signature)
        assert response.status_code == 403, (path, forgery, response.status_code)
        assert with_audit(phone_line.services) == before


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_relay_bodies = st.one_of(
    _json,
    st.fixed_dictionaries(
        {
            "url": st.one_of(
                st.sampled_from(["/ivr/voice", "/ivr/start?t=1", "/ivr/simulator/relay"]), _json
            ),
            "params": st.one_of(st.dictionaries(st.text(max_size=10), _odd, max_size=4), _json),
        }
    ),
)


@given(body=_relay_bodies)
@example(body=[])
@example(body={"url": "/ivr/voice", "params": []})
@example(body={"url": "/ivr/voice", "params": "CallSid"})
def test_the_phone_simulator_relay_refuses_any_odd_body_without_failing(
    demo_app: Flask, body: object
) -> None:
    client = demo_app.test_client()
    headers = page_headers(client)  # as the simulator page's own script sends it
    before = row_counts(demo_app.extensions["safereport"])
    response = client.post("/ivr/simulator/relay", json=body, headers=headers)
    event(f"relay answered {response.status_code}")
    assert response.status_code < 500, response.status_code
    if response.status_code == 200:
        relayed = response.get_json()
        assert relayed["status"] < 500
        if relayed["status"] == 200:
            assert is_twiml(relayed["twiml"])
    whole_report_or_none(before, row_counts(demo_app.extensions["safereport"]))
