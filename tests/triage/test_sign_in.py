"""Staff setup and sign-in over HTTP: TOTP, recovery codes, throttling, CSRF, cookies."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.app import create_app
from safereport.config import Config
from storage.models import AuditEvent
from tests.support.pages import Page, parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import (
    PASSWORD,
    STAFF_COOKIE,
    StaffLogin,
    csrf,
    csrf_from,
    invite,
    next_code,
    open_setup_link,
    page_at,
    signed_in_client,
)

SIGN_IN_FAILED = "The email address, password or security code is not right."
THROTTLED_1 = "Too many tries. Wait 1 minutes, then try again."
WRONG_APP_CODE = "The code is not right. Type the 6 digits your app shows now."


def recovery_codes(page: Page) -> list[str]:
    """The recovery codes the page shows, in order."""
    return [item.text for item in page.inside(page.by_id("recovery-codes"), "li")]


def post_sign_in(
    client: FlaskClient, email: str, password: str, code: str, address: str = "192.0.2.50"
) -> tuple[int, Page]:
    token = csrf(client, "/triage/sign-in")
    response = client.post(
        "/triage/sign-in",
        data={"csrf_token": token, "email": email, "password": password, "code": code},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code, parse(response)


def test_setting_up_an_account_from_the_link(
    client: FlaskClient, services: Services, establishment: int, clock: FixedClock
) -> None:
    _staff_id, token = invite(services, role="lead", establishment_ids=[establishment])
    page = parse(open_setup_link(client, token))
    assert page.status == 200
    # A password manager saves the new password under the account's email address.
    [username] = page.all("input", autocomplete="username")
    assert "readonly" in username.attrs
    assert re.fullmatch(r"[^@\s]+@[^@\s]+", username.attrs.get("value", ""))
    data = {
        "csrf_token": page.csrf,
        "token": token,
        "password": PASSWORD,
    }
    mismatch = client.post("/triage/setup", data={**data, "confirmation": "other"})
    assert mismatch.status_code == 400
    assert parse(mismatch).problems() == {"confirmation": "The two passwords do not match."}
    short = client.post(
        "/triage/setup", data={**data, "password": "short", "confirmation": "short"}
    )
    assert "at least 12 characters" in parse(short).problems()["password"]

    chosen = client.post("/triage/setup", data={**data, "confirmation": PASSWORD})
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("/triage/setup-app")
    enrol_page = parse(client.get("/triage/setup-app"))
    enrol = enrol_page.html
    [qr] = enrol_page.all("img", class_="triage-qr")  # inline (CSP allows data: images)
    assert qr.attrs["src"].startswith("data:image/svg+xml")
    key = re.fullmatch(r"[A-Z2-7 ]+", enrol_page.by_id("totp-key").text)
    assert key is not None
    secret = key.group(0).replace(" ", "")

    wrong = client.post(
        "/triage/setup-app", data={"csrf_token": csrf_from(enrol), "code": "000000"}
    )
    assert wrong.status_code == 400
    code = pyotp.TOTP(secret).at(clock.now())
    done = client.post("/triage/setup-app", data={"csrf_token": csrf_from(enrol), "code": code})
    assert done.status_code == 200
    codes = recovery_codes(parse(done))
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    assert client.get("/triage/queue").status_code == 200  # signed in at the end of setup
    assert open_setup_link(client, token).status_code == 404  # the link worked once


def test_an_unfinished_setup_cannot_sign_in(
    client: FlaskClient, services: Services, establishment: int, clock: FixedClock
) -> None:
    _staff_id, token = invite(services, role="lead", establishment_ids=[establishment])
    page = parse(open_setup_link(client, token))
    data = {
        "csrf_token": page.csrf, "token": token, "password": PASSWORD,
        "confirmation": PASSWORD,
    }  # fmt: skip
    client.post("/triage/setup", data=data)
    assert client.get("/triage/queue").status_code == 302  # enrolling is not signed in
    [email] = [caption.text for caption in page.by_class("govuk-caption-l")]
    assert "@" in email
    status, _body = post_sign_in(app_client(client), email, PASSWORD, "123456")
    assert status == 400


def app_client(client: FlaskClient) -> FlaskClient:
    return client.application.test_client()


def test_signing_in_with_password_and_totp(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    status, _body = post_sign_in(client, lead.email, lead.password, next_code(lead, clock))
    assert status == 302
    assert client.get("/triage/queue").status_code == 200


def test_failures_say_the_same_whether_or_not_the_account_exists(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    code = next_code(lead, clock)
    wrong_password = post_sign_in(client, lead.email, "not the password", code)
    no_account = post_sign_in(client, "nobody@test.safereport.invalid", lead.password, code)
    wrong_code = post_sign_in(client, lead.email, lead.password, "123456")
    for status, body in (wrong_password, no_account, wrong_code):
        assert status == 400
        assert body.problems() == {"email": SIGN_IN_FAILED}


def test_a_totp_code_works_once(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    code = next_code(lead, clock)
    assert post_sign_in(client, lead.email, lead.password, code)[0] == 302
    other = app_client(client)
    status, body = post_sign_in(other, lead.email, lead.password, code)
    assert status == 400 and body.problems() == {"email": SIGN_IN_FAILED}
    # The previous step's code is refused too once a later one was used.
    clock.advance(timedelta(seconds=30))
    assert post_sign_in(other, lead.email, lead.password, code)[0] == 400
    assert post_sign_in(other, lead.email, lead.password, lead.code(clock))[0] == 302


def test_a_recovery_code_works_once(client: FlaskClient, staff: StaffFactory) -> None:
    lead = staff("lead")
    recovery = lead.recovery_codes[0]
    assert post_sign_in(client, lead.email, lead.password, recovery.upper())[0] == 302
    assert post_sign_in(app_client(client), lead.email, lead.password, recovery)[0] == 400


def test_failures_in_a_row_make_unknown_browsers_wait_not_a_lock(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    """Five failures from anywhere, then each try waits (2 s, doubling): no 15-minute lock."""
    lead = staff("lead")
    for i in range(5):
        assert post_sign_in(client, lead.email, "wrong", "123456", f"198.51.100.{i}")[0] == 400
    status, body = post_sign_in(client, lead.email, lead.password, lead.code(clock))
    assert status == 429 and body.problems() == {"email": THROTTLED_1}
    assert post_sign_in(client, lead.email, lead.password, next_code(lead, clock))[0] == 302


def test_an_account_that_does_not_exist_is_throttled_the_same_way(
    client: FlaskClient, clock: FixedClock
) -> None:
    ghost = "ghost@test.safereport.invalid"
    for i in range(5):
        post_sign_in(client, ghost, "guess", "123456", f"198.51.100.{i}")
    status, body = post_sign_in(client, ghost, "guess", "123456")
    assert status == 429 and body.problems() == {"email": THROTTLED_1}


def test_many_failures_from_one_address_hold_that_address_back(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    for i in range(20):
        post_sign_in(client, f"guess{i}@test.safereport.invalid", "x", "123456", "203.0.113.9")
    assert (
        post_sign_in(client, lead.email, lead.password, lead.code(clock), "203.0.113.9")[0] == 429
    )
    code = next_code(lead, clock)
    assert post_sign_in(client, lead.email, lead.password, code, "203.0.113.10")[0] == 302


def test_failures_spread_out_do_not_lock(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    for _ in range(6):  # from one address: 3 free, then waits of 5, 10 and 20 seconds
        clock.advance(timedelta(seconds=20))
        assert post_sign_in(client, lead.email, "wrong password", "123456")[0] == 400
    clock.advance(timedelta(seconds=40))
    assert post_sign_in(client, lead.email, lead.password, lead.code(clock))[0] == 302


def signed_in(client: FlaskClient, login: StaffLogin, clock: FixedClock) -> str:
    assert post_sign_in(client, login.email, login.password, next_code(login, clock))[0] == 302
    cookie = client.get_cookie(STAFF_COOKIE)
    assert cookie is not None
    return cookie.value


def test_sessions_expire_after_30_idle_minutes(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    signed_in(client, staff("deputy"), clock)
    clock.advance(timedelta(minutes=29))
    assert client.get("/triage/queue").status_code == 200
    clock.advance(timedelta(minutes=30))
    response = client.get("/triage/queue")
    assert response.status_code == 302 and response.headers["Location"].endswith("/triage/sign-in")


def test_sessions_end_after_12_hours_however_busy(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    signed_in(client, staff("deputy"), clock)
    for _ in range(35):  # a request every 20 minutes for 11 h 40 min
        clock.advance(timedelta(minutes=20))
        assert client.get("/triage/queue").status_code == 200
    clock.advance(timedelta(minutes=20))
    assert client.get("/triage/queue").status_code == 302


def test_signing_in_again_renews_the_token_and_ends_the_old_session(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    first = signed_in(client, lead, clock)
    second = signed_in(client, lead, clock)
    assert first != second and len(second) >= 43  # 32 random bytes, base64
    stale = app_client(client)
    stale.set_cookie(STAFF_COOKIE, first)
    assert stale.get("/triage/queue").status_code == 302


def test_signing_out_ends_the_session_on_the_server(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    token = signed_in(client, staff("lead"), clock)
    client.post("/triage/sign-out", data={"csrf_token": csrf(client)})
    replay = app_client(client)
    replay.set_cookie(STAFF_COOKIE, token)
    assert replay.get("/triage/queue").status_code == 302


def test_a_turned_off_account_is_signed_out(
    app: Flask, client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    deputy, admin = staff("deputy"), staff("admin")
    signed_in(client, deputy, clock)
    admin_client = app.test_client()
    signed_in(admin_client, admin, clock)
    admin_client.post(
        f"/triage/staff/{deputy.id}/deactivate", data={"csrf_token": csrf(admin_client)}
    )
    assert client.get("/triage/queue").status_code == 302


def test_forms_without_a_csrf_token_are_refused(
    client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    response = client.post(
        "/triage/sign-in",
        data={"email": lead.email, "password": lead.password, "code": next_code(lead, clock)},
    )
    assert response.status_code == 400
    assert client.get_cookie(STAFF_COOKIE) is None


def test_every_page_but_the_allowlist_needs_a_signed_in_member_of_staff(
    app: Flask, client: FlaskClient
) -> None:
    open_endpoints = {"triage.sign_in", "triage.setup", "triage.enrol", "triage.static"}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("triage.")]
    assert len(rules) > 10
    for rule in rules:
        if rule.endpoint in open_endpoints:
            continue
        path = re.sub(r"<(?:int:)?([a-z_]+)>", "1", rule.rule)
        for method in rule.methods or ():
            if method not in ("GET", "POST"):
                continue
            response = client.open(
                path, method=method, data={"csrf_token": csrf(client, "/triage/sign-in")}
            )
            assert response.status_code == 302, (method, path)
            assert response.headers["Location"].endswith("/triage/sign-in")


def test_session_cookie_is_secure_httponly_and_strict_outside_tests(
    config: Config, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    production = create_app(config.with_changes(testing=False), services=services)
    client = production.test_client()
    lead = staff("lead")
    token = csrf(client, "/triage/sign-in")
    response = client.post(
        "/triage/sign-in",
        data={
            "csrf_token": token,
            "email": lead.email,
            "password": lead.password,
            "code": next_code(lead, clock),
        },
        base_url="https://localhost",
    )
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if "safereport_staff" in h)
    assert cookie.startswith("__Host-safereport_staff=")
    for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/"):
        assert flag in cookie


def ask_for_new_recovery_codes(client: FlaskClient, code: str) -> tuple[int, Page]:
    token = csrf(client, "/triage/account")
    response = client.post(
        "/triage/account/recovery-codes", data={"csrf_token": token, "code": code}
    )
    return response.status_code, parse(response)


def test_new_recovery_codes_need_a_fresh_app_code_and_retire_the_old_ones(
    app: Flask, client: FlaskClient, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    signed_in = signed_in_client(app, services, lead, clock)
    account = page_at(signed_in, "/triage/account")
    assert len(account.all("form", action="/triage/account/recovery-codes")) == 1
    assert account.title.startswith("Your account")
    status, body = ask_for_new_recovery_codes(signed_in, "000000")
    assert status == 400 and body.problems() == {"code": WRONG_APP_CODE}

    status, body = ask_for_new_recovery_codes(signed_in, next_code(lead, clock))
    assert status == 200 and body.h1 == "You have new recovery codes"
    new_codes = recovery_codes(body)
    assert all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", code) for code in new_codes)
    assert len(new_codes) == len(lead.recovery_codes) and not set(new_codes) & set(
        lead.recovery_codes
    )
    old_status, _ = post_sign_in(client, lead.email, lead.password, lead.recovery_codes[1])
    assert old_status == 400  # the old codes no longer work
    assert post_sign_in(app_client(client), lead.email, lead.password, new_codes[0])[0] == 302
    with services.db.transaction() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor == f"staff:{lead.id}")
        ).all()
        assert "staff.recovery_codes_replaced" in actions


def test_guessing_the_app_code_for_new_recovery_codes_is_throttled(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    lead = staff("lead")
    signed_in = signed_in_client(app, services, lead, clock)
    for _ in range(6):  # 3 free, then waits of 5, 10 and 20 seconds
        clock.advance(timedelta(seconds=25))
        assert ask_for_new_recovery_codes(signed_in, "123456")[0] == 400
    status, body = ask_for_new_recovery_codes(signed_in, next_code(lead, clock))  # 30 s < 40 s
    assert status == 429 and body.problems() == {"code": THROTTLED_1}
