"""The draft rules in safeguarding.drafts and safeguarding.kiosk_devices, without a browser."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.screens import SCREENS
from safeguarding.clock import FixedClock
from safeguarding.draft_sending import send_draft
from safeguarding.drafts import (
    QUESTIONS,
    Answer,
    DraftState,
    OpenDraft,
    SentRecord,
    clean_answer,
    first_unanswered,
    may_ask,
    needs_urgent_help,
    open_draft,
    previous_question,
    record_answer,
    start_draft,
    to_submission,
)
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.kiosk_devices import (
    EnrolmentRefused,
    KioskRateLimited,
    SubmissionLimit,
    check_submission_rate,
    recognise_kiosk,
    redeem_enrolment,
)
from safeguarding.services import Services
from storage.models import Establishment, KioskDevice, Report
from tests.factories import submit
from tests.kiosk.conftest import enrolment_token

COMPLETE: dict[str, Answer] = {
    "danger": "yes",
    "what": ["staff_bad"],
    "hurt": "yes",
    "who": "someone_else",
    "staff": "yes",
    "where": "elsewhere",
    "when": "today",
    "more": "",
    "contact": "anonymous",
}


def problems(question: str, values: dict[str, list[str]]) -> list[FieldProblem]:
    with pytest.raises(InvalidSubmission) as caught:
        clean_answer(question, values, location_ids=[7, 8])
    return caught.value.problems


def test_clean_answer_accepts_only_the_choices_on_the_screen() -> None:
    assert clean_answer("danger", {"answer": ["yes"]}, location_ids=[]) == "yes"
    assert clean_answer("where", {"answer": ["8"]}, location_ids=[7, 8]) == "8"
    assert clean_answer("where", {"answer": ["elsewhere"]}, location_ids=[]) == "elsewhere"
    assert clean_answer("what", {"answer": ["bullied", "bullied", "sexual"]}, location_ids=[]) == [
        "bullied",
        "sexual",
    ]
    assert problems("where", {"answer": ["9"]}) == [FieldProblem("where", "unknown_choice")]
    assert problems("danger", {"answer": ["yes", "no"]}) == [
        FieldProblem("danger", "unknown_choice")
    ]
    assert problems("when", {}) == [FieldProblem("when", "required")]
    assert problems("what", {"answer": [""]}) == [FieldProblem("what", "required")]
    assert problems("nonsense", {"answer": ["x"]}) == [FieldProblem("nonsense", "unknown_question")]


def test_identity_is_tidied_and_limited() -> None:
    values = {"name": ["  Ann   Lee "], "prison_number": [" a 1234 bc "]}
    assert clean_answer("identity", values, location_ids=[]) == {
        "name": "Ann Lee",
        "prison_number": "A1234BC",
    }
    assert problems("identity", {"name": ["x" * 101], "prison_number": ["y" * 21]}) == [
        FieldProblem("name", "too_long"),
        FieldProblem("prison_number", "too_long"),
    ]


def test_questions_come_in_order_and_changes_return_to_check() -> None:
    state = DraftState()
    assert first_unanswered(state) == "danger"
    assert not may_ask(state, "what")
    assert record_answer(state, "danger", "no") == "what"
    assert previous_question(state, "what") == "danger"
    for question, answer in list(COMPLETE.items())[1:]:
        record_answer(state, question, answer)
    assert first_unanswered(state) is None
    assert previous_question(state, "check") == "contact"
    state.reviewing = True
    assert record_answer(state, "when", "longer_ago") == "check"
    assert record_answer(state, "contact", "contact_me") == "identity"
    assert record_answer(state, "identity", {"name": "Ann", "prison_number": ""}) == "check"
    assert record_answer(state, "contact", "anonymous") == "check"
    assert "identity" not in state.answers


def test_the_state_survives_a_round_trip_through_json() -> None:
    state = DraftState(
        answers=dict(COMPLETE), reviewing=True, sent=SentRecord(3, True), followup_report_id=9
    )
    assert DraftState.from_json(state.to_json()) == state


def test_a_complete_draft_becomes_a_submission() -> None:
    state = DraftState(answers=dict(COMPLETE, more="  "))
    submission = to_submission(
        state, establishment_id=1, device_id=2, language="cy", submission_key="k" * 43
    )
    assert submission.concerns == ["staff_bad"]
    assert submission.in_danger_now is True
    assert submission.about_someone_else is True
    assert submission.staff_involved == "yes"
    assert submission.injured is True
    assert submission.location_id is None
    # The reporter's own choices are kept as answers, whatever the columns become.
    assert submission.extra_answers == {
        "where": "elsewhere",
        "staff_involved": "yes",
        "about": "someone_else",
    }
    assert submission.details == "  "  # kept as typed; intake decides what to keep
    assert submission.reporter_identity is None
    assert (submission.channel, submission.language, submission.kiosk_device_id) == (
        "kiosk",
        "cy",
        2,
    )


@pytest.mark.parametrize(
    ("answers", "urgent"),
    [
        ({"danger": "yes", "what": ["bullied"]}, True),
        ({"danger": "no", "what": ["hurting_myself"]}, True),
        ({"danger": "no", "what": ["bullied", "staff_bad"]}, False),
        ({}, False),
    ],
)
def test_urgent_help_is_for_danger_now_or_self_harm(
    answers: dict[str, object], urgent: bool
) -> None:
    assert needs_urgent_help(answers) is urgent  # type: ignore[arg-type]


def _device_id(services: Services, establishment_id: int) -> int:
    with services.db.transaction() as session:
        return session.scalars(
            select(KioskDevice.id).where(KioskDevice.establishment_id == establishment_id)
        ).one()


def _new_draft(services: Services, device_id: int) -> str:
    with services.db.transaction() as session:
        draft = start_draft(
            session,
            device_id=device_id,
            language="en",
            offered_languages=["en"],
            idle_seconds=90,
            secrets=services.secrets,
            clock=services.clock,
        )
        return draft.token


def _open(services: Services, token: str, device_id: int) -> OpenDraft | None:
    with services.db.transaction() as session:
        return open_draft(
            session,
            token=token,
            device_id=device_id,
            idle_seconds=90,
            secrets=services.secrets,
            clock=services.clock,
        )


def test_a_draft_opens_only_on_its_own_device_and_only_until_it_expires(
    services: Services, establishment_id: int, clock: FixedClock
) -> None:
    device_id = _device_id(services, establishment_id)
    token = _new_draft(services, device_id)
    assert _open(services, token, device_id) is not None
    assert _open(services, token, device_id + 1000) is None  # and that deletes it
    assert _open(services, token, device_id) is None
    token = _new_draft(services, device_id)
    clock.advance(timedelta(seconds=135))
    assert _open(services, token, device_id) is None


def test_a_language_the_establishment_does_not_offer_is_refused(
    services: Services, establishment_id: int
) -> None:
    with pytest.raises(InvalidSubmission), services.db.transaction() as session:
        start_draft(
            session,
            device_id=_device_id(services, establishment_id),
            language="pl",
            offered_languages=["en", "cy"],
            idle_seconds=90,
            secrets=services.secrets,
            clock=services.clock,
        )


def test_sending_a_draft_twice_returns_the_first_report(
    services: Services, establishment_id: int
) -> None:
    device_id = _device_id(services, establishment_id)
    token = _new_draft(services, device_id)
    results = []
    for _ in range(2):
        with services.db.transaction() as session:
            draft = open_draft(
                session,
                token=token,
                device_id=device_id,
                idle_seconds=90,
                secrets=services.secrets,
                clock=services.clock,
            )
            assert draft is not None
            draft.state.answers = dict(COMPLETE) if draft.state.sent is None else {}
            results.append(
                send_draft(
                    session,
                    draft=draft,
                    establishment_id=establishment_id,
                    secrets=services.secrets,
                    policy=services.policy,
                    clock=services.clock,
                )
            )
    assert results[0] == results[1]
    assert results[0].urgent is True
    with services.db.transaction() as session:
        assert len(session.scalars(select(Report)).all()) == 1


def test_an_incomplete_draft_is_not_sent(services: Services, establishment_id: int) -> None:
    device_id = _device_id(services, establishment_id)
    token = _new_draft(services, device_id)
    with pytest.raises(InvalidSubmission) as caught, services.db.transaction() as session:
        draft = _open_in(session, services, token, device_id)
        draft.state.answers = {"danger": "no"}
        send_draft(
            session,
            draft=draft,
            establishment_id=establishment_id,
            secrets=services.secrets,
            policy=services.policy,
            clock=services.clock,
        )
    assert caught.value.problems == [FieldProblem("what", "required")]


def _open_in(session: Session, services: Services, token: str, device_id: int) -> OpenDraft:
    draft = open_draft(
        session,
        token=token,
        device_id=device_id,
        idle_seconds=90,
        secrets=services.secrets,
        clock=services.clock,
    )
    assert draft is not None
    return draft


def test_the_rate_limit_counts_this_devices_recent_reports_only(
    services: Services, establishment_id: int, clock: FixedClock
) -> None:
    device_id = _device_id(services, establishment_id)
    limit = SubmissionLimit(max_reports=2, window=timedelta(minutes=10))
    submit(services, establishment_id, kiosk_device_id=device_id)
    submit(services, establishment_id)  # the phone line or another kiosk
    with services.db.transaction() as session:
        check_submission_rate(session, device_id=device_id, clock=clock, limit=limit)
    submit(services, establishment_id, kiosk_device_id=device_id)
    with pytest.raises(KioskRateLimited), services.db.transaction() as session:
        check_submission_rate(session, device_id=device_id, clock=clock, limit=limit)
    clock.advance(timedelta(minutes=11))
    with services.db.transaction() as session:
        check_submission_rate(session, device_id=device_id, clock=clock, limit=limit)


def test_enrolment_swaps_a_one_time_token_for_a_device_secret(
    services: Services, establishment_id: int
) -> None:
    token = enrolment_token(services, establishment_id)
    pepper = services.secrets.code_pepper
    with services.db.transaction() as session:
        device, secret = redeem_enrolment(session, token=token, pepper=pepper, clock=services.clock)
        assert device.enrolment_token_hash is None and device.enrolled_at is not None
        assert secret not in (device.device_token_hash or "")
    with services.db.transaction() as session:
        recognised = recognise_kiosk(session, device_secret=secret, pepper=pepper)
        assert recognised is not None and recognised.device_id == device.id
        establishment = session.get(Establishment, establishment_id)
        assert establishment is not None
        assert recognised.place_version == establishment.place_version
        assert recognise_kiosk(session, device_secret="guess", pepper=pepper) is None
        assert recognise_kiosk(session, device_secret="x" * 500, pepper=pepper) is None
    with pytest.raises(EnrolmentRefused), services.db.transaction() as session:
        redeem_enrolment(session, token=token, pepper=pepper, clock=services.clock)


def test_every_question_is_known_to_the_kiosk_screens() -> None:
    assert set(SCREENS) == set(QUESTIONS)
