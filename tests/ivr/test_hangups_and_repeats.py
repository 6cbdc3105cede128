"""Nothing lost: hanging up at any step keeps what was given; repeated webhooks change nothing;
a broken database is admitted to the caller, never hidden behind "sent"."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from safeguarding.services import Services
from storage.db import Database
from storage.models import CallSession, OutboxMessage, Recording, Report
from tests.ivr.conftest import row_counts
from tests.ivr.emulator import HangUp, Input, Keys, Speak, TwilioEmulator
from tests.ivr.test_call_flow import REPORT_ABOUT_ME_NO_STAFF, assert_clean
from tests.ivr.transcript import transcript

# (inputs before hanging up, the answers kept, whether a report exists, a recording)
HANG_UP_POINTS: list[tuple[str, list[Input], set[tuple[str, str]], bool, int]] = [
    ("at the first question", [], set(), False, 0),
    ("after choosing to report", [Keys("2")], set(), False, 0),
    ("after saying they are in danger", [Keys("1")], set(), True, 0),
    ("after a concern", [Keys("2"), Keys("1")], {("concern", "hurting_me")}, True, 0),
    (
        "after about whom",
        [Keys("2"), Keys("1"), Keys("2"), Keys("2")],
        {("concern", "hurting_me"), ("about", "someone_else")},
        True,
        0,
    ),
    (
        "after the staff question",
        [Keys("2"), Keys("1"), Keys("2"), Keys("1"), Keys("2"), Keys("1")],
        {("concern", "hurting_me"), ("about", "me"), ("staff_involved", "yes")},
        True,
        0,
    ),
    (
        "before keeping the message",
        [Keys("2"), Keys("1"), Keys("2"), Keys("1"), Keys("2"), Keys("3"), Speak(30)],
        {("concern", "hurting_me"), ("about", "me"), ("staff_involved", "not_sure")},
        True,
        1,
    ),
]


@pytest.mark.parametrize(
    ("inputs", "answers", "has_report", "recordings"),
    [point[1:] for point in HANG_UP_POINTS],
    ids=[point[0] for point in HANG_UP_POINTS],
)
def test_hanging_up_keeps_what_was_given(
    phone: TwilioEmulator,
    services: Services,
    inputs: list[Input],
    answers: set[tuple[str, str]],
    has_report: bool,
    recordings: int,
) -> None:
    log = phone.call([*inputs, HangUp()])
    assert_clean(log)
    with services.db.transaction() as session:
        call = session.scalars(select(CallSession)).one()
        assert call.ended_at is not None
        report = session.scalars(select(Report)).one_or_none()
        assert (report is not None) == has_report
        if report is None:
            return
        assert call.status == "ended-early"
        assert {(a.question, a.answer) for a in report.answers} == answers
        assert len(report.recordings) == recordings
        assert [e.kind for e in report.events].count("call_ended_early") == 1


def test_hanging_up_while_recording_keeps_the_message(
    phone: TwilioEmulator, services: Services
) -> None:
    keys = [Keys("2"), Keys("5"), Keys("2"), Keys("1"), Keys("2"), Keys("2")]
    phone.call([*keys, HangUp(after_speaking=25)])
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert [(r.duration_seconds, r.status) for r in report.recordings] == [(25, "pending")]
        assert "call_ended_early" in [e.kind for e in report.events]
        fetches = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "recording.fetch")
        ).all()
        assert len(fetches) == 1


def test_every_webhook_delivered_twice_gives_one_report(
    client: object, phone: TwilioEmulator, services: Services
) -> None:
    phone.duplicate_deliveries = True
    log = phone.call(REPORT_ABOUT_ME_NO_STAFF)
    assert_clean(log)
    counts = row_counts(services)
    assert counts["report"] == 1 and counts["recording"] == 1 and counts["call_session"] == 1
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert len(report.answers) == 4
        kinds = sorted(session.scalars(select(OutboxMessage.kind)).all())
    assert kinds == ["alert.new_report", "recording.fetch"]


def test_a_late_copy_of_an_earlier_webhook_changes_nothing(
    phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("2"), Keys("1"), Keys("2"), HangUp()])
    answered_concern = next(e for e in log.exchanges if "/ivr/concern" in e.url)
    before = row_counts(services)
    replay = phone.post(log, answered_concern.url, answered_concern.params)
    assert replay.status == 200
    assert row_counts(services) == before


def test_the_recording_callbacks_are_idempotent(phone: TwilioEmulator, services: Services) -> None:
    log = phone.call(REPORT_ABOUT_ME_NO_STAFF)
    callbacks = [e for e in log.exchanges if "recording-status" in e.url or "recorded" in e.url]
    before = row_counts(services)
    for exchange in callbacks:
        phone.post(log, exchange.url, exchange.params)
    assert row_counts(services) == before


def test_when_the_database_is_down_the_caller_is_told_and_never_hears_sent(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    working = services.db
    services.db = Database.connect("sqlite:////nonexistent-dir/cannot/open.db")
    try:
        log = phone.call([Keys("1")])
    finally:
        working.dispose()  # the fixture disposes the broken one
    heard = transcript(app, log, ["en"])
    assert heard[:3] == ["fault.sorry", "fault.other", "fault.later"]
    assert "goodbye.samaritans" in heard
    assert not {"danger.sent", "code.sent"} & set(heard)
    assert log.ended_by == "hangup-verb"


def test_the_fallback_url_answers_in_the_language_of_the_failed_step(
    app: Flask, phone: TwilioEmulator
) -> None:
    from tests.ivr.emulator import CallLog

    log = CallLog("CA" + "2" * 32)
    params = {
        **phone.base_params(log.call_sid),
        "ErrorCode": "11200",
        "ErrorUrl": "https://example.org/ivr/start?t=3&lang=en",
    }
    exchange = phone.post(log, "http://localhost/ivr/fallback", params)
    assert exchange.status == 200 and "<Hangup" in exchange.body
    assert "Play" in exchange.body


def test_a_recording_that_twilio_reports_absent_stops_being_pending(
    phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call(REPORT_ABOUT_ME_NO_STAFF)
    callback = next(e for e in log.exchanges if "recording-status" in e.url)
    phone.post(log, callback.url, {**callback.params, "RecordingStatus": "absent"})
    with services.db.transaction() as session:
        assert session.scalars(select(Recording.status)).one() == "absent"
