"""What a whole call costs the database, webhook by webhook: each reads its establishment
once and writes the call once (not also by an autoflush before the report's statements),
/ivr/voice makes the call in one insert (no pre-check, no savepoint), the audit log is not
sent back to the report for its establishment, and a step that only moves on takes one
read of the call, its establishment and its prompts, and one write."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest
from flask import has_request_context, request
from sqlalchemy import event, func, select

from safeguarding.services import Services
from storage.models import CallSession
from tests.ivr.emulator import CallLog, TwilioEmulator
from tests.ivr.test_call_flow import REPORT_ABOUT_ME_NO_STAFF


@pytest.fixture
def statements(services: Services) -> Iterator[dict[str, list[str]]]:
    """Each webhook's statements, by its path and turn ("/ivr/concern?t=2&lang=en")."""
    seen: dict[str, list[str]] = defaultdict(list)

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        where = request.full_path if has_request_context() else "outside"
        seen[where].append(" ".join(statement.split()))

    event.listen(services.db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(services.db.engine, "before_cursor_execute", record)


def count(statements: list[str], start: str) -> int:
    return sum(1 for statement in statements if statement.startswith(start))


def test_each_webhook_reads_what_it_needs_once(
    phone: TwilioEmulator, statements: dict[str, list[str]]
) -> None:
    log = phone.call(REPORT_ABOUT_ME_NO_STAFF)
    assert log.problems == []
    webhooks = {path: said for path, said in statements.items() if path.startswith("/ivr/")}
    assert len(webhooks) >= 12
    for path, said in webhooks.items():
        assert count(said, "SELECT establishment.id") <= 1, path
        assert count(said, "SELECT report.establishment_id FROM report") == 0, path
        if not path.startswith("/ivr/voice"):  # there the new call's nonce is sealed
            assert count(said, "UPDATE call_session") <= 1, (path, said)
    voice = webhooks["/ivr/voice?"]
    assert count(voice, "SELECT call_session.id") == 0  # INSERT ... ON CONFLICT DO NOTHING
    assert count(voice, "INSERT INTO call_session") == 1
    assert count(voice, "SAVEPOINT") == 0
    moving_on = [
        said for path, said in webhooks.items() if path.startswith(("/ivr/start?", "/ivr/another?"))
    ]
    assert moving_on
    for said in moving_on:
        assert len(said) <= 5, said  # BEGIN, the call, its establishment, its prompts, UPDATE


def test_a_first_webhook_delivered_again_finds_the_call_it_made(
    phone: TwilioEmulator, services: Services, statements: dict[str, list[str]]
) -> None:
    """Twilio retries a webhook it got no answer to: the second /ivr/voice of one CallSid
    inserts nothing and answers from the call the first made."""
    sid = "CA" + "7" * 32
    log, params = CallLog(sid), phone.base_params(sid)
    first = phone.post(log, phone.base_url + "/ivr/voice", params)
    again = phone.post(log, phone.base_url + "/ivr/voice", params)
    assert first.status == again.status == 200
    assert again.body == first.body
    with services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CallSession)) == 1
    both = statements["/ivr/voice?"]
    assert count(both, "INSERT INTO call_session") == 2
    assert count(both, "SELECT call_session.id") == 1  # the second, after inserting nothing
