"""The national shape: two ``safereport serve --production`` (own instance folders, two
loopback ports, 2 gunicorn workers each) and two ``safereport worker`` processes on one
PostgreSQL database. Whatever a person does may reach either server: the kiosk's requests,
a call's webhooks and staff sign-ins alternate between them, and the rules still hold.

One pair of servers for the module (the slow part is starting them); the SIGKILL test runs
last and leaves both servers running again. (pytest-xdist's worksteal may still give a
test of this module to a second process, which then starts a pair of its own.)
"""

from __future__ import annotations

import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import func, select

from benchmarks.production.clients import Caller, HttpUser, KioskPerson, Stats
from benchmarks.production.deployment import Deployment, half_written, mismatches
from benchmarks.production.pool import PUBLIC_URL, ConnectionWatch, OutboxWorkers, ServerPool
from benchmarks.production.traffic import Traffic
from ivr.commands import phone_inventory
from safeguarding.codes import damm_check_digit
from speech.engine import synthesise_wav
from storage.models import OnCallContact, OutboxMessage
from tests.alerts.servers import TwilioRecorder, twilio_rest_recorder
from tests.conftest import START, postgres_database_from
from tests.factories import make_establishment, submit
from tests.ivr.emulator import HangUp
from tests.triage.helpers import make_staff

pytestmark = [pytest.mark.slow, pytest.mark.postgres_only]

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_RECORDED = re.compile(r"/audio/prompts/en/[0-9a-f]{32}\.rec\.mp3$")
PROMPT = "start.danger"  # the first thing every caller hears
GUNICORN_WORKERS = 2  # per server: two servers must not smother a 2-core machine


@dataclass
class National:
    deployment: Deployment
    pool: ServerPool
    twilio: TwilioRecorder

    @property
    def urls(self) -> list[str]:
        return self.pool.base_urls


@pytest.fixture(scope="module")
def national(
    database_kind: str, _template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[National]:
    root = tmp_path_factory.mktemp("national")
    url_source = postgres_database_from(_template)
    url = next(url_source)
    deployment = Deployment(root / "instance", url).prepare()
    with twilio_rest_recorder() as (recorder, twilio_base):
        worker_env = {
            "SAFEREPORT_TWILIO_API_BASE": twilio_base,
            "SAFEREPORT_DIGEST_HOUR_UTC": "24",  # no daily digest in the middle of a test
            "SAFEREPORT_WORKER_LEASE_SECONDS": "5",
        }
        workers = OutboxWorkers(deployment, root, worker_env, count=2).start()
        pool = ServerPool(deployment, root, servers=2, workers=GUNICORN_WORKERS)
        try:
            pool.start()
            yield National(deployment, pool, recorder)
        finally:
            pool.stop()
            workers.stop()
            deployment.close()
            next(url_source, None)  # drops the database


def _csrf(body: str) -> str:
    found = _CSRF.search(body)
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_a_kiosk_whose_requests_alternate_between_servers_sends_whole_reports(
    national: National,
) -> None:
    stats = Stats()
    kiosk = KioskPerson(national.urls, stats, national.deployment.new_kiosk_enrolment)
    for _ in range(3):
        kiosk.report()
    assert stats.outcomes == {"kiosk: acknowledged": 3}, stats.outcomes
    assert not stats.server_errors
    assert mismatches(national.deployment.services, stats.acknowledged) == []


def test_a_call_whose_webhooks_alternate_between_servers_is_taken_and_read_out(
    national: National,
) -> None:
    stats = Stats()
    names = national.deployment.prompt_names()
    number = national.deployment.phone_number
    caller = Caller(national.urls, stats, number, names, public_url=PUBLIC_URL)
    assert caller.report(), stats.outcomes
    assert caller.report(), stats.outcomes
    assert mismatches(national.deployment.services, stats.acknowledged) == []


def _sign_in(http: HttpUser, email: str, password: str, code: str, token: str) -> tuple[int, str]:
    form = {"csrf_token": token, "email": email, "password": password, "code": code}
    answer = http.request("sign in", "POST", "/triage/sign-in", form)
    found = _CSRF.search(answer.body)
    return answer.status, found.group(1) if found else token


def _next_totp(secret: str) -> str:
    """The code of the next 30-second step (accepted for clock drift): the one of this step
    was spent when the account was set up, and each code works once."""
    return str(pyotp.TOTP(secret).at(time.time() + 30))


def _multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
        "\r\nContent-Type: audio/wav\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def test_a_prompt_uploaded_through_one_server_is_heard_through_the_other(
    national: National, tmp_path: Path
) -> None:
    deployment = national.deployment
    server_a, server_b = national.urls
    admin = make_staff(
        deployment.services, role="admin", establishment_ids=[deployment.establishment_id]
    )
    browser = HttpUser(server_a, Stats())
    token = _csrf(browser.request("sign in", "GET", "/triage/sign-in").body)
    status, _ = _sign_in(browser, admin.email, admin.password, _next_totp(admin.totp_secret), token)
    assert status == 302
    page = f"/triage/admin/phone-prompts/{deployment.establishment_id}"
    token = _csrf(browser.request("prompts", "GET", page).body)
    [line] = [line for line in phone_inventory("en") if line.id == PROMPT]
    wav = tmp_path / "prompt.wav"
    synthesise_wav(line.text, "en", wav)  # a person reading the sentence
    content_type, body = _multipart(
        {"csrf_token": token}, "recording", "prompt.wav", wav.read_bytes()
    )
    sent = browser.raw("POST", f"{page}/en/{PROMPT}", body, {"Content-Type": content_type})
    assert sent.status == 302, sent.body[:500]

    stats = Stats()
    names = deployment.prompt_names()
    caller = Caller(server_b, stats, deployment.phone_number, names, public_url=PUBLIC_URL)
    log = caller.phone.call([HangUp()])  # rings, hears the first prompts, hangs up
    recorded = [url for url in log.played() if _RECORDED.search(url)]
    assert recorded, "server B played the computer voice, not the upload made through A"
    path = recorded[0].split("://", 1)[-1].split("/", 1)[1]
    audio = HttpUser(server_b, stats).raw("GET", "/" + path, b"", {})
    assert audio.status == 200 and len(audio.body_bytes) > 1000


def test_an_immediate_alert_is_delivered_exactly_once_by_two_workers(
    national: National,
) -> None:
    services = national.deployment.services
    phone = "+447700900077"
    with services.db.transaction() as session:
        establishment = make_establishment(session, languages="en")
        session.add(
            OnCallContact(
                establishment_id=establishment.id, chain_position=1, role="lead",
                display_name="Night Lead", phone=phone, created_at=START,
            )
        )  # fmt: skip
        establishment_id = establishment.id
    submit(services, establishment_id, in_danger_now=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _sent_to(national.twilio, phone):
        time.sleep(0.2)
    assert _sent_to(national.twilio, phone), "the immediate alert never reached the lead"
    _wait_outbox_quiet(national, deadline=time.monotonic() + 30)
    sent = _sent_to(national.twilio, phone)
    assert set(sent.values()) == {1}, f"delivered more than once: {sent}"


def _sent_to(recorder: TwilioRecorder, phone: str) -> Counter[str]:
    with recorder.lock:
        return Counter(path for path, form in recorder.requests if form.get("To") == phone)


def _wait_outbox_quiet(national: National, *, deadline: float) -> None:
    """Until no alert-channel message is waiting (recording fetches may retry for ever:
    the recorder has no recordings to give)."""
    services = national.deployment.services
    while time.monotonic() < deadline:
        with services.db.transaction() as session:
            waiting = session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.kind.like("notify.%"), OutboxMessage.delivered_at.is_(None))
            )
        if not waiting:
            return
        time.sleep(0.3)


def test_sign_in_throttling_holds_across_both_servers(national: National) -> None:
    services = national.deployment.services
    lead = make_staff(
        services, role="lead", establishment_ids=[national.deployment.establishment_id]
    )
    browser = HttpUser(national.urls, Stats())
    token = _csrf(browser.request("sign in", "GET", "/triage/sign-in").body)
    # One account from one address: 3 free failures (sign_in.unknown_browser_address).
    for n in range(3):  # alternating: two reach one server, one the other
        status, token = _sign_in(browser, lead.email, f"guess {n}", "123456", token)
        assert status == 400
    # Counted per server, neither would have seen enough failures to make anyone wait.
    status, _ = _sign_in(browser, lead.email, lead.password, _next_totp(lead.totp_secret), token)
    assert status == 429


def test_follow_up_code_limits_hold_across_both_servers(national: National) -> None:
    deployment = national.deployment
    real = submit(deployment.services, deployment.establishment_id).code
    wrong = real[:-2] + ("0" if real[-2] != "0" else "1")
    wrong = wrong[:11] + damm_check_digit(wrong[:11])  # well formed: a guess, not a typo
    kiosk = KioskPerson(national.urls, Stats(), deployment.new_kiosk_enrolment)
    assert kiosk._enrol()
    http = kiosk.http
    token = _csrf(http.request("start", "GET", "/kiosk/").body)
    http.request("language", "POST", "/kiosk/language", {"csrf_token": token, "language": "en"})
    token = _csrf(http.request("code", "GET", "/kiosk/code").body)
    statuses = []
    for code in [wrong] * 5 + [real]:
        answer = http.request(
            "code", "POST", "/kiosk/code", {"csrf_token": token, "code": code, "key": "check"}
        )
        statuses.append(answer.status)
        token = _csrf(answer.body)
    assert statuses == [404] * 5 + [429]


def test_each_process_stays_within_the_connections_docs_deployment_md_sizes_for(
    national: National,
) -> None:
    """The rule in docs/deployment.md: one connection per gunicorn worker and per outbox
    worker in steady use, twice that at most (pg_stat_activity, by PGAPPNAME)."""
    deployment = national.deployment
    with ConnectionWatch(deployment.config.database_url) as watch:
        Traffic(national.urls, deployment, kiosks=3, calls=3, public_url=PUBLIC_URL).run_for(
            4, finish_turns=True
        )
    servers = {n: c for n, c in watch.most_by_name.items() if n.startswith("safereport-server")}
    workers = {n: c for n, c in watch.most_by_name.items() if n.startswith("safereport-worker")}
    assert len(servers) == 2 and len(workers) == 2, watch.most_by_name
    assert all(1 <= count <= GUNICORN_WORKERS * 2 for count in servers.values()), servers
    assert all(count <= 2 for count in workers.values()), workers


def test_one_server_killed_mid_run_loses_nothing_acknowledged(national: National) -> None:
    deployment = national.deployment
    traffic = Traffic(
        national.urls, deployment, kiosks=2, calls=2, patient_kiosks=True, public_url=PUBLIC_URL
    ).start()
    try:
        time.sleep(3)
        national.pool.servers[0].kill()  # master and workers at once, mid-request
        time.sleep(4)  # the other server carries on alone
    finally:
        traffic.stop(finish_turns=True)
        national.pool.servers[0].start()
    stats = traffic.stats
    assert stats.acknowledged, f"nothing was acknowledged: {stats.outcomes}"
    missed = [name for name in stats.outcomes if "no answer" in name or "unreachable" in name]
    assert missed, f"no request met the killed server: {stats.outcomes}"
    assert not stats.server_errors
    assert mismatches(deployment.services, stats.acknowledged) == []
    assert half_written(deployment.services) == []
