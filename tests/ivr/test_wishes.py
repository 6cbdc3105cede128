"""What the caller wants (issue 15.1), asked on the phone only once the report is safe.

After the code: "what do you want to happen?" (one key) and "can we tell other people?".
With a code: "did we do what you wanted?" and "do you feel safer?". Each answer is sealed
on the report's timeline as it is given; silence or a hang-up keeps what was said so far.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from ivr.wish_prompts import DID_WE_KEYS, SAFER_KEYS, SHARING_KEYS, WANT_KEYS
from safeguarding.services import Services
from safeguarding.wishes import (
    FEELINGS_KIND,
    WISHES_KIND,
    Feelings,
    Wishes,
    latest_feelings,
    latest_wishes,
)
from storage.models import CallSession, Report, TimelineEvent
from storage.sealed_fields import TIMELINE_BODY
from tests.core.test_storage import _raw_database_bytes
from tests.factories import submit
from tests.ivr.conftest import AUTH_TOKEN, Line, row_counts
from tests.ivr.emulator import (
    HangUp,
    Input,
    Keys,
    SayNothing,
    Silence,
    TwilioEmulator,
    Wait,
    signed_post,
)
from tests.ivr.test_call_bounds import ends_with_help
from tests.ivr.test_call_flow import REPORT_TO_CODE, assert_clean, only_report, the_call
from tests.ivr.transcript import transcript

AFTER_THE_CODE = Keys("5")  # any key but star at the code: on to the question


def events(services: Services, kind: str) -> list[TimelineEvent]:
    with services.db.transaction() as session:
        return list(
            session.scalars(
                select(TimelineEvent).where(TimelineEvent.kind == kind).order_by(TimelineEvent.id)
            )
        )


def wishes_of(services: Services) -> Wishes | None:
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        return latest_wishes(report, services.secrets.vault)


def feelings_of(services: Services, report_id: int) -> Feelings | None:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        return latest_feelings(report, services.secrets.vault)


PAIRS = list(zip(WANT_KEYS, [*SHARING_KEYS, *SHARING_KEYS], strict=False))


@pytest.mark.parametrize(("want_key", "sharing_key"), PAIRS)
def test_each_answer_is_sealed_as_it_is_given_and_never_plain_in_the_database(
    app: Flask,
    phone: TwilioEmulator,
    services: Services,
    database_kind: str,
    database_url: str,
    want_key: str,
    sharing_key: str,
) -> None:
    # 9 skips "Who is doing it?" (issue 14, tests/ivr/test_people.py), the last question.
    log = phone.call(
        [*REPORT_TO_CODE, AFTER_THE_CODE, Keys(want_key), Keys(sharing_key), Keys("9")]
    )
    assert_clean(log)
    assert log.ended_by == "hangup-verb"
    heard = transcript(app, log, ["en"])
    code_read = heard.index("code.keep")
    assert code_read < heard.index("wishes.intro") < heard.index("sharing.question")
    assert heard[heard.index("sharing.question") :].count("wishes.thanks") == 1
    assert heard[-1] == "goodbye.bye"
    want, sharing = WANT_KEYS[want_key], SHARING_KEYS[sharing_key]
    assert wishes_of(services) == Wishes(wants=(want,), sharing=sharing)
    kept = events(services, WISHES_KIND)
    assert len(kept) == 2  # one event for each answer, each sealed; the newest holds both
    assert all(event.actor == "reporter:phone" and event.body_sealed for event in kept)
    with services.db.transaction() as session:
        call = session.scalars(select(CallSession)).one()
        assert want not in call.answers + call.navigation  # the call's state holds no answer
    plain = json.dumps({"wants": [want], "sharing": sharing}, separators=(",", ":"))
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert len(raw) > 10_000  # we really read the stored data
    assert plain.encode() not in raw and b'"wants"' not in raw and b'"sharing"' not in raw


def test_hanging_up_after_the_first_question_keeps_what_the_caller_wants(
    phone: TwilioEmulator, services: Services
) -> None:
    phone.call([*REPORT_TO_CODE, AFTER_THE_CODE, Keys("4"), HangUp()])
    assert wishes_of(services) == Wishes(wants=("police",), sharing=None)
    report = only_report(services)
    assert "call_ended_early" not in [event.kind for event in report.events]  # code heard


def test_silence_at_the_question_leads_to_goodbye_and_stores_nothing(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([*REPORT_TO_CODE, AFTER_THE_CODE, Silence(), Silence(), Silence()])
    heard = transcript(app, log, ["en"])
    assert heard.count("wishes.intro") == 3  # asked three times, as every question
    assert "sharing.question" not in heard and heard[-1] == "goodbye.bye"
    assert log.ended_by == "hangup-verb"
    assert events(services, WISHES_KIND) == []
    assert only_report(services).id  # the report stays


def test_silence_at_the_second_question_keeps_the_first_answer(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([*REPORT_TO_CODE, AFTER_THE_CODE, Keys("2"), *[Silence()] * 3])
    heard = transcript(app, log, ["en"])
    assert heard.count("sharing.question") == 3 and heard[-1] == "goodbye.bye"
    assert "wishes.thanks" not in heard
    assert wishes_of(services) == Wishes(wants=("move",), sharing=None)
    assert len(events(services, WISHES_KIND)) == 1


def test_an_unknown_key_is_explained_and_the_question_asked_again(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([*REPORT_TO_CODE, AFTER_THE_CODE, Keys("7"), Keys("1"), Keys("*"), HangUp()])
    heard = transcript(app, log, ["en"])
    wrong = heard.index("common.wrong_key")
    assert heard.index("wishes.intro") < wrong < heard.index("wishes.intro", wrong)
    again = heard.index("sharing.question")
    assert heard.index("common.wrong_key", again) < heard.index("sharing.question", again + 1)
    assert wishes_of(services) == Wishes(wants=("stop",), sharing=None)


def test_zero_hears_it_again_and_nine_goes_back(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    keys: list[Input] = [Keys("0"), Keys("3"), Keys("0"), Keys("9"), Keys("9")]
    log = phone.call([*REPORT_TO_CODE, AFTER_THE_CODE, *keys, Keys("5"), Keys("5"), Keys("1")])
    heard = transcript(app, log, ["en"])
    assert heard.count("wishes.intro") == 4  # asked, again (0), back from sharing (9), again
    assert heard.count("sharing.question") == 3  # asked, again (0), after the second answer
    assert heard.count("code.yours") == 2  # 9 at the first question reads the code again
    assert wishes_of(services) == Wishes(wants=("just_know",), sharing="yes")


def test_the_report_and_its_code_exist_before_the_question_is_asked(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    seen: list[tuple[str, bool, bool]] = []

    def look() -> None:  # the caller is hearing "what do you want to happen?"
        with services.db.transaction() as session:
            call = session.scalars(select(CallSession)).one()
            report = session.scalars(select(Report)).one()
            seen.append((call.step, report.code_hash is not None, call.report_id == report.id))

    phone.call([*REPORT_TO_CODE, AFTER_THE_CODE, Wait(look), HangUp()])
    assert seen == [("wishes", True, True)]


def test_a_caller_who_made_no_report_never_reaches_the_questions(
    app: Flask, client: FlaskClient, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([Keys("2"), Silence(), Silence(), Silence(), SayNothing()])
    heard = transcript(app, log, ["en"])
    assert "nothing.given" in heard and "wishes.intro" not in heard
    # Straight to the question's webhook, signed as Twilio signs: the call is not there.
    call = the_call(services)
    url = f"http://localhost/ivr/wishes?t={call.turn}&lang=en"
    params = {**phone.base_params(log.call_sid), "Digits": "1"}
    answer = signed_post(client, auth_token=AUTH_TOKEN, url=url, params=params)
    assert answer.status_code == 200  # answered with where the call is: it has ended
    assert the_call(services).step == "goodbye" and events(services, WISHES_KIND) == []
    # A call nobody knows (never made, or purged): sent back to the start, nothing kept.
    before = row_counts(services)
    unknown = {**phone.base_params("CA" + "9" * 32), "Digits": "1"}
    answer = signed_post(client, auth_token=AUTH_TOKEN, url=url, params=unknown)
    assert answer.status_code == 200 and "<Redirect" in answer.get_data(as_text=True)
    assert row_counts(services) == before and row_counts(services)["report"] == 0


def test_a_forged_answer_changes_nothing(
    client: FlaskClient, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([*REPORT_TO_CODE, AFTER_THE_CODE])  # the script runs out at the question
    call = the_call(services)
    assert call.step == "wishes"
    url = f"http://localhost/ivr/wishes?t={call.turn}&lang=en"
    params = {**phone.base_params(log.call_sid), "Digits": "4"}
    forged = RequestValidator("not-the-token").compute_signature(url, params)
    assert client.post(url, data=params, headers={"X-Twilio-Signature": forged}).status_code == 403
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    changed = {**params, "Digits": "1"}
    response = client.post(url, data=changed, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert events(services, WISHES_KIND) == [] and the_call(services).turn == call.turn
    response = client.post(url, data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200  # the real one counts, once
    assert wishes_of(services) == Wishes(wants=("police",), sharing=None)
    again = client.post(url, data=params, headers={"X-Twilio-Signature": signature})
    assert again.status_code == 200 and len(events(services, WISHES_KIND)) == 1  # a retry


def test_keys_that_do_nothing_at_the_question_end_the_call_without_the_code_again(
    app: Flask, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([*REPORT_TO_CODE, AFTER_THE_CODE, *[Keys("7")] * 20])
    heard = ends_with_help(app, log)
    assert heard.count("code.yours") == 1
    assert events(services, WISHES_KIND) == []


# -- a caller with a code ------------------------------------------------------------------


def test_a_caller_with_a_code_says_how_things_are_and_it_is_new_information(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    receipt = submit(services, line.establishment_id)
    log = phone.call([Keys("3"), Keys(receipt.code + "#"), Keys("2"), Keys("2"), Keys("3")])
    assert_clean(log)
    heard = transcript(app, log, ["en"])
    assert heard.index("status.received") < heard.index("lookup.feelings")
    assert heard.index("lookup.feelings") < heard.index("did_we.question")
    assert heard.index("did_we.question") < heard.index("safer.question")
    assert (
        heard.index("wishes.thanks") < heard.index("goodbye.bye") and log.ended_by == "hangup-verb"
    )
    assert feelings_of(services, receipt.report_id) == Feelings(did_we="partly", safer="not_sure")
    assert len(events(services, FEELINGS_KIND)) == 2  # each answer as it was given
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None and report.new_information_at is not None
    bodies = [
        TIMELINE_BODY.open(services.secrets.vault, e) for e in events(services, FEELINGS_KIND)
    ]
    assert all(body is not None and b"did_we" in body for body in bodies)


@pytest.mark.parametrize(("did_key", "safer_key"), list(zip(DID_WE_KEYS, SAFER_KEYS, strict=True)))
def test_each_feeling_is_kept(
    phone: TwilioEmulator, services: Services, line: Line, did_key: str, safer_key: str
) -> None:
    receipt = submit(services, line.establishment_id)
    phone.call([Keys("3"), Keys(receipt.code + "#"), Keys("2"), Keys(did_key), Keys(safer_key)])
    expected = Feelings(did_we=DID_WE_KEYS[did_key], safer=SAFER_KEYS[safer_key])
    assert feelings_of(services, receipt.report_id) == expected


def test_a_hang_up_after_did_we_keeps_it_and_silence_stores_nothing_more(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    receipt = submit(services, line.establishment_id)
    phone.call([Keys("3"), Keys(receipt.code + "#"), Keys("2"), Keys("3"), HangUp()])
    assert feelings_of(services, receipt.report_id) == Feelings(did_we="no", safer=None)
    log = phone.call([Keys("3"), Keys(receipt.code + "#"), Keys("2"), *[Silence()] * 3])
    heard = transcript(app, log, ["en"])
    assert heard.count("did_we.question") == 3 and heard[-1] == "goodbye.bye"
    assert len(events(services, FEELINGS_KIND)) == 1  # the silent call added nothing


def test_nine_goes_back_to_the_status_and_zero_repeats(
    app: Flask, phone: TwilioEmulator, services: Services, line: Line
) -> None:
    receipt = submit(services, line.establishment_id)
    keys = [Keys("2"), Keys("0"), Keys("9"), Keys("2"), Keys("1"), Keys("9"), Keys("1"), Keys("1")]
    log = phone.call([Keys("3"), Keys(receipt.code + "#"), *keys])
    heard = transcript(app, log, ["en"])
    assert heard.count("status.received") == 2  # heard, and again after 9
    assert heard.count("did_we.question") == 4  # asked, 0, after the status, back from safer
    assert feelings_of(services, receipt.report_id) == Feelings(did_we="yes", safer="yes")


def test_the_feelings_questions_are_not_asked_of_a_call_that_made_a_report(
    app: Flask, client: FlaskClient, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call([*REPORT_TO_CODE, AFTER_THE_CODE, HangUp()])
    call = the_call(services)
    url = f"http://localhost/ivr/did-we?t={call.turn}&lang=en"
    params = {**phone.base_params(log.call_sid), "Digits": "1"}
    signed_post(client, auth_token=AUTH_TOKEN, url=url, params=params)
    assert events(services, FEELINGS_KIND) == []
    assert "lookup.feelings" not in transcript(app, log, ["en"])
