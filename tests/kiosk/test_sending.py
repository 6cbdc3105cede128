"""Sending: one report per draft however often Send is tapped, and never a code for a report
that is not committed."""

from __future__ import annotations

import re
import threading

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from safeguarding.phone_numbers import display_phone_number
from safeguarding.services import Services
from storage.db import Database
from storage.models import Establishment, KioskDevice, KioskDraft, Report
from storage.repositories.drafts import find_phone_number
from tests.factories import submit
from tests.kiosk.failures import BrokenWrites
from tests.kiosk.journey import fill_report, send
from tests.kiosk.pages import Kiosk, code_on, parse


def count_reports(services: Services) -> int:
    with services.db.transaction() as session:
        return session.scalar(select(func.count(Report.id))) or 0


def twin(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second client holding the same cookies: the same browser tapping twice."""
    other = app.test_client()
    for name, path in (("kiosk_device", "/kiosk"), ("kiosk_session", "/kiosk"), ("session", "/")):
        cookie = client.get_cookie(name, path=path)
        assert cookie is not None, name
        other.set_cookie(name, cookie.value, path=path)
    return other


def test_sending_twice_makes_one_report_and_shows_the_same_code(
    kiosk: Kiosk, services: Services
) -> None:
    check = fill_report(kiosk)
    token = check.csrf
    first = kiosk.client.post("/kiosk/report/send", data={"csrf_token": token})
    second = kiosk.client.post("/kiosk/report/send", data={"csrf_token": token})
    assert first.location == second.location == "/kiosk/report/sent"
    assert count_reports(services) == 1
    assert len(code_on(kiosk.get("/kiosk/report/sent"))) == 12


def test_two_taps_at_the_same_moment_make_one_report(
    app: Flask, kiosk: Kiosk, services: Services
) -> None:
    check = fill_report(kiosk)
    clients = [kiosk.client, twin(app, kiosk.client)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def tap(client: FlaskClient) -> None:
        barrier.wait()
        response = client.post("/kiosk/report/send", data={"csrf_token": check.csrf})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=tap, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303, 303]
    assert count_reports(services) == 1
    codes = {code_on(parse(c.get("/kiosk/report/sent"))) for c in clients}
    assert len(codes) == 1


def test_a_database_that_cannot_be_reached_says_not_sent_and_shows_no_code(
    kiosk: Kiosk, services: Services
) -> None:
    check = fill_report(kiosk)
    working = services.db
    services.db = Database.connect("sqlite:////nonexistent-dir/cannot/open.db")
    try:
        response = kiosk.client.post("/kiosk/report/send", data={"csrf_token": check.csrf})
    finally:
        services.db.dispose()
        services.db = working
    page = parse(response)
    assert response.status_code == 503
    assert page.h1 == "Your report was NOT sent."
    assert "You can call Samaritans free on 116 123." in page.text
    assert not page.by_class("kiosk-code")
    assert count_reports(services) == 0


def test_a_failure_while_writing_says_not_sent_and_trying_again_sends_once(
    kiosk: Kiosk, services: Services, database_kind: str
) -> None:
    check = fill_report(kiosk)
    failure = BrokenWrites(services, database_kind)
    failure.break_()
    response = kiosk.client.post("/kiosk/report/send", data={"csrf_token": check.csrf})
    page = parse(response)
    assert response.status_code == 503
    assert page.h1 == "Your report was NOT sent."
    assert "Your answers are kept for a short time. You can try again." in page.text
    assert not page.by_class("kiosk-code")
    assert count_reports(services) == 0
    failure.mend()
    retry = kiosk.client.post("/kiosk/report/send", data={"csrf_token": page.csrf})
    assert retry.location == "/kiosk/report/sent"
    assert len(code_on(kiosk.follow(retry))) == 12
    assert count_reports(services) == 1


def _device_of(services: Services, establishment_id: int) -> int:
    with services.db.transaction() as session:
        return session.scalars(
            select(KioskDevice.id).where(KioskDevice.establishment_id == establishment_id)
        ).one()


def _phone_number(services: Services, establishment_id: int) -> str:
    with services.db.transaction() as session:
        number = display_phone_number(find_phone_number(session, establishment_id))
    assert number
    return number


def test_a_kiosk_that_has_sent_its_limit_says_so_calmly_and_points_to_the_phone(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    device_id = _device_of(services, establishment_id)
    for _ in range(services.policy.kiosk.reports_per_device):
        submit(services, establishment_id, kiosk_device_id=device_id)
    check = fill_report(kiosk)
    response = kiosk.client.post("/kiosk/report/send", data={"csrf_token": check.csrf})
    page = parse(response)
    assert response.status_code == 429
    assert page.h1 == "This kiosk cannot send more reports just now."
    number = _phone_number(services, establishment_id)
    assert f"You can call the safeguarding line on {number}." in page.text
    assert f"\u2066{number}\u2069" in response.get_data(as_text=True)
    assert "You can also tell an officer you trust." in page.text
    assert "Samaritans" in page.text and "Sent" not in page.text
    assert count_reports(services) == services.policy.kiosk.reports_per_device
    with services.db.transaction() as session:
        assert session.scalar(select(func.count(KioskDraft.id))) == 1  # answers kept a while


def test_the_limit_page_in_arabic_reads_right_to_left(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    device_id = _device_of(services, establishment_id)
    for _ in range(services.policy.kiosk.reports_per_device):
        submit(services, establishment_id, kiosk_device_id=device_id)
    check = fill_report(kiosk, language="ar")
    response = kiosk.client.post("/kiosk/report/send", data={"csrf_token": check.csrf})
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert re.search(r'<html[^>]* lang="ar"[^>]* dir="rtl"', html) or re.search(
        r'<html[^>]* dir="rtl"[^>]* lang="ar"', html
    )
    page = parse(response)
    assert page.h1 == "لا تستطيع شاشة اللمس هذه أن ترسل بلاغات أخرى الآن."
    number = _phone_number(services, establishment_id)
    assert f"\u2066{number}\u2069" in html  # the number stays left to right


def test_an_establishment_may_set_its_own_kiosk_limit(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    with services.db.transaction() as session:
        establishment = session.get(Establishment, establishment_id)
        assert establishment is not None
        establishment.kiosk_reports_limit = 2
    device_id = _device_of(services, establishment_id)
    for _ in range(2):
        submit(services, establishment_id, kiosk_device_id=device_id)
    check = fill_report(kiosk)
    response = kiosk.client.post("/kiosk/report/send", data={"csrf_token": check.csrf})
    assert response.status_code == 429
    assert count_reports(services) == 2


def test_the_sent_screen_only_shows_a_committed_report(kiosk: Kiosk, services: Services) -> None:
    fill_report(kiosk)
    response = kiosk.client.get("/kiosk/report/sent")
    assert response.location == "/kiosk/report/check"
    sent = send(kiosk)
    assert len(code_on(sent)) == 12


def test_other_screens_say_the_kiosk_is_not_working_when_the_database_is_down(
    kiosk: Kiosk, services: Services
) -> None:
    fill_report(kiosk)
    working = services.db
    services.db = Database.connect("sqlite:////nonexistent-dir/cannot/open.db")
    try:
        page = parse(kiosk.client.get("/kiosk/report/check"))
        leaving = kiosk.client.post("/kiosk/exit")
        ready = kiosk.client.get("/kiosk/ready")
    finally:
        services.db.dispose()
        services.db = working
    assert page.status == 503
    assert page.h1 == "Sorry, this screen is not working right now."
    assert "You can call Samaritans free on 116 123." in page.text
    assert "Leave now" in page.text  # leaving still works
    # Leaving never fails: the screen clears even though the draft could not be deleted.
    assert leaving.status_code == 303 and leaving.location == "/kiosk/ready"
    assert leaving.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert ready.status_code == 200
