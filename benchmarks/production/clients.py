"""Simulated people over loopback HTTP: an enrolled kiosk walking the real screens with
CSRF, and a caller whose every webhook is signed as Twilio signs it.

Each request is timed and counted per step. Cookies are kept by hand: the app marks them
Secure (in production it sits behind TLS), and a client over plain loopback HTTP must
still send them back, as the kiosk's browser would behind the proxy.
"""

from __future__ import annotations

import http.client
import random
import re
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlencode, urlsplit

from flask.testing import FlaskClient

from benchmarks.production.deployment import AUTH_TOKEN, Acknowledged
from tests.ivr.emulator import CallLog, Input, Keys, Speak, TwilioEmulator

KIOSK_CONCERNS = ("made_to_pay", "made_to_work", "fake_friend", "bullied", "picked_on")
KIOSK_ANSWERS: dict[str, dict[str, str]] = {
    "danger": {"answer": "no"},
    "hurt": {"answer": "no"},
    "who": {"answer": "me"},
    "staff": {"answer": "no"},
    "where": {"answer": "elsewhere"},
    "when": {"answer": "this_week"},
    "contact": {"answer": "anonymous"},
}
REQUEST_TIMEOUT = 30.0  # seconds; Twilio gives up after 15
KIOSK_LIMIT = 10  # reports per device in 30 minutes (safeguarding.kiosk_devices)
# A caller who reports two concerns about themselves, no staff, and leaves a message.
CALL_SCRIPT: list[Input] = [
    Keys("2"),
    Keys("4"),
    Keys("1"),
    Keys("8"),
    Keys("2"),
    Keys("2"),
    Keys("1"),
    Keys("2"),  # nobody hurt
    Keys("2"),
    Speak(40),
    Keys("2"),
    Keys("5"),
]
CALL_CONCERNS = ("made_to_pay", "bullied")
CALL_ANSWERS = frozenset({("about", "me"), ("staff_involved", "no")})
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_CODE_GROUP = re.compile(r'class="kiosk-code__group">(\d+)<')
_PROMPT = re.compile(r"/audio/prompts/en/(?P<key>[0-9a-f]{32})\.(tts|rec)\.mp3$")


class Unreachable(Exception):
    """The server did not answer at all (refused, reset, or timed out)."""


class Abandoned(Exception):
    """The run is over: a turn in progress stops at its next request."""


@dataclass
class Stats:
    """Latencies per step and what came back, shared by every simulated person."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    server_errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    history: list[str] = field(default_factory=list)  # every outcome, in order
    acknowledged: list[Acknowledged] = field(default_factory=list)
    acknowledged_at: list[float] = field(default_factory=list)  # time.monotonic()
    in_flight: int = 0  # requests sent and not yet answered
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def sending(self, change: int) -> None:
        with self.lock:
            self.in_flight += change

    def record(self, step: str, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies[step].append(seconds)
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors[step] += 1

    def outcome(
        self, name: str, ack: Acknowledged | None = None, *, at: float | None = None
    ) -> None:
        """``at``: when the person was told (time.monotonic); by default, now."""
        with self.lock:
            self.outcomes[name] += 1
            self.history.append(name)
            if ack is not None:
                self.acknowledged.append(ack)
                self.acknowledged_at.append(time.monotonic() if at is None else at)


@dataclass
class Answer:
    status: int
    location: str
    body: str
    body_bytes: bytes = b""


Servers = str | Sequence[str]  # one app server, or several taken in turn


class HttpUser:
    """One person's connection to the server: timed requests and a cookie jar. Given several
    servers, each request goes to the next one in turn, as a load balancer may send them."""

    def __init__(self, servers: Servers, stats: Stats, *, patient: bool = False) -> None:
        urls = [servers] if isinstance(servers, str) else list(servers)
        self.targets = [_host_port(url) for url in urls]
        self.turn = random.randrange(len(self.targets))
        self.stats = stats
        self.patient = patient  # on no answer, press again (as a person would) until one
        self.cookies: dict[str, str] = {}

    def request(
        self,
        step: str,
        method: str,
        path: str,
        form: dict[str, str] | list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        while True:
            try:
                return self._request_once(step, method, path, form, headers)
            except Unreachable:
                if not self.patient:
                    raise
                self.stats.outcome("kiosk: no answer, pressed again")
                if self.stats.stopping.wait(0.25):
                    raise Abandoned() from None

    def _request_once(
        self,
        step: str,
        method: str,
        path: str,
        form: dict[str, str] | list[tuple[str, str]] | None,
        headers: dict[str, str] | None,
    ) -> Answer:
        if self.stats.stopping.is_set():
            raise Abandoned()
        host, port = self.targets[self.turn % len(self.targets)]
        self.turn += 1
        body = urlencode(form) if form is not None else None
        sent = dict(headers or {})
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
        start = time.perf_counter()
        self.stats.sending(+1)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException) as exc:
            raise Unreachable(type(exc).__name__) from exc
        finally:
            self.stats.sending(-1)
            connection.close()
        self.stats.record(step, response.status, time.perf_counter() - start)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in header and "expires=Thu, 01 Jan 1970" not in header:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return Answer(response.status, response.headers.get("Location", ""), text)

    def raw(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> Answer:
        """One request with a body of its own (a file upload), untimed, to the next server."""
        host, port = self.targets[self.turn % len(self.targets)]
        self.turn += 1
        sent = dict(headers)
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        text = data.decode(errors="replace")
        return Answer(response.status, response.headers.get("Location", ""), text, data)


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


@dataclass(frozen=True)
class Filled:
    """A kiosk report filled in and waiting on "check your answers"."""

    concerns: tuple[str, ...]
    details: str
    csrf: str


class KioskPerson:
    """An enrolled kiosk on which people make reports one after another."""

    def __init__(
        self,
        base_url: Servers,
        stats: Stats,
        enrolment: Callable[[], str],
        *,
        patient: bool = False,
    ) -> None:
        self.http = HttpUser(base_url, stats, patient=patient)
        self.stats = stats
        self.enrolment = enrolment
        self.sent_on_device = KIOSK_LIMIT  # enrol before the first report

    def report(self) -> None:
        """One person's whole turn; the outcome and any code shown go into the stats."""
        filled = self.fill_in()
        if filled is not None:
            self.send(filled)

    def fill_in(self) -> Filled | None:
        """Choose a language and answer every question, up to "check your answers"."""
        if self.sent_on_device >= KIOSK_LIMIT and not self._enrol():
            return None
        concerns = tuple(sorted(random.sample(KIOSK_CONCERNS, random.randint(1, 2))))
        details = f"Load run {secrets.token_hex(6)}: they take my canteen every week."
        token = self._csrf(self.http.request("start", "GET", "/kiosk/"))
        chosen = self.http.request(
            "language", "POST", "/kiosk/language", {"csrf_token": token, "language": "en"}
        )
        if chosen.location != "/kiosk/menu":
            self.stats.outcome(f"kiosk: language answered {chosen.status}")
            return None
        self.http.request("menu", "GET", "/kiosk/menu")
        location = "/kiosk/report/danger"
        while location.startswith("/kiosk/report/") and location != "/kiosk/report/check":
            question = location.rsplit("/", 1)[1]
            token = self._csrf(self.http.request("question (GET)", "GET", location))
            form = [("csrf_token", token), *self._answer(question, concerns, details)]
            location = self.http.request("answer (POST)", "POST", location, form).location
        if location != "/kiosk/report/check":
            self.stats.outcome("kiosk: a question was not taken")
            return None
        token = self._csrf(self.http.request("check", "GET", "/kiosk/report/check"))
        return Filled(concerns, details, token)

    def send(self, filled: Filled) -> bool:
        """Press Send; True when the Sent screen showed a code."""
        sent = self.http.request("send", "POST", "/kiosk/report/send", {"csrf_token": filled.csrf})
        if sent.status == 429:
            self.sent_on_device = KIOSK_LIMIT
        if sent.location != "/kiosk/report/sent":
            shown_code = bool(_CODE_GROUP.search(sent.body))
            self.stats.outcome(
                "kiosk: SHOWED A CODE WITHOUT SENDING"
                if shown_code
                else "kiosk: not sent"
                if sent.status == 503
                else f"kiosk: send answered {sent.status}"
            )
            return False
        self.sent_on_device += 1
        page = self.http.request("sent", "GET", "/kiosk/report/sent")
        code = "".join(_CODE_GROUP.findall(page.body))
        if page.status != 200 or not code:
            self.stats.outcome(f"kiosk: sent page answered {page.status}")
            return False
        ack = Acknowledged(
            "kiosk", code, filled.concerns, details=filled.details, when_happened="this_week"
        )
        self.stats.outcome("kiosk: acknowledged", ack)
        self.http.request("finish", "POST", "/kiosk/finish", {"csrf_token": filled.csrf})
        return True

    def _enrol(self) -> bool:
        self.http.cookies.clear()
        enrolled = self.http.request("enrol", "POST", "/kiosk/enrol", {"token": self.enrolment()})
        if enrolled.status != 303:
            self.stats.outcome(f"kiosk: enrol answered {enrolled.status}")
            return False
        self.sent_on_device = 0
        return True

    @staticmethod
    def _answer(question: str, concerns: tuple[str, ...], details: str) -> list[tuple[str, str]]:
        if question == "what":
            return [("answer", concern) for concern in concerns]
        if question == "more":
            return [("details", details)]
        return list(KIOSK_ANSWERS[question].items())

    @staticmethod
    def _csrf(page: Answer) -> str:
        found = _CSRF.search(page.body)
        return found.group(1) if found else ""


class _TwilioOverHttp:
    """What TwilioEmulator needs from a Flask test client, over real loopback HTTP."""

    def __init__(self, http: HttpUser) -> None:
        self.http = http

    def post(
        self, path: str, *, data: dict[str, str], headers: dict[str, str], base_url: str
    ) -> _Reply:
        step = "ivr " + path.split("?", 1)[0].removeprefix("/ivr/")
        answer = self.http.request(step, "POST", path, data, headers)
        return _Reply(answer.status, answer.body)


@dataclass
class _Reply:
    status_code: int
    body: str

    def get_data(self, as_text: bool = True) -> str:
        return self.body


class Caller:
    """Calls the phone line again and again as Twilio would deliver them."""

    def __init__(
        self,
        base_url: Servers,
        stats: Stats,
        number: str,
        names: dict[str, str],
        *,
        public_url: str | None = None,
    ) -> None:
        """``public_url``: the address Twilio signs (SAFEREPORT_PUBLIC_BASE_URL), needed
        when several servers share one; else the one server's own address."""
        self.stats = stats
        self.names = names
        self.http = HttpUser(base_url, stats)
        client = cast(FlaskClient, _TwilioOverHttp(self.http))
        signed_for = public_url or (base_url if isinstance(base_url, str) else base_url[0])
        self.phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=number, base_url=signed_for)

    def report(self) -> bool:
        """One whole call; True when the code was read out."""
        log = self.phone.call(list(CALL_SCRIPT))
        heard = [self._name(h.value) if h.verb == "Play" else h.verb for h in log.heard]
        if "code.yours" not in heard or "code.again" not in heard:
            told = "could not take the message" if "fault.sorry" in heard else "no code"
            self.stats.outcome(f"phone: {told}")
            return False
        readout = heard[heard.index("code.yours") + 1 : heard.index("code.again")]
        code = "".join(name.removeprefix("digit.") for name in readout if name.startswith("digit."))
        ack = Acknowledged(
            "phone", code, CALL_CONCERNS, recording_sid=log.recordings[0], answers=CALL_ANSWERS
        )
        self.stats.outcome("phone: code read out", ack, at=self._read_out_at(log))
        return True

    def _read_out_at(self, log: CallLog) -> float:
        """When the answer that read the code arrived: the call goes on after it (what the
        caller wants to happen), so the call's end is later than the telling."""
        played = [h.value for h in log.heard if h.verb == "Play"]
        code_url = next(url for url in played if self._name(url) == "code.yours")
        return next(e.answered_at for e in log.exchanges if code_url in e.body)

    def _name(self, url: str) -> str:
        found = _PROMPT.search(url)
        return self.names.get(found["key"], "?") if found else "?"
