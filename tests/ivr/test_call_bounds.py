"""Every call ends: each loop of the call flow walked to its bound, by tries and by time.

At the bound the caller hears, in their language, where else to get help (the kiosk,
staff, Samaritans on 116 123) and the line hangs up. A caller whose call made a report
hears their code first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from ivr.settings import IvrSettings
from safeguarding.clock import FixedClock
from safeguarding.codes import derive_code
from safeguarding.services import Services
from speech.checks import check_audio
from storage.models import OutboxMessage, Report
from tests.factories import submit
from tests.ivr.conftest import AUTH_TOKEN, Line, add_line
from tests.ivr.emulator import (
    CallLog,
    HangUp,
    Input,
    Keys,
    SayNothing,
    Silence,
    Speak,
    TwilioEmulator,
    Wait,
)
from tests.ivr.transcript import _PLAY, prompt_names, transcript

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


def _seconds_until(app: Flask, body: str, language: str, cache: Path, last: str) -> float:
    """Prompt time of one answer of the line, from its start to the end of ``last``."""
    names = prompt_names(app, [language])
    total = 0.0
    for play in ET.fromstring(body).iter("Play"):  # noqa: S314  (our own TwiML)
        lang, file_name = play.text.split("/")[-2:] if play.text else ("", "")
        total += check_audio(cache / lang / file_name).duration_seconds
        match = _PLAY.search(play.text or "")
        if match is not None and names.get((match["language"], match["key"])) == last:
            return total
    raise AssertionError(f"{last} was not said")


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_full_immediate_call_pages_with_the_wing_within_60_seconds(
    app: Flask, services: Services, client: FlaskClient, ivr_settings: IvrSettings, language: str
) -> None:
    """Someone is in danger; someone else; the last wing of the list. The caller listens
    to each menu up to the entry they choose. The page (queued at the first key) names
    the wing as soon as the wing key is pressed: that must be within 60 s of prompts."""
    line = add_line(services, languages=language)
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number)
    log = phone.call([Keys("1"), Keys("2"), Keys("3"), SayNothing(), HangUp()])
    cache = ivr_settings.renderer.cache_dir
    bodies = [exchange.body for exchange in log.exchanges]
    seconds = sum(
        _seconds_until(app, body, language, cache, last)
        for body, last in zip(
            bodies, ["start.danger", "danger.someone_else", "wing.key.3"], strict=False
        )
    )
    print(f"{language}: the wing is chosen after {seconds:.1f} s of prompts")
    assert seconds <= 60.0, f"the wing is chosen after {seconds:.1f} s"
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        kinds = session.scalars(select(OutboxMessage.kind)).all()
        assert report.priority == "immediate" and report.location_id is not None
    assert "alert.new_report" in kinds
