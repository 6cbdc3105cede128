"""Someone who said they are in danger, then had to leave the kiosk, still has a report.

The phone line keeps a report when a caller who said they are in danger hangs up; the kiosk
does the same on quick exit, on the idle wipe and when a draft expires. The screen still goes
blank exactly as before, no code is shown or kept, and the on-call chain is paged as for any
immediate report. Seen by three people: a prisoner in danger, a frightened witness, and a
curious officer who walks up to the screen afterwards.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from safeguarding.clock import FixedClock
from safeguarding.codes import derive_code, keyed_hash
from safeguarding.draft_leaving import (
    EXPIRED,
    LEFT,
    LEFT_BEFORE_SENDING_KIND,
    purge_expired_drafts,
)
from safeguarding.services import Services
from safereport.config import Config
from safereport.worker_setup import build_worker
from storage.db import Database
from storage.models import AuditEvent, KioskDevice, KioskDraft, Location, OutboxMessage, Report
from storage.sealed_fields import REPORT_DETAILS
from tests.kiosk.failures import BrokenWrites
from tests.kiosk.journey import ANSWERS, answer, fill_report, send, start_report
from tests.kiosk.pages import Kiosk
from tests.kiosk.test_privacy import LIFETIME
from tests.kiosk.test_sending import twin

WHAT_HE_SAID = "He said he will hurt me tonight on the landing."


def reports(services: Services) -> list[Report]:
    with services.db.transaction() as session:
        found = list(session.scalars(select(Report).order_by(Report.id)))
        for report in found:
            _ = report.answers, report.events
        return found


def alerts(services: Services) -> list[str]:
    with services.db.transaction() as session:
        return list(session.scalars(select(OutboxMessage.kind)))


def drafts(services: Services) -> int:
    with services.db.transaction() as session:
        return session.scalar(select(func.count(KioskDraft.id))) or 0


def place_kiosk_on_a_wing(services: Services) -> int:
    with services.db.transaction() as session:
        device = session.scalars(select(KioskDevice)).one()
        wing = session.scalars(
            select(Location).where(Location.establishment_id == device.establishment_id)
        ).first()
        assert wing is not None
        device.location_id = wing.id
        return wing.id


def say_i_am_in_danger(kiosk: Kiosk, *, typed: bool = False) -> None:
    """The prisoner: "I am in danger", the concern, and (sometimes) a few typed words."""
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "yes"})
    answer(kiosk, "what", {"answer": ["threatening_me"]})
    if typed:
        for question, value in (
            ("hurt", "no"),
            ("who", "me"),
            ("staff", "no"),
            ("where", "elsewhere"),
            ("when", "today"),
        ):
            answer(kiosk, question, {"answer": value})
        answer(kiosk, "more", {"details": WHAT_HE_SAID})


def quick_exit(kiosk: Kiosk) -> str:
    """The no-JavaScript "Leave now" form; the screen lands on the neutral page."""
    response = kiosk.client.post("/kiosk/exit")
    assert response.status_code == 303 and response.location == "/kiosk/ready"
    ready = kiosk.client.get("/kiosk/ready")
    assert ready.status_code == 200
    return ready.get_data(as_text=True)


def assert_the_officer_sees_nothing(kiosk: Kiosk, screen: str) -> None:
    """The officer walking up: the neutral screen, and Back (the same addresses fetched
    afresh) shows no answer, no code, no word of a report having been made."""
    for body in (
        screen,
        *(
            kiosk.client.get(path, follow_redirects=True).get_data(as_text=True)
            for path in ("/kiosk/report/more", "/kiosk/report/what", "/kiosk/report/sent")
        ),
    ):
        assert "Touch here to start." in body or "Choose your language." in body
        for telltale in (WHAT_HE_SAID, "kiosk-code", "kiosk-choice--chosen", "in danger"):
            assert telltale not in body


def test_a_prisoner_in_danger_who_leaves_at_once_still_has_an_immediate_report(
    kiosk: Kiosk, services: Services
) -> None:
    wing = place_kiosk_on_a_wing(services)
    say_i_am_in_danger(kiosk, typed=True)
    screen = quick_exit(kiosk)
    [report] = reports(services)
    assert report.priority == "immediate"
    assert report.in_danger_now and not report.someone_else_in_danger_now
    assert report.channel == "kiosk" and report.sent_from_location_id == wing
    assert [a.answer for a in report.answers if a.question == "concern"] == ["threatening_me"]
    assert report.when_happened == "today"
    assert [e.kind for e in report.events] == ["received", LEFT_BEFORE_SENDING_KIND]
    assert report.events[1].summary == LEFT
    assert alerts(services) == ["alert.new_report"]  # the on-call chain is paged
    assert drafts(services) == 0
    assert_the_officer_sees_nothing(kiosk, screen)


def test_what_they_typed_is_kept_sealed_like_any_report(kiosk: Kiosk, services: Services) -> None:
    say_i_am_in_danger(kiosk, typed=True)
    quick_exit(kiosk)
    [report] = reports(services)
    with services.db.transaction() as session:
        row = session.get(Report, report.id)
        assert row is not None
        assert REPORT_DETAILS.open_text(services.secrets.vault, row) == WHAT_HE_SAID
        sealed = session.scalars(select(Report.details_sealed)).one()
        assert sealed is not None and WHAT_HE_SAID.encode() not in sealed


def test_no_follow_up_code_is_kept_for_someone_who_has_gone(
    kiosk: Kiosk, services: Services
) -> None:
    """The code is derived from the submission key; the key of a left draft is random and
    thrown away, so it is not the kiosk session token either."""
    say_i_am_in_danger(kiosk)
    cookie = kiosk.client.get_cookie("kiosk_session", path="/kiosk")
    assert cookie is not None
    quick_exit(kiosk)
    [report] = reports(services)
    pepper = services.secrets.code_pepper
    assert report.submission_key_hash != keyed_hash(pepper, "submission", cookie.value)
    assert report.code_hash != keyed_hash(pepper, "code", derive_code(pepper, cookie.value, 0))
    with services.db.transaction() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert "report.left_before_sending" in actions


def test_a_double_quick_exit_files_one_report(kiosk: Kiosk, services: Services) -> None:
    say_i_am_in_danger(kiosk)
    cookie = kiosk.client.get_cookie("kiosk_session", path="/kiosk")
    assert cookie is not None
    kiosk.client.post("/kiosk/exit")
    # The second tap (or Shift three times as well) arrives with the same session token.
    kiosk.client.set_cookie("kiosk_session", cookie.value, path="/kiosk")
    kiosk.client.post("/kiosk/exit")
    kiosk.client.set_cookie("kiosk_session", cookie.value, path="/kiosk")
    kiosk.client.get("/kiosk/ready")
    assert len(reports(services)) == 1
    assert alerts(services) == ["alert.new_report"]


def test_a_frightened_witness_whose_screen_clears_itself_makes_someone_else_immediate(
    kiosk: Kiosk, services: Services
) -> None:
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "someone_else"})
    # The inactivity warning runs out: kiosk.js (or the no-script refresh) opens /kiosk/ready.
    screen = kiosk.client.get("/kiosk/ready").get_data(as_text=True)
    [report] = reports(services)
    assert report.priority == "immediate"
    assert report.someone_else_in_danger_now and not report.in_danger_now
    assert report.about_someone_else
    assert alerts(services) == ["alert.new_report"]
    assert_the_officer_sees_nothing(kiosk, screen)


def test_nobody_in_danger_and_quick_exit_leaves_nothing(kiosk: Kiosk, services: Services) -> None:
    start_report(kiosk)
    answer(kiosk, "danger", {"answer": "no"})
    answer(kiosk, "what", {"answer": ["bullied"]})
    quick_exit(kiosk)
    assert reports(services) == [] and alerts(services) == [] and drafts(services) == 0


def test_leaving_before_answering_the_danger_question_leaves_nothing(
    kiosk: Kiosk, services: Services
) -> None:
    start_report(kiosk)
    quick_exit(kiosk)
    assert reports(services) == [] and drafts(services) == 0


def test_a_draft_nobody_came_back_to_is_filed_by_the_worker_once(
    kiosk: Kiosk, services: Services, clock: FixedClock, config: Config
) -> None:
    """The prisoner walked away without touching anything; the browser was switched off."""
    say_i_am_in_danger(kiosk)
    worker = build_worker(config.with_changes(digest_hour_utc=24), services, base_url="http://x")
    worker.run_once()
    assert reports(services) == []  # still within its lifetime: they may come back
    clock.advance(LIFETIME + timedelta(minutes=1))
    worker.run_once()
    worker.run_once()
    [report] = reports(services)
    assert report.priority == "immediate" and report.in_danger_now
    left = [e for e in report.events if e.kind == LEFT_BEFORE_SENDING_KIND]
    assert [e.summary for e in left] == [EXPIRED]
    # The worker went on to page the chain (nobody is on call in this establishment).
    assert "alert_failed" in [e.kind for e in report.events]
    assert drafts(services) == 0
    assert alerts(services).count("alert.new_report") == 1


def test_an_expired_draft_is_filed_by_the_next_touch_too_and_exit_after_files_nothing(
    kiosk: Kiosk, services: Services, clock: FixedClock
) -> None:
    """Expiry, then the next touch at the kiosk (before the worker's sweep), then a late
    quick exit from the old screen: one report."""
    say_i_am_in_danger(kiosk)
    cookie = kiosk.client.get_cookie("kiosk_session", path="/kiosk")
    assert cookie is not None
    clock.advance(LIFETIME + timedelta(seconds=1))
    response = kiosk.client.get("/kiosk/report/what")
    assert response.status_code == 303 and response.location == "/kiosk/"
    assert len(reports(services)) == 1 and drafts(services) == 0
    kiosk.client.set_cookie("kiosk_session", cookie.value, path="/kiosk")
    quick_exit(kiosk)
    [report] = reports(services)
    assert report.events[-1].summary == EXPIRED


def test_a_report_already_sent_is_not_filed_again_on_leaving(
    kiosk: Kiosk, services: Services
) -> None:
    fill_report(kiosk, {**ANSWERS, "danger": {"answer": "yes"}})
    send(kiosk)
    quick_exit(kiosk)
    [report] = reports(services)
    assert LEFT_BEFORE_SENDING_KIND not in [e.kind for e in report.events]


def test_two_exits_at_the_same_moment_file_one_report(
    app: Flask, kiosk: Kiosk, services: Services
) -> None:
    """The Leave now button and Shift three times, or two workers: the row lock decides."""
    say_i_am_in_danger(kiosk)
    clients = [kiosk.client, twin(app, kiosk.client)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def leave(client: FlaskClient) -> None:
        barrier.wait()
        statuses.append(client.post("/kiosk/exit").status_code)

    threads = [threading.Thread(target=leave, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303, 303]
    assert len(reports(services)) == 1
    assert alerts(services) == ["alert.new_report"]


def test_when_the_database_is_down_the_screen_still_blanks_and_expiry_files_it_later(
    kiosk: Kiosk, services: Services, clock: FixedClock
) -> None:
    say_i_am_in_danger(kiosk)
    working = services.db
    services.db = Database.connect("sqlite:////nonexistent-dir/cannot/open.db")
    try:
        screen = quick_exit(kiosk)
    finally:
        services.db.dispose()
        services.db = working
    assert "Touch here to start." in screen
    assert reports(services) == [] and drafts(services) == 1  # kept: nothing was lost
    clock.advance(LIFETIME + timedelta(seconds=1))
    with services.db.transaction() as session:
        purge_expired_drafts(session, secrets=services.secrets, policy=services.policy, clock=clock)
    [report] = reports(services)
    assert report.in_danger_now and report.events[-1].summary == EXPIRED


def test_a_report_write_that_fails_keeps_the_draft_for_the_next_sweep(
    kiosk: Kiosk, services: Services, clock: FixedClock, database_kind: str
) -> None:
    say_i_am_in_danger(kiosk)
    failure = BrokenWrites(services, database_kind)
    failure.break_()
    try:
        screen = quick_exit(kiosk)
    finally:
        failure.mend()
    assert "Touch here to start." in screen  # the screen blanks whatever happens
    assert reports(services) == [] and drafts(services) == 1
    clock.advance(LIFETIME + timedelta(seconds=1))
    kiosk.client.get("/kiosk/")  # the next person's first touch sweeps it
    assert len(reports(services)) == 1 and drafts(services) == 0
