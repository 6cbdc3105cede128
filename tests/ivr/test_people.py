"""Who is doing it (issue 14), asked on the phone after the code and the wishes questions.

One key, saved as it is given (a hang-up keeps it), as a kind of person only: a name cannot
be typed on a keypad. 9 or silence saves nothing and ends the call politely.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from ivr.wish_prompts import DOING_KEYS
from safeguarding.services import Services
from storage.models import ReportPerson
from tests.ivr.conftest import AUTH_TOKEN
from tests.ivr.emulator import HangUp, Keys, Silence, TwilioEmulator
from tests.ivr.test_call_flow import REPORT_TO_CODE, assert_clean, only_report, the_call
from tests.ivr.transcript import transcript

TO_THE_QUESTION = [*REPORT_TO_CODE, Keys("5"), Keys("1"), Keys("1")]  # code, wishes, sharing


def people(services: Services) -> list[tuple[int, str, str, str | None, str | None, str]]:
    with services.db.transaction() as session:
        rows = session.scalars(select(ReportPerson).order_by(ReportPerson.id))
        return [
            (r.report_id, r.role, r.kind, r.identifier_kind, r.blind_index, r.added_by)
            for r in rows
        ]


@pytest.mark.parametrize(("key", "kind"), list(DOING_KEYS.items()))
def test_the_key_saves_who_is_doing_it_on_the_report(
    app: Flask, phone: TwilioEmulator, services: Services, key: str, kind: str
) -> None:
    log = phone.call([*TO_THE_QUESTION, Keys(key)])
    assert_clean(log)
    assert log.ended_by == "hangup-verb"
    heard = transcript(app, log, ["en"])
    asked = heard.index("doing.question")
    assert heard.index("sharing.question") < asked < heard.index("wishes.thanks", asked)
    assert "common.back" not in heard[asked:]  # 9 skips here, it does not go back
    assert heard[-1] == "goodbye.bye"
    report = only_report(services)
    assert people(services) == [(report.id, "causing_harm", kind, None, None, "reporter:phone")]


def test_a_hang_up_straight_after_the_key_keeps_it(
    phone: TwilioEmulator, services: Services
) -> None:
    phone.call([*TO_THE_QUESTION, Keys("2"), HangUp()])
    assert [row[2] for row in people(services)] == ["staff"]


@pytest.mark.parametrize("ending", [[Keys("9")], [Silence(), Silence(), Silence()]])
def test_nine_or_silence_saves_nothing_and_says_goodbye(
    app: Flask, phone: TwilioEmulator, services: Services, ending: list[Keys | Silence]
) -> None:
    log = phone.call([*TO_THE_QUESTION, *ending])
    assert log.ended_by == "hangup-verb"
    heard = transcript(app, log, ["en"])
    asked = heard.index("doing.question")
    assert heard[-1] == "goodbye.bye" and "wishes.thanks" not in heard[asked:]
    assert people(services) == []
    assert only_report(services).id  # the report stays


def test_a_forged_answer_changes_nothing(
    client: FlaskClient, phone: TwilioEmulator, services: Services
) -> None:
    log = phone.call(TO_THE_QUESTION)  # the script runs out at the question
    call = the_call(services)
    assert call.step == "doing"
    url = f"http://localhost/ivr/doing?t={call.turn}&lang=en"
    params = {**phone.base_params(log.call_sid), "Digits": "2"}
    forged = RequestValidator("not-the-token").compute_signature(url, params)
    assert client.post(url, data=params, headers={"X-Twilio-Signature": forged}).status_code == 403
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    changed = {**params, "Digits": "1"}
    response = client.post(url, data=changed, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert people(services) == [] and the_call(services).turn == call.turn
    response = client.post(url, data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200  # the real one counts, once
    again = client.post(url, data=params, headers={"X-Twilio-Signature": signature})
    assert again.status_code == 200
    assert [row[2] for row in people(services)] == ["staff"]  # a retry saves nothing more
