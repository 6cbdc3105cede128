"""How many keys and how many seconds of prompts someone in danger needs on the phone.

From the start of the call: until the report is committed (the caller hears "danger.sent")
and until the follow-up code is read out ("code.yours"). Seconds are the real durations of
the prompt audio the line renders, listened to in full (a caller may press sooner: Gather
listens while a prompt plays). The bounds fail the test when a new question lengthens the
danger journey; docs/phone-line.md, "Journey for someone in danger", has the figures.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from ivr.settings import IvrSettings
from safeguarding.services import Services
from speech.checks import check_audio
from storage.models import Report
from tests.ivr.emulator import CallLog, HangUp, Input, Keys, SayNothing, TwilioEmulator
from tests.ivr.transcript import transcript

# Measured 2026-12-05 (espeak-ng prompts, English): 1 key and 19.1 s of prompts until the
# report is committed; 8 keys (the wing among them), no name, no message and 134.9 s of
# prompts until the code (plus the quiet the line waits for at each tone). Some slack for
# another voice's speed.
MAX_KEYS_TO_REPORT = 1
MAX_KEYS_TO_CODE = 8
MAX_SECONDS_TO_REPORT = 30.0
MAX_SECONDS_TO_CODE = 150.0


def danger_call(who: str) -> list[Input]:
    return [
        Keys("1"),  # someone is in danger: the report is made now
        Keys(who),  # 1: me, 2: someone else
        Keys("1"),  # where to send help: the first wing
        SayNothing(),  # no name and cell
        Keys("1"),  # the first concern offered
        Keys("2"),  # nothing else
        Keys("2"),  # about: someone else
        Keys("2"),  # nobody hurt
        Keys("2"),  # no staff
        SayNothing(),  # no voice message: the code comes next
        Keys("5"),  # done with the code: what do you want to happen? (after the code)
        HangUp(),  # the caller hangs up: the report and its code stay
    ]


def keys_before(log: CallLog, exchange_index: int) -> int:
    return sum(len(e.params.get("Digits", "")) for e in log.exchanges[: exchange_index + 1])


def seconds_until(app: Flask, log: CallLog, settings: IvrSettings, prompt: str) -> float:
    """Seconds of audio heard up to and including ``prompt`` (pauses counted)."""
    heard = transcript(app, log, ["en"])
    until = heard.index(prompt) + 1
    cache = settings.renderer.cache_dir
    seconds = 0.0
    for item in log.heard[:until]:
        if item.verb == "Pause":
            seconds += float(item.value)
        elif item.verb == "Play":
            parts = item.value.split("/")
            seconds += check_audio(cache / parts[-2] / parts[-1]).duration_seconds
    return seconds


def exchange_that_played(log: CallLog, app: Flask, prompt: str) -> int:
    """The index of the request whose answer played ``prompt`` (what the caller pressed
    to get there is in that request's Digits)."""
    names = transcript(app, log, ["en"])
    url = next(h.value for h, name in zip(log.heard, names, strict=True) if name == prompt)
    return next(i for i, e in enumerate(log.exchanges) if url in e.body)


def measure(app: Flask, phone: TwilioEmulator, settings: IvrSettings, who: str) -> None:
    log = phone.call(danger_call(who))
    assert log.ended_by == "caller" and not log.problems
    heard = transcript(app, log, ["en"])
    assert heard.index("wishes.intro") > heard.index("code.keep")  # asked after the code
    to_report = keys_before(log, exchange_that_played(log, app, "danger.sent"))
    to_code = keys_before(log, exchange_that_played(log, app, "code.yours"))
    report_seconds = seconds_until(app, log, settings, "danger.sent")
    code_seconds = seconds_until(app, log, settings, "code.yours")
    print(
        f"phone ({who}): {to_report} key(s), {report_seconds:.1f} s to the report; "
        f"{to_code} keys, {code_seconds:.1f} s to the code"
    )
    assert to_report <= MAX_KEYS_TO_REPORT and report_seconds <= MAX_SECONDS_TO_REPORT
    assert to_code <= MAX_KEYS_TO_CODE and code_seconds <= MAX_SECONDS_TO_CODE


def test_a_caller_in_danger_is_reported_after_one_key(
    app: Flask, phone: TwilioEmulator, ivr_settings: IvrSettings, services: Services
) -> None:
    measure(app, phone, ivr_settings, "1")
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
    assert report.in_danger_now and report.priority == "immediate"


def test_a_witness_on_the_phone_is_reported_after_one_key(
    app: Flask, phone: TwilioEmulator, ivr_settings: IvrSettings, services: Services
) -> None:
    measure(app, phone, ivr_settings, "2")
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
    assert report.someone_else_in_danger_now and report.priority == "immediate"


def test_hanging_up_after_the_first_key_keeps_the_report(
    phone: TwilioEmulator, services: Services
) -> None:
    phone.call([Keys("1"), HangUp()])
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
    assert report.in_danger_now and report.priority == "immediate"
