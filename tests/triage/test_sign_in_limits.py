"""Nobody outside can lock a member of staff out, yet guessing stays hopeless.

The known-browser cookie, progressive delays, hourly and daily ceilings, and counting
that holds when many tries arrive at once (see safeguarding.sign_in_limits).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.sign_in_limits import account_hash
from safeguarding.staff_auth import sign_in
from storage.models import StaffSignInAttempt
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import next_code
from tests.triage.test_sign_in import post_sign_in

BROWSER_COOKIE = "safereport_browser"  # testing=True: no __Host- prefix


def checked_tries(services: Services, email: str) -> int:
    account = account_hash(services.secrets.code_pepper, email)
    with services.db.transaction() as session:
        count = session.scalar(
            select(func.count(StaffSignInAttempt.id)).where(
                StaffSignInAttempt.account_hash == account,
                StaffSignInAttempt.succeeded.is_(False),
            )
        )
    return count or 0


def test_an_outsiders_flood_does_not_keep_the_real_person_out_of_a_known_browser(
    app: Flask, client: FlaskClient, staff: StaffFactory, clock: FixedClock, services: Services
) -> None:
    lead = staff("lead")
    # The lead signed in from this browser before: it keeps a known-browser cookie.
    assert post_sign_in(client, lead.email, lead.password, next_code(lead, clock))[0] == 302
    cookie = client.get_cookie(BROWSER_COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    outsider = app.test_client()
    refused = 0
    for i in range(100):  # a flood over ten minutes, from ever-changing addresses
        clock.advance(timedelta(seconds=6))
        status, _ = post_sign_in(outsider, lead.email, f"guess {i}", "123456", f"10.9.{i}.1")
        refused += status == 429
    assert refused > 70
    assert checked_tries(services, lead.email) <= 20  # the hourly ceiling of unknown browsers
    # An unknown browser, even with the right password and code, waits...
    stranger = app.test_client()
    assert post_sign_in(stranger, lead.email, lead.password, lead.code(clock))[0] == 429
    # ...but the lead's own browser is judged by its own tries only.
    assert post_sign_in(client, lead.email, lead.password, next_code(lead, clock))[0] == 302
    assert client.get("/triage/queue").status_code == 200


def test_a_forged_or_other_accounts_browser_cookie_is_an_unknown_browser(
    app: Flask, client: FlaskClient, staff: StaffFactory, clock: FixedClock
) -> None:
    lead, admin = staff("lead"), staff("admin")
    assert post_sign_in(client, admin.email, admin.password, next_code(admin, clock))[0] == 302
    for i in range(5):
        assert post_sign_in(app.test_client(), lead.email, "x", "123456", f"10.0.0.{i}")[0] == 400
    # The admin's browser never signed in as the lead: it shares the unknown browsers' wait.
    assert post_sign_in(client, lead.email, lead.password, lead.code(clock))[0] == 429
    forged = app.test_client()
    forged.set_cookie(BROWSER_COOKIE, "made-up-token")
    assert post_sign_in(forged, lead.email, lead.password, lead.code(clock))[0] == 429


def guess_once(services: Services, clock: FixedClock, email: str, n: int) -> str | None:
    with services.db.transaction() as session:
        outcome = sign_in(
            session,
            email=email,
            password=f"wrong {n}",
            code="123456",
            address=f"10.{n % 250}.{n // 250 % 250}.1",
            secrets=services.secrets,
            clock=clock,
            limits=services.policy.sign_in,
        )
    return outcome.refusal


def test_slow_guessing_is_stopped_by_the_hourly_and_daily_ceilings(
    staff: StaffFactory, clock: FixedClock, services: Services
) -> None:
    """One try every 16 seconds, from ever-changing addresses, was never stopped before."""
    lead = staff("lead")
    for n in range(225):  # an hour of it
        clock.advance(timedelta(seconds=16))
        guess_once(services, clock, lead.email, n)
    hourly = services.policy.sign_in.unknown_browser.failures_per_hour
    assert checked_tries(services, lead.email) == hourly
    for n in range(225, 225 + 23 * 4):  # the rest of the day, every 15 minutes
        clock.advance(timedelta(minutes=15))
        guess_once(services, clock, lead.email, n)
    daily = services.policy.sign_in.unknown_browser.failures_per_day
    assert checked_tries(services, lead.email) == daily


def test_forty_parallel_tries_check_at_most_the_limit(
    services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    """On PostgreSQL the tries run in 40 transactions at once; each account's turn is taken
    one at a time, so the count each try reads includes every try before it."""
    lead = staff("lead")

    def guess(n: int) -> str | None:
        return guess_once(services, clock, lead.email, n)

    with ThreadPoolExecutor(max_workers=40) as pool:
        refusals = list(pool.map(guess, range(40)))
    limit = services.policy.sign_in.unknown_browser.free_failures
    assert refusals.count("invalid") == limit and refusals.count("throttled") == 40 - limit
    assert checked_tries(services, lead.email) == limit
