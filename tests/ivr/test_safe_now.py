"""'Are you safe now?' on the phone (issue 15.5): a caller who reported someone calls back
with their code while a retaliation check-in on their report is due. Asked before the
status, one key; each answer stored by the key that gives it; "No" is danger; 9 or silence
moves on to the status, where leaving a message is as before."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.wishes import Feelings
from storage.models import Report, RetaliationCheckIn
from tests.factories import submit
from tests.ivr.conftest import Line
from tests.ivr.emulator import HangUp, Keys, Silence, TwilioEmulator, Wait
from tests.ivr.test_call_flow import assert_clean
from tests.ivr.test_wishes import feelings_of
from tests.ivr.transcript import transcript
from tests.kiosk.test_followup_danger import add_lead, outbox

HAVE_A_CODE = Keys("3")


def named_report(services: Services, line: Line) -> tuple[int, str]:
    receipt = submit(services, line.establishment_id, concerns=["hurting_me"])
    return receipt.report_id, receipt.code


def answers(services: Services, report_id: int) -> list[tuple[str | None, str | None]]:
    with services.db.transaction() as session:
        rows = session.scalars(
            select(RetaliationCheckIn)
            .where(RetaliationCheckIn.report_id == report_id)
            .order_by(RetaliationCheckIn.number)
        )
        return [(c.reporter_answer, c.outcome) for c in rows]


def priority(services: Services, report_id: int) -> str:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        return report.priority


def test_not_due_the_caller_hears_the_status_at_once(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    report_id, code = named_report(services, line)
    clock.advance(timedelta(days=29))
    log = phone.call([HAVE_A_CODE, Keys(code + "#"), HangUp()])
    heard = transcript(app, log, ["en"])
    assert "safe_now.question" not in heard and "status.received" in heard
    assert answers(services, report_id) == [(None, None)] * 3


def test_due_yes_is_kept_then_the_status_as_before(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    report_id, code = named_report(services, line)
    clock.advance(timedelta(days=31))
    log = phone.call([HAVE_A_CODE, Keys(code + "#"), Keys("1"), HangUp()])
    heard = transcript(app, log, ["en"])
    asked = heard.index("safe_now.question")
    # Yes and no are the sentences every yes/no question uses (named by their first use).
    assert heard[asked + 3 : asked + 5] == ["safe_now.not_saying", "doing.skip"]
    assert asked < heard.index("wishes.thanks") < heard.index("status.received")
    assert answers(services, report_id)[0] == ("yes", "safe")
    assert priority(services, report_id) != "immediate"


def test_no_is_danger_stored_at_once_and_a_hang_up_keeps_it(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    add_lead(services, line.establishment_id)
    report_id, code = named_report(services, line)
    clock.advance(timedelta(days=31))
    log = phone.call([HAVE_A_CODE, Keys(code + "#"), Keys("2"), HangUp()])
    heard = transcript(app, log, ["en"])
    assert heard.index("danger.sent") < heard.index("status.received")
    assert answers(services, report_id)[0] == ("no", "not_safe")
    assert priority(services, report_id) == "immediate"
    kinds = [kind for kind, _ in outbox(services, report_id)]
    assert kinds.count("alert.new_report") == 2  # the report, and the page for this "No"


def test_i_do_not_want_to_say_leaves_the_check_in_to_staff_and_is_not_asked_again(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    report_id, code = named_report(services, line)
    clock.advance(timedelta(days=31))
    phone.call([HAVE_A_CODE, Keys(code + "#"), Keys("3"), HangUp()])
    assert answers(services, report_id)[0] == ("not_saying", None)
    log = phone.call([HAVE_A_CODE, Keys(code + "#"), HangUp()])
    assert "safe_now.question" not in transcript(app, log, ["en"])


def test_nine_skips_to_the_status_and_a_message_can_still_be_left(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    report_id, code = named_report(services, line)
    clock.advance(timedelta(days=31))
    log = phone.call([HAVE_A_CODE, Keys(code + "#"), Keys("9"), Keys("1"), HangUp()])
    heard = transcript(app, log, ["en"])
    assert heard.index("safe_now.question") < heard.index("status.received")
    assert heard.index("lookup.add") < heard.index("message.tone")  # the message, as before
    assert answers(services, report_id) == [(None, None)] * 3


def test_silence_moves_on_to_the_status_after_asking_twice(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    report_id, code = named_report(services, line)
    clock.advance(timedelta(days=31))
    log = phone.call([HAVE_A_CODE, Keys(code + "#"), Silence(), Silence(), HangUp()])
    heard = transcript(app, log, ["en"])
    assert heard.count("safe_now.question") == 2
    assert "status.received" in heard
    assert answers(services, report_id) == [(None, None)] * 3


def test_a_wrong_code_never_hears_that_a_check_in_is_due(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    _, code = named_report(services, line)
    clock.advance(timedelta(days=31))
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    log = phone.call([HAVE_A_CODE, Keys(wrong + "#"), HangUp()])
    assert_clean(log)
    heard = transcript(app, log, ["en"])
    assert "safe_now.question" not in heard and "lookup.wrong" in heard


def test_after_are_you_safe_now_did_we_does_not_ask_do_you_feel_safer_too(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    report_id, code = named_report(services, line)
    clock.advance(timedelta(days=31))
    keys = [Keys("1"), Keys("2"), Keys("1")]  # safe now: yes; feelings; did we: yes
    log = phone.call([HAVE_A_CODE, Keys(code + "#"), *keys])
    heard = transcript(app, log, ["en"])
    assert "did_we.question" in heard and "safer.question" not in heard
    assert feelings_of(services, report_id) == Feelings(did_we="yes", safer=None)


def test_a_no_given_just_as_the_call_reaches_its_time_limit_is_still_danger(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line, clock: FixedClock
) -> None:
    """The caller took their time: the "No" is the answer past the call's limit. The call
    ends with where else to get help, and the "No" is kept and pages as any other."""
    add_lead(services, line.establishment_id)
    report_id, code = named_report(services, line)
    clock.advance(timedelta(days=31))
    limit = services.policy.phone.call_time
    too_long = Wait(lambda: clock.advance(limit + timedelta(seconds=1)))
    log = phone.call([HAVE_A_CODE, Keys(code + "#"), too_long, Keys("2")])
    heard = transcript(app, log, ["en"])
    assert "limit.end" in heard and heard[-1] == "goodbye.bye"
    assert answers(services, report_id)[0] == ("no", "not_safe")
    assert priority(services, report_id) == "immediate"
    assert [kind for kind, _ in outbox(services, report_id)].count("alert.new_report") == 2
