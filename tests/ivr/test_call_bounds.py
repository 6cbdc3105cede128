"""Every call ends: each loop of the call flow walked to its bound, by tries and by time.

At the bound the caller hears, in their language, where else to get help (the kiosk,
staff, Samaritans on 116 123) and the line hangs up. A caller whose call made a report
hears their code first.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from safeguarding.clock import FixedClock
from safeguarding.codes import derive_code
from safeguarding.services import Services
from tests.factories import submit
from tests.ivr.conftest import Line
from tests.ivr.emulator import (
    CallLog,
    Input,
    Keys,
    SayNothing,
    Silence,
    Speak,
    TwilioEmulator,
    Wait,
)
from tests.ivr.transcript import transcript

HELP_AND_GOODBYE = ["limit.end", "limit.other", "goodbye.thanks", "goodbye.listener"]


def ends_with_help(app: Flask, log: CallLog, language: str = "en") -> list[str]:
    assert log.ended_by == "hangup-verb", log.ended_by
    assert not log.problems, log.problems
    heard = transcript(app, log, [language])
    tail = heard[heard.index("limit.end") :]
    assert tail[: len(HELP_AND_GOODBYE)] == HELP_AND_GOODBYE
    assert tail[-2:] == ["goodbye.samaritans", "goodbye.bye"]
    return heard


def mistyped(n: int) -> str:
    code = derive_code(b"a guesser", f"typo-{n}", 0)
    return code[:-1] + str((int(code[-1]) + 1) % 10)  # the check digit no longer fits


def test_mistyped_codes_stars_and_hashes_end_the_call(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    """80 tries used to keep the line asking for more: mistyped codes are not counted as
    guesses (they cannot find anyone's report), but they are tries at this call's loop."""
    tries = services.policy.phone.code_entry_tries
    junk = [mistyped(0) + "#", "*#", "**12#", "1#", "12*#", mistyped(1) + "#"]
    inputs: list[Input] = [Keys("3"), *(Keys(junk[n % len(junk)]) for n in range(80))]
    log = phone.call(inputs)
    heard = ends_with_help(app, log)
    assert heard.count("lookup.wrong") == tries  # each try answered, then the bound
    assert len(log.exchanges) < tries + 6


def test_silences_at_the_code_end_the_call(app: Flask, phone: TwilioEmulator) -> None:
    log = phone.call([Keys("3"), *[Silence()] * 20])
    assert log.ended_by == "hangup-verb"
    assert transcript(app, log, ["en"]).count("lookup.type") == 3  # asked three times


def test_keys_that_do_nothing_end_the_call(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    bound = services.policy.phone.invalid_keys
    log = phone.call([Keys("7")] * 50)
    heard = ends_with_help(app, log)
    assert heard.count("common.wrong_key") == bound


def test_asking_to_hear_it_again_forever_ends_the_call(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("0")] * 50)
    ends_with_help(app, log)
    assert len(log.exchanges) == services.policy.phone.repeats + 3  # voice, repeats, end, status


def test_silence_everywhere_ends_the_call(app: Flask, phone: TwilioEmulator) -> None:
    """Each question is asked three times, then the call moves on, to the end."""
    log = phone.call([*[Silence()] * 6, SayNothing()])
    assert log.ended_by == "hangup-verb"
    assert transcript(app, log, ["en"])[-1] == "goodbye.bye"


def test_going_back_and_forth_ends_the_call(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("2"), Keys("9")] * 60)
    heard = ends_with_help(app, log)
    assert "code.yours" not in heard  # no report was made
    assert len(log.exchanges) <= services.policy.phone.answers + 3


def test_listening_back_forever_ends_with_the_code_read_first(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    report: list[Input] = [
        Keys("2"),
        Keys("1"),
        Keys("2"),
        Keys("1"),
        Keys("2"),
        Keys("2"),
        Speak(10),
    ]
    log = phone.call([*report, *[Keys("1")] * 80, Silence(), Silence()])
    assert log.ended_by == "hangup-verb" and not log.problems
    heard = transcript(app, log, ["en"])
    assert heard.index("limit.end") < heard.index("code.yours")  # the code, then goodbye
    assert heard[-1] == "goodbye.bye"


def test_a_call_that_goes_on_too_long_ends(
    app: Flask, phone: TwilioEmulator, services: Services, clock: FixedClock
) -> None:
    """By time: a caller who answers slowly but never finishes."""
    step = services.policy.phone.call_time / 4
    later = Wait(lambda: clock.advance(step))
    slowly: list[Input] = [Keys("2"), later, Keys("9"), later, Keys("2"), later, Keys("9")]
    log = phone.call(slowly * 3)
    ends_with_help(app, log)
    # the first answer past 20 minutes ends it (the answers bound is far off)
    assert len(log.exchanges) <= 9


def test_time_at_the_code_is_bounded_too(
    app: Flask, phone: TwilioEmulator, services: Services, clock: FixedClock, line: Line
) -> None:
    receipt = submit(services, line.establishment_id)
    later = Wait(lambda: clock.advance(services.policy.phone.code_entry_time))
    log = phone.call([Keys("3"), later, Keys("1#"), later, Keys(receipt.code + "#")])
    heard = ends_with_help(app, log)
    assert "status.received" not in heard


def test_the_bound_speaks_the_callers_language(
    app: Flask, client: object, services: Services
) -> None:
    from tests.ivr.conftest import AUTH_TOKEN, add_line

    line = add_line(services, languages="cy,en")
    phone = TwilioEmulator(app.test_client(), auth_token=AUTH_TOKEN, to=line.number)
    log = phone.call([Keys("1"), *[Keys("7")] * 30])
    ends_with_help(app, log, "cy")
    assert timedelta(0) < services.policy.phone.call_time
