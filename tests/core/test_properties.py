"""Property-based: whatever a door passes in, intake either takes the whole report or
refuses it with machine-readable problems, and never writes half of one."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from safeguarding.catalogue import CONCERNS_BY_ID, STAFF_INVOLVED_ANSWERS, WHEN_ANSWERS
from safeguarding.codes import is_valid, normalise
from safeguarding.errors import CodeMalformed, InvalidSubmission
from safeguarding.intake import submit_report
from safeguarding.services import Services
from storage.models import AuditEvent, OutboxMessage, Report, ReportAnswer, TimelineEvent
from tests.factories import make_submission, new_establishment

ANY_TEXT = st.text(max_size=60)


def mostly(
    valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """Valid about nine times in ten, so that both accepted and refused reports are common."""
    return st.integers(min_value=0, max_value=9).flatmap(lambda n: valid if n < 9 else invalid)


VALID_KEY = st.text(alphabet=string.ascii_letters, min_size=16, max_size=40)
submissions = st.fixed_dictionaries(
    {
        "concerns": st.lists(mostly(st.sampled_from(sorted(CONCERNS_BY_ID)), ANY_TEXT), max_size=5),
        "in_danger_now": st.booleans(),
        "staff_involved": mostly(st.sampled_from(STAFF_INVOLVED_ANSWERS), ANY_TEXT),
        "when_happened": mostly(st.sampled_from([None, *WHEN_ANSWERS]), ANY_TEXT),
        "language": mostly(st.sampled_from(["en", "cy", "ar"]), ANY_TEXT),
        "channel": mostly(st.sampled_from(["kiosk", "phone"]), ANY_TEXT),
        "details": mostly(st.none() | st.text(max_size=300), st.text(min_size=5001, max_size=5010)),
        "reporter_identity": mostly(st.none() | st.text(max_size=200), st.text(min_size=201)),
        "submission_key": mostly(VALID_KEY, st.text(max_size=15)),
        "location_id": mostly(st.none(), st.integers(min_value=-5, max_value=10**9)),
    }
)


def counts(services: Services) -> tuple[int, ...]:
    with services.db.transaction() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Report, ReportAnswer, TimelineEvent, AuditEvent, OutboxMessage)
        )


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=submissions)
def test_intake_takes_all_of_a_report_or_none_of_it(
    services: Services, fields: dict[str, object]
) -> None:
    establishment_id = new_establishment(services)
    before = counts(services)
    submission = make_submission(establishment_id, **fields)
    try:
        with services.db.transaction() as session:
            receipt = submit_report(
                session,
                submission=submission,
                secrets=services.secrets,
                policy=services.policy,
                clock=services.clock,
            )
    except InvalidSubmission as refused:
        assert refused.problems
        assert all(p.field and p.code for p in refused.problems)
        assert counts(services) == before
        event("refused")
        return
    assert is_valid(receipt.code)
    if not receipt.created:  # a key seen in an earlier example: the same report comes back
        assert counts(services) == before
        event("repeated")
        return
    event("accepted")
    after = counts(services)
    assert after[0] == before[0] + 1 and after[2] == before[2] + 1
    assert after[3] == before[3] + 1 and after[4] == before[4] + 1


@given(st.text(max_size=40))
def test_any_typed_code_is_either_twelve_good_digits_or_a_typing_mistake(entered: str) -> None:
    try:
        code = normalise(entered)
    except CodeMalformed:
        return
    assert is_valid(code)
