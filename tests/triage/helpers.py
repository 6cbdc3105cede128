"""Staff accounts made the real way (invite, password, TOTP enrolment) and signed-in clients."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from secrets import token_hex
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from safeguarding.clock import FixedClock
from safeguarding.enrolment import invite_staff
from safeguarding.services import Services
from safeguarding.staff_auth import enrolment, finish_setup, sign_in, start_setup
from tests.support.pages import Page, parse

PASSWORD = "correct horse battery staple"
STAFF_COOKIE = "safereport_staff"  # tests run with testing=True: no __Host- prefix


@dataclass(frozen=True)
class StaffLogin:
    id: int
    email: str
    password: str
    totp_secret: str
    role: str
    recovery_codes: tuple[str, ...]

    def code(self, clock: FixedClock) -> str:
        return str(pyotp.TOTP(self.totp_secret).at(clock.now()))


def invite(services: Services, *, role: str, establishment_ids: list[int]) -> tuple[int, str]:
    email = f"{role}-{token_hex(3)}@test.safereport.invalid"
    with services.db.transaction() as session:
        user, token = invite_staff(
            session,
            email=email,
            display_name=f"Test {role.title()} {token_hex(2)}",
            role=role,
            establishment_ids=establishment_ids,
            pepper=services.secrets.code_pepper,
            clock=services.clock,
            actor="system:test",
        )
        return user.id, token


def make_staff(services: Services, *, role: str, establishment_ids: list[int]) -> StaffLogin:
    """An account set up as a person would: setup link, password, first TOTP code."""
    staff_id, token = invite(services, role=role, establishment_ids=establishment_ids)
    with services.db.transaction() as session:
        started = start_setup(
            session,
            setup_token=token,
            password=PASSWORD,
            confirmation=PASSWORD,
            secrets=services.secrets,
            clock=services.clock,
        )
    assert started.session_token is not None
    with services.db.transaction() as session:
        pending = enrolment(
            session,
            session_token=started.session_token,
            vault=services.secrets.vault,
            clock=services.clock,
        )
        assert pending is not None
        email = pending.email
        secret = pending.secret
    code = str(pyotp.TOTP(secret).at(services.clock.now()))
    with services.db.transaction() as session:
        done = finish_setup(
            session,
            session_token=started.session_token,
            code=code,
            address="192.0.2.1",
            secrets=services.secrets,
            clock=services.clock,
        )
    assert done.ok, done.refusal
    return StaffLogin(staff_id, email, PASSWORD, secret, role, done.recovery_codes)


def next_code(login: StaffLogin, clock: FixedClock) -> str:
    """Move on one TOTP step (a code works once) and give the code for it."""
    clock.advance(timedelta(seconds=30))
    return login.code(clock)


def session_token_for(services: Services, login: StaffLogin, clock: FixedClock) -> str:
    code = next_code(login, clock)
    with services.db.transaction() as session:
        outcome = sign_in(
            session,
            email=login.email,
            password=login.password,
            code=code,
            address="192.0.2.10",
            secrets=services.secrets,
            clock=clock,
        )
    assert outcome.session_token is not None, outcome.refusal
    return outcome.session_token


def signed_in_client(
    app: Flask, services: Services, login: StaffLogin, clock: FixedClock
) -> FlaskClient:
    client = app.test_client()
    client.set_cookie(STAFF_COOKIE, session_token_for(services, login, clock))
    return client


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)


def csrf(client: FlaskClient, path: str = "/triage/account") -> str:
    response = client.get(path)
    return csrf_from(response.get_data(as_text=True))


def open_setup_link(client: FlaskClient, token: str) -> Any:
    """What the landing page's script does with ``/triage/setup#<token>``: post the token."""
    landing = client.get("/triage/setup")
    assert landing.status_code == 200
    return client.post(
        "/triage/setup",
        data={"csrf_token": csrf_from(landing.get_data(as_text=True)), "token": token},
    )


def page_at(client: FlaskClient, path: str, *, status: int = 200) -> Page:
    """The page at ``path``, read as a person reads it (after checking it answered ``status``)."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code, response.location)
    return parse(response)


def queue_rows(client: FlaskClient) -> list[dict[str, str]]:
    """The queue table as the lead reads it: one {column: words} a report, most urgent first."""
    page = page_at(client, "/triage/queue")
    if not page.has_id("queue-table"):
        assert page.region("queue-empty") == "No reports match."
        return []
    return page.table("queue-table")


def queue_ids(client: FlaskClient) -> list[int]:
    """The reports listed in the queue table, in order."""
    page = page_at(client, "/triage/queue")
    if not page.has_id("queue-table"):
        assert page.region("queue-empty") == "No reports match."
        return []
    return [int(r.attrs["data-report-id"]) for r in page.row_elements(page.by_id("queue-table"))]
