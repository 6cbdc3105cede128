""" "I have a code": hear the report's status and the team's messages, leave another message."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.codes import damm_check_digit, derive_code
from safeguarding.followup import ADDED_INFORMATION_KIND
from safeguarding.services import Services
from storage.models import OutboxMessage, Recording, Report
from tests.factories import send_standard_message, submit
from tests.ivr.conftest import Line, row_counts
from tests.ivr.emulator import HangUp, Input, Keys, Speak, TwilioEmulator, Wait
from tests.ivr.test_call_flow import assert_clean
from tests.ivr.transcript import transcript


def a_report_with_a_message(services: Services, line: Line) -> tuple[int, str]:
    receipt = submit(services, line.establishment_id)
    send_standard_message(services, receipt.report_id, "will_speak", status="acknowledged")
    return receipt.report_id, receipt.code


def test_a_caller_with_a_code_hears_the_status_and_leaves_a_message(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    report_id, code = a_report_with_a_message(services, line)
    before = row_counts(services)["report"]
    log = phone.call([Keys("3"), Keys(code + "#"), Keys("1"), Speak(15), Keys("2")])
    assert_clean(log)
    heard = transcript(app, log, ["en"])
    assert heard.index("status.being_looked_at") > heard.index("lookup.type")
    assert heard.index("message.will_speak") > heard.index("lookup.messages")
    assert heard.index("lookup.saved") > heard.index("message.tone")
    assert row_counts(services)["report"] == before  # no new report
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        assert [r.duration_seconds for r in report.recordings] == [15]
        kinds = [event.kind for event in report.events]
        assert ADDED_INFORMATION_KIND in kinds
        assert "call_ended_early" not in kinds


def test_a_wrong_code_is_said_kindly_and_may_be_typed_again(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    _report_id, code = a_report_with_a_message(services, line)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)  # fails the check digit
    log = phone.call([Keys("3"), Keys(wrong + "#"), Keys(code + "#"), HangUp()])
    heard = transcript(app, log, ["en"])
    assert heard.index("status.being_looked_at") > heard.index("lookup.wrong")


def test_the_hash_key_alone_goes_back(app: Flask, phone: TwilioEmulator) -> None:
    log = phone.call([Keys("3"), Keys("#"), HangUp()])
    assert transcript(app, log, ["en"]).count("start.danger") == 2


def test_guessing_codes_is_refused_after_the_limit(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    _report_id, code = a_report_with_a_message(services, line)
    bodies = [f"{n:011d}" for n in (12345678901, 23456789012, 34567890123, 45678901234, 5678901)]
    guesses = [body + damm_check_digit(body) for body in bodies]  # well formed, but wrong
    assert code not in guesses
    log = phone.call([Keys("3"), *[Keys(g + "#") for g in guesses], Keys(code + "#")])
    heard = transcript(app, log, ["en"])
    assert "lookup.refused" in heard
    assert "status.being_looked_at" not in heard  # even the right code, once refused
    assert log.ended_by == "hangup-verb"


def test_hanging_up_during_a_follow_up_message_keeps_it_on_the_same_report(
    phone: TwilioEmulator, services: Services, line: Line
) -> None:
    report_id, code = a_report_with_a_message(services, line)
    phone.call([Keys("3"), Keys(code + "#"), Keys("1"), HangUp(after_speaking=9)])
    with services.db.transaction() as session:
        recording = session.scalars(select(Recording)).one()
        assert recording.report_id == report_id
        report = session.get(Report, report_id)
        assert report is not None
        assert "call_ended_early" not in [event.kind for event in report.events]


def test_a_known_caller_cannot_reset_the_code_limit_by_calling_again(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    """Five wrong codes end a call's tries; the caller's number keeps counting across calls."""
    _report_id, code = a_report_with_a_message(services, line)
    per_call = services.policy.lookup.per_session.failures
    per_caller = services.policy.lookup.per_caller.failures
    guesses = iter(derive_code(b"a guesser", f"guess-{n}", 0) for n in range(per_caller))
    for _call in range(per_caller // per_call):
        tries = [Keys(next(guesses) + "#") for _ in range(per_call)]
        phone.call([Keys("3"), *tries, HangUp()])
    refused = transcript(app, phone.call([Keys("3"), Keys(code + "#"), HangUp()]), ["en"])
    assert "lookup.refused" in refused and "status.being_looked_at" not in refused
    phone.caller = "+447700900777"  # someone else on the same line is not held back
    heard = transcript(app, phone.call([Keys("3"), Keys(code + "#"), HangUp()]), ["en"])
    assert "status.being_looked_at" in heard and "lookup.refused" not in heard


def test_after_a_follow_up_message_the_caller_is_asked_about_danger_and_yes_is_immediate(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    report_id, code = a_report_with_a_message(services, line)
    log = phone.call([Keys("3"), Keys(code + "#"), Keys("1"), Speak(12), Keys("2"), Keys("1")])
    assert_clean(log)
    heard = transcript(app, log, ["en"])
    asked = heard.index("danger_again.question")
    assert heard.index("lookup.saved") < asked < heard.index("danger.sent")
    assert "danger.continue" not in heard  # no questions follow: the call ends kindly
    assert heard[-1] == "goodbye.bye"
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        assert (report.priority, report.in_danger_now, report.status) == ("immediate", True, "new")
        assert report.acknowledged_at is None and report.new_information_at is not None
        pages = session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.kind == "alert.new_report")
        ).all()
    assert len(pages) == 2  # the report when made, and paging now


def test_no_to_danger_after_a_follow_up_message_keeps_the_priority(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    report_id, code = a_report_with_a_message(services, line)
    log = phone.call([Keys("3"), Keys(code + "#"), Keys("1"), Speak(12), Keys("2"), Keys("2")])
    heard = transcript(app, log, ["en"])
    assert "danger_again.question" in heard and "danger.sent" not in heard
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        assert (report.priority, report.in_danger_now) == ("standard", False)
        assert report.new_information_at is not None


def test_yes_to_danger_given_just_as_the_call_reaches_its_time_limit_is_still_danger(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    """The caller took their time over "Are you in danger now?": the "yes" is the answer past
    the call's limit. It must still make the report immediate and page, like any other."""
    report_id, code = a_report_with_a_message(services, line)
    too_long = Wait(lambda: clock.advance(services.policy.phone.call_time + timedelta(seconds=1)))
    inputs: list[Input] = [Keys("3"), Keys(code + "#"), Keys("1"), Speak(12), Keys("2"), too_long]
    inputs.append(Keys("1"))  # "yes", after the limit has passed
    heard = transcript(app, phone.call(inputs), ["en"])
    assert "danger_again.question" in heard and heard[-1] == "goodbye.bye"
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        assert (report.priority, report.in_danger_now) == ("immediate", True)
        pages = session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.kind == "alert.new_report")
        ).all()
    assert len(pages) == 2  # the report when made, and paging now
