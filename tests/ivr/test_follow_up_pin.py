"""A code kept safe at the kiosk, on the phone (issue 17.3).

Given a code kept safe with 4 numbers, the caller types the code, is asked for the numbers
on the keypad, and hears their report only with the right ones; wrong ones count as wrong
codes. Given a code kept safe with pictures, the caller is told to use a kiosk. Neither the
code nor the PIN is kept in the call record.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from safeguarding.code_secrets import set_code_secret
from safeguarding.services import Services
from storage.models import CallSession, Report
from tests.factories import send_standard_message, submit
from tests.ivr.conftest import Line
from tests.ivr.emulator import HangUp, Keys, TwilioEmulator
from tests.ivr.test_call_flow import assert_clean
from tests.ivr.transcript import transcript

PIN = "4071"


def a_kept_safe_report(services: Services, line: Line, kind: str, chosen: list[str]) -> str:
    receipt = submit(services, line.establishment_id)
    send_standard_message(services, receipt.report_id, "will_speak", status="acknowledged")
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        set_code_secret(session, report=report, kind=kind, chosen=chosen, clock=services.clock)
    return receipt.code


def test_a_code_with_a_pin_asks_for_it_and_then_opens_the_report(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    code = a_kept_safe_report(services, line, "pin", list(PIN))
    log = phone.call([Keys("3"), Keys(code + "#"), Keys("9999"), Keys(PIN), HangUp()])
    assert_clean(log)
    heard = transcript(app, log, ["en"])
    asked = heard.index("secret.needs_pin")
    assert heard.index("secret.wrong") > asked
    assert heard.index("status.being_looked_at") > heard.index("secret.wrong")
    with services.db.transaction() as session:
        for call in session.scalars(select(CallSession)).all():
            kept = f"{call.navigation} {call.answers} {call.step}"
            assert code not in kept and PIN not in kept


def test_the_code_alone_says_nothing_of_the_report(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    code = a_kept_safe_report(services, line, "pin", list(PIN))
    log = phone.call([Keys("3"), Keys(code + "#"), HangUp()])
    heard = transcript(app, log, ["en"])
    assert "secret.needs_pin" in heard
    about_the_report = ("status.", "message.", "lookup.messages")
    assert not [said for said in heard if said.startswith(about_the_report)]


def test_wrong_pins_are_refused_after_the_limit(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    code = a_kept_safe_report(services, line, "pin", list(PIN))
    wrong = [Keys(f"{n:04d}") for n in (1111, 2222, 3333, 5555)]  # with the code: five tries
    log = phone.call([Keys("3"), Keys(code + "#"), *wrong, Keys(PIN)])
    heard = transcript(app, log, ["en"])
    assert "lookup.refused" in heard
    assert not [said for said in heard if said.startswith("status.")]


def test_a_picture_code_is_sent_to_a_kiosk(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    code = a_kept_safe_report(services, line, "pictures", ["sun", "moon", "star", "tree"])
    log = phone.call([Keys("3"), Keys(code + "#")])
    heard = transcript(app, log, ["en"])
    assert heard.index("secret.use_kiosk") > heard.index("secret.needs_pictures")
    assert not [said for said in heard if said.startswith("status.")]
