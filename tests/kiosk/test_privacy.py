"""Privacy on a shared screen: quick exit, inactivity, nothing left behind, nothing in URLs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from safeguarding.clock import FixedClock
from safeguarding.draft_leaving import purge_expired_drafts
from safeguarding.drafts import GRACE_SECONDS, WARNING_SECONDS
from safeguarding.services import Services
from safereport.config import Config
from safereport.worker_setup import build_worker
from storage.models import KioskDraft
from tests.kiosk.journey import ANSWERS, answer, fill_report, send, start_report
from tests.kiosk.pages import Kiosk, code_on

LIFETIME = timedelta(seconds=90 + WARNING_SECONDS + GRACE_SECONDS)


def count_drafts(services: Services) -> int:
    with services.db.transaction() as session:
        return session.scalar(select(func.count(KioskDraft.id))) or 0


def assert_nothing_of_the_report(kiosk: Kiosk, path: str) -> None:
    """What Back would show: the address again, fetched afresh (nothing is cached)."""
    response = kiosk.client.get(path, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert ANSWERS["more"]["details"] not in body
    assert "Check your answers" not in body
    assert "kiosk-choice--chosen" not in body


def test_quick_exit_wipes_the_draft_and_clears_the_browser(
    kiosk: Kiosk, services: Services
) -> None:
    check = fill_report(kiosk)
    assert count_drafts(services) == 1
    response = kiosk.client.post("/kiosk/exit", data={"csrf_token": check.csrf})
    assert response.status_code == 303
    assert response.location == "/kiosk/ready"
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "kiosk_session=;" in response.headers["Set-Cookie"]
    assert count_drafts(services) == 0
    ready = kiosk.follow(response)
    assert ready.h1 == "Touch here to start."
    for path in ("/kiosk/report/check", "/kiosk/report/more", "/kiosk/report/what"):
        assert_nothing_of_the_report(kiosk, path)


def test_quick_exit_works_even_without_a_security_token(kiosk: Kiosk, services: Services) -> None:
    fill_report(kiosk)
    response = kiosk.client.post("/kiosk/exit")
    assert response.status_code == 303
    assert count_drafts(services) == 0


def test_the_neutral_screen_wipes_too_for_when_the_exit_request_is_lost(
    kiosk: Kiosk, services: Services
) -> None:
    fill_report(kiosk)
    response = kiosk.client.get("/kiosk/ready")
    assert response.status_code == 200
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert count_drafts(services) == 0


def test_finish_wipes_everything_and_back_shows_nothing(kiosk: Kiosk, services: Services) -> None:
    fill_report(kiosk)
    sent = send(kiosk)
    code = code_on(sent)
    response = kiosk.client.post("/kiosk/finish", data={"csrf_token": sent.csrf})
    assert response.location == "/kiosk/"
    assert count_drafts(services) == 0
    for path in ("/kiosk/report/sent", "/kiosk/report/check"):
        body = kiosk.client.get(path, follow_redirects=True).get_data(as_text=True)
        assert "kiosk-code" not in body
        assert code not in body


def test_a_quiet_kiosk_session_expires_and_is_deleted(
    kiosk: Kiosk, services: Services, clock: FixedClock
) -> None:
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "yes"})
    clock.advance(LIFETIME + timedelta(seconds=1))
    response = kiosk.client.get("/kiosk/report/what")
    assert response.status_code == 303
    assert response.location == "/kiosk/"
    assert count_drafts(services) == 0


def test_each_request_and_i_need_more_time_keep_the_session_alive(
    kiosk: Kiosk, services: Services, clock: FixedClock
) -> None:
    start_report(kiosk)
    page = kiosk.get("/kiosk/report/danger")
    for _ in range(12):  # far more than the ten extensions WCAG 2.2.1 asks for
        clock.advance(LIFETIME - timedelta(seconds=5))
        response = kiosk.client.post("/kiosk/still-here", data={"csrf_token": page.csrf})
        assert response.status_code == 204
    assert kiosk.client.get("/kiosk/report/danger").status_code == 200


def test_i_need_more_time_after_a_wipe_says_gone(
    kiosk: Kiosk, services: Services, clock: FixedClock
) -> None:
    start_report(kiosk)
    page = kiosk.get("/kiosk/report/danger")
    clock.advance(LIFETIME + timedelta(seconds=1))
    response = kiosk.client.post("/kiosk/still-here", data={"csrf_token": page.csrf})
    assert response.status_code == 410


def test_expired_drafts_are_purged(kiosk: Kiosk, services: Services, clock: FixedClock) -> None:
    start_report(kiosk)
    clock.advance(LIFETIME + timedelta(seconds=1))
    with services.db.transaction() as session:
        assert (
            purge_expired_drafts(
                session, secrets=services.secrets, policy=services.policy, clock=clock
            )
            == 1
        )
    assert count_drafts(services) == 0


def test_the_worker_purges_drafts_nobody_came_back_to(
    kiosk: Kiosk, services: Services, clock: FixedClock, config: Config
) -> None:
    start_report(kiosk)
    worker = build_worker(config.with_changes(digest_hour_utc=24), services, base_url="http://x")
    worker.run_once()
    assert count_drafts(services) == 1  # still within its lifetime
    clock.advance(LIFETIME + timedelta(minutes=1))
    worker.run_once()
    assert count_drafts(services) == 0


def test_the_start_screen_wipes_what_the_last_person_left(kiosk: Kiosk, services: Services) -> None:
    fill_report(kiosk)
    page = kiosk.get("/kiosk/")
    assert page.h1 == "Choose your language."
    assert count_drafts(services) == 0
    assert_nothing_of_the_report(kiosk, "/kiosk/report/check")


def test_answers_are_sealed_in_the_database(kiosk: Kiosk, services: Services) -> None:
    fill_report(kiosk)
    with services.db.transaction() as session:
        row = session.scalars(select(KioskDraft)).one()
        assert b"canteen" not in row.state_sealed
        assert b"bullied" not in row.state_sealed
        cookie = kiosk.client.get_cookie("kiosk_session", path="/kiosk")
        assert cookie is not None
        assert cookie.value not in row.token_hash


def test_no_address_or_log_line_carries_an_answer_or_the_code(
    kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    locations: list[str] = []
    start_report(kiosk)
    for question, data in ANSWERS.items():
        locations.append(answer(kiosk, question, data))
    sent = send(kiosk)
    code = code_on(sent)
    assert all("?" not in location for location in locations)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (code, ANSWERS["more"]["details"], "bullied", "made_to_pay"):
        assert secret not in logged


def test_kiosk_cookies_are_http_only_and_strictly_same_site(
    client: FlaskClient, kiosk: Kiosk
) -> None:
    response = kiosk.post("/kiosk/language", {"language": "en"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("kiosk_session=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/kiosk" in cookie


def test_without_javascript_a_quiet_screen_still_clears_itself(kiosk: Kiosk) -> None:
    start_report(kiosk)
    page = kiosk.get("/kiosk/report/danger")
    refresh = [m for m in page.all("meta") if m.attrs.get("http-equiv") == "refresh"]
    assert [m.attrs["content"] for m in refresh] == [f"{90 + WARNING_SECONDS}; url=/kiosk/ready"]
    assert '<noscript><meta http-equiv="refresh"' in page.html
    body = page.all("body")[0].attrs
    assert body["data-idle-seconds"] == "90"
    assert body["data-warning-seconds"] == str(WARNING_SECONDS)
