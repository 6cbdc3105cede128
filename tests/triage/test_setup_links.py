"""Setup links are spent on first use, and finishing setup ends every other session
(issue 12 item 4). On fe26a51 someone who opened the link before the real person could
finish afterwards, overwrite the password and recovery codes, and the person stayed in."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from flask import Flask

from safeguarding.clock import FixedClock
from safeguarding.enrolment import reissue_staff_setup
from safeguarding.services import Services
from safeguarding.staff_auth import enrolment, finish_setup, start_setup
from storage.models import StaffUser
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import (
    PASSWORD,
    STAFF_COOKIE,
    csrf_from,
    invite,
    open_setup_link,
    session_token_for,
)


def start(services: Services, token: str) -> str | None:
    with services.db.transaction() as session:
        started = start_setup(
            session, setup_token=token, password=PASSWORD, confirmation=PASSWORD,
            secrets=services.secrets, clock=services.clock,
        )  # fmt: skip
    return started.session_token


def finish(services: Services, session_token: str) -> bool:
    with services.db.transaction() as session:
        pending = enrolment(
            session, session_token=session_token, vault=services.secrets.vault,
            clock=services.clock,
        )  # fmt: skip
        assert pending is not None
        code = pyotp.TOTP(pending.secret).at(services.clock.now())
    with services.db.transaction() as session:
        done = finish_setup(
            session, session_token=session_token, code=code, address="192.0.2.7",
            secrets=services.secrets, clock=services.clock,
        )  # fmt: skip
    return done.ok


def test_someone_who_opened_the_link_first_cannot_finish_it_later(
    app: Flask, services: Services, establishment: int
) -> None:
    """The finding exactly: someone opened the link, the real person set up, then the
    first opener chose a password too (on fe26a51 that answered 302 and let them enrol
    against the same TOTP secret, overwriting the person's password)."""
    _staff_id, token = invite(services, role="admin", establishment_ids=[establishment])
    early = app.test_client()
    landing = open_setup_link(early, token)  # opened first, left open
    assert landing.status_code == 200
    person = start(services, token)
    assert person is not None
    late = early.post(
        "/triage/setup",
        data={
            "csrf_token": csrf_from(landing.get_data(as_text=True)), "token": token,
            "password": "another long password", "confirmation": "another long password",
        },
    )  # fmt: skip
    assert late.status_code == 404  # spent when the person chose their password
    assert start(services, token) is None
    assert finish(services, person)


def test_two_enrolments_never_share_a_secret_and_the_first_cannot_finish_later(
    services: Services, establishment: int
) -> None:
    staff_id, token = invite(services, role="admin", establishment_ids=[establishment])
    first = start(services, token)
    assert first is not None
    with services.db.transaction() as session:
        user = session.get(StaffUser, staff_id)
        assert user is not None
        second_token = reissue_staff_setup(
            session, user=user, pepper=services.secrets.code_pepper, clock=services.clock,
            actor="system:test",
        )  # fmt: skip
        first_secret = user.totp_secret_sealed
    second = start(services, second_token)
    assert second is not None
    with services.db.transaction() as session:
        user = session.get(StaffUser, staff_id)
        assert user is not None and user.totp_secret_sealed != first_secret
    assert finish(services, second)
    assert not _finishes(services, first)  # ended when the second enrolment finished


def _finishes(services: Services, session_token: str) -> bool:
    with services.db.transaction() as session:
        pending = enrolment(
            session, session_token=session_token, vault=services.secrets.vault,
            clock=services.clock,
        )  # fmt: skip
    return pending is not None


def test_finishing_setup_ends_every_other_session(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    login = staff("admin")
    old = app.test_client()
    old.set_cookie(STAFF_COOKIE, session_token_for(services, login, clock))
    assert old.get("/triage/staff").status_code == 200
    with services.db.transaction() as session:
        user = session.get(StaffUser, login.id)
        assert user is not None
        token = reissue_staff_setup(
            session, user=user, pepper=services.secrets.code_pepper, clock=services.clock,
            actor="system:test",
        )  # fmt: skip
    fresh = start(services, token)
    clock.advance(timedelta(seconds=30))  # a TOTP step is accepted once per account
    assert fresh is not None and finish(services, fresh)
    assert old.get("/triage/staff").status_code == 302  # signed out
