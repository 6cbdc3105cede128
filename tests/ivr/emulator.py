"""A Twilio stand-in for tests: it places a call and follows TwiML as Twilio does.

It follows <Say>, <Play>, <Pause>, <Gather> (keys, silence, numDigits, finishOnKey),
<Record> (action, recordingStatusCallback, a caller who hangs up while recording),
<Redirect> and <Hangup>, resolves relative URLs against the document's URL, sends the
call's status callback when the call ends, and signs every request as Twilio does
(``X-Twilio-Signature``: HMAC-SHA1 of the URL and the sorted fields under the auth token).
It also checks that every document is well-formed XML holding only TwiML verbs.
"""

from __future__ import annotations

import secrets
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

VERBS = {"Say", "Play", "Pause", "Gather", "Record", "Redirect", "Hangup"}
IN_GATHER = {"Say", "Play", "Pause"}


@dataclass(frozen=True)
class Keys:
    """The caller presses these keys at the next <Gather>."""

    keys: str


@dataclass(frozen=True)
class Silence:
    """The caller presses nothing at the next <Gather> (it times out)."""


@dataclass(frozen=True)
class Speak:
    """The caller talks at the next <Record> for ``seconds`` and then presses #."""

    seconds: int = 20


@dataclass(frozen=True)
class SayNothing:
    """The caller says nothing at the next <Record>: Twilio records nothing."""


@dataclass(frozen=True)
class HangUp:
    """The caller hangs up at the next point where input is awaited (mid-recording too)."""

    after_speaking: int = 0  # seconds already recorded when they hang up at a <Record>


@dataclass(frozen=True)
class Wait:
    """Time passes before the caller answers the next <Gather>: ``then`` moves the clock."""

    then: Callable[[], None]


Input = Keys | Silence | Speak | SayNothing | HangUp | Wait


@dataclass
class Heard:
    verb: str  # Say | Play | Pause
    value: str  # the text said or the URL played
    language: str | None = None


@dataclass
class Exchange:
    url: str
    params: dict[str, str]
    status: int
    body: str
    # When the answer arrived (time.monotonic): a fault run needs when a code was read out,
    # not when the call ended (the questions after the code come later).
    answered_at: float = field(default_factory=time.monotonic)


@dataclass
class CallLog:
    call_sid: str
    exchanges: list[Exchange] = field(default_factory=list)
    heard: list[Heard] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # TwiML that Twilio would reject
    ended_by: str = ""  # hangup-verb | caller | end-of-document
    recordings: list[str] = field(default_factory=list)  # RecordingSids made

    def played(self) -> list[str]:
        return [h.value for h in self.heard if h.verb == "Play"]


class TwilioEmulator:
    def __init__(
        self,
        client: FlaskClient,
        *,
        auth_token: str,
        to: str,
        caller: str = "+447700900123",
        base_url: str = "http://localhost",
        recording_base: str = "https://api.twilio.com",
        duplicate_deliveries: bool = False,
        voice_path: str = "/ivr/voice",
        status_path: str = "/ivr/status",
    ) -> None:
        self.client = client
        self.validator = RequestValidator(auth_token)
        self.to = to
        self.caller = caller
        self.base_url = base_url.rstrip("/")
        self.recording_base = recording_base.rstrip("/")
        self.duplicate_deliveries = duplicate_deliveries
        self.voice_path = voice_path
        self.status_path = status_path
        self.account_sid = "AC" + secrets.token_hex(16)

    # -- requests -------------------------------------------------------------------
    def base_params(self, call_sid: str, status: str = "in-progress") -> dict[str, str]:
        return {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": call_sid,
            "CallStatus": status,
            "Called": self.to,
            "Caller": self.caller,
            "Direction": "inbound",
            "From": self.caller,
            "To": self.to,
        }

    def post(self, log: CallLog, url: str, params: dict[str, str]) -> Exchange:
        """POST as Twilio does; with ``duplicate_deliveries`` every request goes twice and
        the second answer is the one followed (as after Twilio's retry)."""
        exchange = self._post_once(url, params)
        if self.duplicate_deliveries:
            exchange = self._post_once(url, params)
        log.exchanges.append(exchange)
        return exchange

    def _post_once(self, url: str, params: dict[str, str]) -> Exchange:
        signature = self.validator.compute_signature(url, params)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.client.post(
            path,
            data=params,
            headers={"X-Twilio-Signature": signature},
            base_url=f"{parts.scheme}://{parts.netloc}",
        )
        return Exchange(url, params, response.status_code, response.get_data(as_text=True))

    # -- the call ---------------------------------------------------------------------
    def call(self, inputs: list[Input], *, call_sid: str | None = None) -> CallLog:
        sid = call_sid or "CA" + secrets.token_hex(16)
        log = CallLog(sid)
        pending = list(inputs)
        url = self.base_url + self.voice_path
        params = self.base_params(sid)
        later: list[tuple[str, dict[str, str]]] = []  # recording callbacks still to come
        while url:
            exchange = self.post(log, url, params)
            if exchange.status != 200:
                log.problems.append(f"{url} answered {exchange.status}")
                log.ended_by = "error"
                break
            step = self._follow(log, exchange, pending, later)
            if step is None:
                break
            url, extra = step
            params = {**self.base_params(sid), **extra}
        status = self.base_params(sid, status="completed")
        self.post(log, self.base_url + self.status_path, {**status, "CallDuration": "95"})
        for callback_url, callback_params in later:
            self.post(log, callback_url, callback_params)
        return log

    def _follow(
        self,
        log: CallLog,
        exchange: Exchange,
        pending: list[Input],
        later: list[tuple[str, dict[str, str]]],
    ) -> tuple[str, dict[str, str]] | None:
        """Run one document; the next request to make, or None when the call is over."""
        root = self._parse(log, exchange)
        if root is None:
            return None
        for verb in root:
            if verb.tag in IN_GATHER:
                self._hear(log, verb)
            elif verb.tag == "Gather":
                for nested in verb:
                    self._hear(log, nested)
                result = self._gather(log, exchange.url, verb, pending)
                if result is not None:
                    return result if result[0] else None
            elif verb.tag == "Record":
                result = self._record(log, exchange.url, verb, pending, later)
                if result is not None:
                    return result if result[0] else None
            elif verb.tag == "Redirect":
                return urljoin(exchange.url, (verb.text or "").strip()), {}
            elif verb.tag == "Hangup":
                log.ended_by = "hangup-verb"
                return None
        log.ended_by = "end-of-document"
        return None

    def _parse(self, log: CallLog, exchange: Exchange) -> ET.Element | None:
        try:
            root = ET.fromstring(exchange.body)  # noqa: S314 (our own app's output)
        except ET.ParseError as exc:
            log.problems.append(f"{exchange.url}: not XML: {exc}")
            return None
        if root.tag != "Response":
            log.problems.append(f"{exchange.url}: root is <{root.tag}>")
        for verb in root:
            if verb.tag not in VERBS:
                log.problems.append(f"{exchange.url}: <{verb.tag}> is not a TwiML verb")
            if verb.tag == "Gather":
                for nested in verb:
                    if nested.tag not in IN_GATHER:
                        log.problems.append(f"{exchange.url}: <{nested.tag}> inside <Gather>")
        return root

    def _hear(self, log: CallLog, verb: ET.Element) -> None:
        value = (verb.text or "").strip() if verb.tag != "Pause" else verb.get("length", "1")
        log.heard.append(Heard(verb.tag, value, verb.get("language")))

    def _gather(
        self, log: CallLog, url: str, verb: ET.Element, pending: list[Input]
    ) -> tuple[str, dict[str, str]] | None:
        given = pending.pop(0) if pending else HangUp()
        while isinstance(given, Wait):
            given.then()
            given = pending.pop(0) if pending else HangUp()
        if isinstance(given, HangUp):
            log.ended_by = "caller"
            return "", {}
        if isinstance(given, Silence):
            if verb.get("actionOnEmptyResult") == "true":
                return urljoin(url, verb.get("action", url)), {"Digits": ""}
            return None  # on to the next verb, as Twilio does after a timeout
        if not isinstance(given, Keys):
            raise AssertionError(f"the call wanted keys at a <Gather>, the script had {given}")
        digits = _collect(given.keys, verb.get("numDigits"), verb.get("finishOnKey", "#"))
        return urljoin(url, verb.get("action", url)), {"Digits": digits}

    def _record(
        self,
        log: CallLog,
        url: str,
        verb: ET.Element,
        pending: list[Input],
        later: list[tuple[str, dict[str, str]]],
    ) -> tuple[str, dict[str, str]] | None:
        given = pending.pop(0) if pending else HangUp()
        if isinstance(given, SayNothing):
            return None  # nothing recorded: Twilio goes on to the next verb
        if isinstance(given, HangUp) and given.after_speaking == 0:
            log.ended_by = "caller"
            return "", {}
        if not isinstance(given, Speak | HangUp):
            raise AssertionError(f"the call wanted speech at a <Record>, the script had {given}")
        seconds = given.seconds if isinstance(given, Speak) else given.after_speaking
        max_length = int(verb.get("maxLength", "3600"))
        seconds = min(seconds, max_length)
        sid = "RE" + secrets.token_hex(16)
        log.recordings.append(sid)
        recording = {
            "RecordingSid": sid,
            "RecordingUrl": f"{self.recording_base}/2010-04-01/Accounts/{self.account_sid}"
            f"/Recordings/{sid}",
            "RecordingDuration": str(seconds),
        }
        callback = verb.get("recordingStatusCallback")
        if callback:
            later.append(
                (
                    urljoin(url, callback),
                    {
                        "AccountSid": self.account_sid,
                        "CallSid": log.call_sid,
                        "RecordingStatus": "completed",
                        "RecordingSource": "RecordVerb",
                        "RecordingChannels": "1",
                        **recording,
                    },
                )
            )
        action = urljoin(url, verb.get("action", url))
        if isinstance(given, HangUp):
            # Twilio still requests the action (and ignores its answer), then ends the call.
            self.post(
                log, action, {**self.base_params(log.call_sid), **recording, "Digits": "hangup"}
            )
            log.ended_by = "caller"
            return "", {}
        return action, {**recording, "Digits": "#"}


def _collect(keys: str, num_digits: str | None, finish_on_key: str) -> str:
    """The Digits Twilio sends for these key presses at this <Gather>."""
    collected = ""
    limit = int(num_digits) if num_digits else None
    for key in keys:
        if finish_on_key and key == finish_on_key:
            break
        collected += key
        if limit is not None and len(collected) >= limit:
            break
    return collected


def signed_post(
    client: FlaskClient, *, auth_token: str, url: str, params: dict[str, str], **headers: Any
) -> Any:
    """One signed request, for tests that send a single webhook by hand."""
    signature = RequestValidator(auth_token).compute_signature(url, params)
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.post(
        path,
        data=params,
        headers={"X-Twilio-Signature": signature, **headers},
        base_url=f"{parts.scheme}://{parts.netloc}",
    )
