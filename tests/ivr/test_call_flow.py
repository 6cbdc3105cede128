"""Whole calls through the emulator: every path ends in a report with the right answers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask import Flask
from sqlalchemy import select

from safeguarding.codes import derive_code, group
from safeguarding.services import Services
from storage.models import CallSession, OutboxMessage, Recording, Report
from storage.sealed_fields import CALL_NONCE
from tests.ivr.conftest import row_counts
from tests.ivr.emulator import (
    CallLog,
    HangUp,
    Input,
    Keys,
    SayNothing,
    Silence,
    Speak,
    TwilioEmulator,
)
from tests.ivr.transcript import digits_read, transcript

REPORT_TO_CODE: list[Input] = [
    Keys("2"),  # tell us about something
    Keys("4"),  # page 1, choice 4: made to pay
    Keys("1"),  # something else too: yes
    Keys("8"),  # more choices
    Keys("2"),  # page 2, choice 2: bullied
    Keys("2"),  # nothing else
    Keys("1"),  # about me
    Keys("2"),  # nobody hurt
    Keys("2"),  # no staff
    Speak(40),
    Keys("2"),  # keep the message: the code is read out
]
REPORT_ABOUT_ME_NO_STAFF: list[Input] = [
    *REPORT_TO_CODE,
    Keys("5"),  # after the code: on to what the caller wants
    Keys("5"),  # "I just want you to know"
    Keys("3"),  # "ask me first": thanks
    Keys("9"),  # "Who is doing it?" skipped (issue 14): goodbye
]


def only_report(services: Services) -> Report:
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        _ = (report.answers, report.categories, report.events, report.recordings)
        return report


def the_call(services: Services) -> CallSession:
    with services.db.transaction() as session:
        return session.scalars(select(CallSession)).one()


def assert_clean(log: CallLog) -> None:
    assert log.problems == []
    for exchange in log.exchanges:
        root = ET.fromstring(exchange.body)  # noqa: S314
        for gather in root.iter("Gather"):
            assert int(gather.get("timeout", "5")) >= 10, "callers get at least 10 seconds"


def test_a_full_report_call_ends_in_a_report_with_the_answers(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call(REPORT_ABOUT_ME_NO_STAFF)
    assert_clean(log)
    assert log.ended_by == "hangup-verb"
    report = only_report(services)
    assert report.channel == "phone" and report.language == "en"
    answers = {(a.question, a.answer) for a in report.answers}
    assert answers == {
        ("concern", "made_to_pay"),
        ("concern", "bullied"),
        ("about", "me"),
        ("staff_involved", "no"),
    }
    assert {c.category for c in report.categories} >= {"bullying_debt", "financial"}
    assert report.staff_involved == "no" and report.queue == "general"
    assert report.priority == "standard"
    assert len(report.recordings) == 1 and report.recordings[0].status == "pending"
    assert not any(event.kind == "call_ended_early" for event in report.events)
    assert the_call(services).status == "completed"


def test_the_code_is_read_twice_in_groups_of_four_and_works(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([*REPORT_TO_CODE, Keys("*"), Keys("5")])
    heard = transcript(app, log, ["en"])
    report, call = only_report(services), the_call(services)
    nonce = CALL_NONCE.open_text(services.secrets.vault, call) or ""
    code = derive_code(services.secrets.code_pepper, nonce, report.code_attempt)
    start = heard.index("code.sent")
    assert heard.index("code.repeat") > heard.index("code.again") > start
    # Read twice, then twice again after the star key.
    assert digits_read(heard[start:]) == code * 4
    readout = heard[heard.index("code.yours") + 1 : heard.index("code.again")]
    expected: list[str] = []
    for chunk in group(code):
        expected += [f"digit.{d}" for d in chunk] + ["pause"]
    assert readout == expected


def test_in_danger_now_makes_an_immediate_report_at_once_and_still_takes_the_message(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    # Someone in danger: me; on A Wing; no name said (skipped).
    log = phone.call([Keys("1"), Keys("1"), Keys("1"), SayNothing(), HangUp()])
    heard = transcript(app, log, ["en"])
    assert heard.index("danger.sent") > heard.index("danger.officer")
    assert heard.index("danger.someone_else") > heard.index("danger.sent")
    assert "concern.intro" in heard  # the call goes on to what is happening
    report = only_report(services)
    assert report.in_danger_now and report.priority == "immediate"
    with services.db.transaction() as session:
        kinds = session.scalars(select(OutboxMessage.kind)).all()
    assert "alert.new_report" in kinds


def test_a_concern_that_names_staff_goes_to_the_restricted_queue(
    phone: TwilioEmulator, services: Services
) -> None:
    phone.call([Keys("2"), Keys("8"), Keys("8"), Keys("2"), HangUp()])  # staff_bad
    report = only_report(services)
    assert report.staff_involved == "yes" and report.queue == "restricted"
    assert report.priority == "high"


def test_self_harm_raises_the_priority_of_the_report_during_the_call(
    phone: TwilioEmulator, services: Services
) -> None:
    script: list[Input] = [
        Keys("2"),
        Keys("2"),
        Keys("1"),
        Keys("8"),
        Keys("8"),
        Keys("1"),
        HangUp(),
    ]
    phone.call(script)  # threatening_me, then hurting_myself
    report = only_report(services)
    assert report.priority == "immediate" and report.self_harm_risk and report.acct_prompted
    with services.db.transaction() as session:
        kinds = session.scalars(select(OutboxMessage.kind)).all()
    assert sorted(kinds) == ["alert.new_report", "alert.priority_raised"]


def test_zero_repeats_and_nine_goes_back(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("2"), Keys("0"), Keys("8"), Keys("9"), Keys("9"), Keys("2"), HangUp()])
    heard = transcript(app, log, ["en"])
    assert heard.count("concern.intro") == 4  # asked, repeated, back from page 2, again
    assert heard.count("start.danger") == 2  # 9 from the first page of choices
    assert row_counts(services)["report"] == 0  # nothing chosen, nothing made up


def test_silence_repeats_the_question_then_moves_on_without_losing_anything(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("2"), Keys("1"), Silence(), Silence(), Silence(), HangUp()])
    heard = transcript(app, log, ["en"])
    assert heard.count("another.question") == 3
    assert "about.me" in heard  # moved on after the third silence
    assert [a.answer for a in only_report(services).answers] == ["hurting_me"]


def test_an_unknown_key_is_explained_and_the_question_asked_again(
    app: Flask, phone: TwilioEmulator
) -> None:
    log = phone.call([Keys("7"), HangUp()])
    heard = transcript(app, log, ["en"])
    assert heard.index("common.wrong_key") < heard.index("start.danger", 1)


def test_a_voice_message_alone_is_a_report(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("2"), Silence(), Silence(), Silence(), Speak(12), Keys("2"), Keys("5")])
    assert "message.tone" in transcript(app, log, ["en"])
    report = only_report(services)
    assert report.answers == [] and len(report.recordings) == 1
    assert report.details_sealed is None  # nothing invented on the caller's behalf


def test_listening_back_plays_the_message_and_recording_again_replaces_it(
    phone: TwilioEmulator, services: Services
) -> None:
    script = [Keys("2"), Keys("1"), Keys("2"), Keys("2"), Keys("2"), Keys("3")]
    log = phone.call([*script, Speak(10), Keys("1"), Keys("3"), Speak(20), Keys("2"), Keys("5")])
    first_url = next(e.params["RecordingUrl"] for e in log.exchanges if "RecordingUrl" in e.params)
    assert first_url in log.played()
    with services.db.transaction() as session:
        recordings = session.scalars(select(Recording).order_by(Recording.id)).all()
        assert [(r.duration_seconds, r.replaced) for r in recordings] == [(10, True), (20, False)]


def test_an_empty_recording_leads_on_to_the_code(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    keys = [Keys("2"), Keys("1"), Keys("2"), Keys("1"), Keys("2"), Keys("2")]
    log = phone.call([*keys, SayNothing()])
    heard = transcript(app, log, ["en"])
    assert heard.index("code.sent") > heard.index("message.none")
    assert only_report(services).recordings == []


def test_a_caller_who_gives_nothing_makes_no_report_and_hears_so(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("2"), Silence(), Silence(), Silence(), SayNothing()])
    heard = transcript(app, log, ["en"])
    assert "nothing.given" in heard and "code.sent" not in heard
    assert row_counts(services)["report"] == 0


def test_silence_after_the_code_asks_what_the_caller_wants_then_ends_kindly(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([*REPORT_TO_CODE, *[Silence()] * 4])
    heard = transcript(app, log, ["en"])
    assert heard.count("code.yours") == 1 and heard.count("wishes.intro") == 3
    assert heard[-1] == "goodbye.bye" and log.ended_by == "hangup-verb"
    assert the_call(services).status == "completed"
    assert "reporter_wishes" not in [event.kind for event in only_report(services).events]


def test_a_call_that_made_a_report_cannot_switch_to_another_report(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("1"), Keys("9"), Keys("3"), HangUp()])  # danger, back, "a code"
    heard = transcript(app, log, ["en"])
    assert "common.wrong_key" in heard and "lookup.type" not in heard
    assert the_call(services).report_id == only_report(services).id


def test_a_cellmate_reporting_an_assault_in_progress_files_an_immediate_report(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    # Someone is in danger now; it is someone else; on B Wing; no name; "I am worried
    # about someone else" (page 3, choice 4), then the line drops.
    danger: list[Input] = [Keys("1"), Keys("2"), Keys("2"), SayNothing()]
    log = phone.call([*danger, Keys("8"), Keys("8"), Keys("4"), HangUp()])
    assert_clean(log)
    heard = transcript(app, log, ["en"])
    assert heard.index("danger.sent") < heard.index("danger.someone_else")
    assert heard.index("danger.continue") > heard.index("danger.someone_else")
    report = only_report(services)
    assert report.priority == "immediate"
    assert report.someone_else_in_danger_now and not report.in_danger_now
    assert report.about_someone_else
    assert ("concern", "worried_someone_else") in {(a.question, a.answer) for a in report.answers}
    with services.db.transaction() as session:
        kinds = session.scalars(select(OutboxMessage.kind)).all()
    assert kinds.count("alert.new_report") == 1  # paged once, when "someone" was said


def test_silence_after_someone_in_danger_keeps_it_immediate_as_the_caller(
    phone: TwilioEmulator, services: Services
) -> None:
    phone.call([Keys("1"), Silence(), Silence(), Silence(), HangUp()])
    report = only_report(services)
    assert report.priority == "immediate" and report.in_danger_now
    assert not report.someone_else_in_danger_now
