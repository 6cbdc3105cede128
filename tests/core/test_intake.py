"""Given a submission from a door, when it is submitted, then one report with the policy's
priority, queue and due times exists, with its timeline, audit event and alert."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from safeguarding.codes import code_hash, derive_code, is_valid
from safeguarding.errors import InvalidSubmission
from safeguarding.intake import submit_report
from safeguarding.services import Services
from storage.models import AuditEvent, OutboxMessage, Report
from storage.sealed_fields import REPORT_DETAILS, REPORTER_IDENTITY
from tests.conftest import START
from tests.factories import make_submission, new_establishment, submit


def count(services: Services, model: type) -> int:
    with services.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize(
    ("overrides", "priority", "queue", "ack_minutes", "triage_hours"),
    [
        ({"in_danger_now": True}, "immediate", "general", 15, 4),
        ({"concerns": ["hurting_myself"]}, "immediate", "general", 15, 4),
        ({"concerns": ["sexual"]}, "high", "general", 240, 24),
        ({"concerns": ["made_to_work"]}, "high", "general", 240, 24),
        ({"concerns": ["staff_bad"], "staff_involved": "no"}, "high", "restricted", 240, 24),
        ({"staff_involved": "not_sure"}, "high", "restricted", 240, 24),
        ({"injured": True}, "high", "general", 240, 24),
        ({"concerns": ["made_to_pay"]}, "standard", "general", None, 72),
    ],
)
def test_submit_applies_the_policy(
    services: Services,
    overrides: dict[str, object],
    priority: str,
    queue: str,
    ack_minutes: int | None,
    triage_hours: int,
) -> None:
    establishment_id = new_establishment(services)
    receipt = submit(services, establishment_id, **overrides)
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        assert (report.priority, report.queue) == (priority, queue)
        expected_ack = START + timedelta(minutes=ack_minutes) if ack_minutes else None
        assert report.acknowledge_due_at == expected_ack
        assert report.triage_due_at == START + timedelta(hours=triage_hours)
        assert report.status == "new"
        assert [e.kind for e in report.events] == ["received"]


def test_submit_writes_report_answers_audit_and_alert_together(services: Services) -> None:
    establishment_id = new_establishment(services)
    receipt = submit(
        services,
        establishment_id,
        concerns=["made_to_work", "bullied"],
        when_happened="keeps_happening",
        details="He takes my canteen every week.",
        reporter_identity="John Smith A1234BC",
    )
    assert receipt.created and is_valid(receipt.code)
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        assert [(a.question, a.answer) for a in report.answers] == [
            ("concern", "made_to_work"),
            ("concern", "bullied"),
        ]
        assert {c.category for c in report.categories} == {
            "modern_slavery",
            "exploitation_grooming",
            "bullying_debt",
            "psychological",
        }
        assert report.duty_to_notify_prompted and not report.acct_prompted
        assert report.code_hash == code_hash(services.secrets.code_pepper, receipt.code)
        vault = services.secrets.vault
        assert report.details_sealed is not None and report.reporter_identity_sealed is not None
        details = REPORT_DETAILS.open_text(vault, report)
        assert details == "He takes my canteen every week."
        identity = REPORTER_IDENTITY.open_text(vault, report)
        assert identity == "John Smith A1234BC"
        assert report.wants_contact
        audit = session.scalars(select(AuditEvent).where(AuditEvent.report_id == report.id)).one()
        assert audit.action == "report.submitted"
        assert "canteen" not in audit.detail
        alert = session.scalars(select(OutboxMessage)).one()
        assert json.loads(alert.payload) == {
            "report_id": report.id,
            "establishment_id": establishment_id,
            "priority": "high",  # modern slavery
        }


def test_the_same_submission_twice_gives_one_report_and_the_same_code(
    services: Services,
) -> None:
    establishment_id = new_establishment(services)
    submission = make_submission(establishment_id, concerns=["hurting_me"])
    receipts = []
    for _ in range(2):
        with services.db.transaction() as session:
            receipts.append(
                submit_report(
                    session,
                    submission=submission,
                    secrets=services.secrets,
                    policy=services.policy,
                    clock=services.clock,
                )
            )
    first, second = receipts
    assert first.created and not second.created
    assert (first.report_id, first.code) == (second.report_id, second.code)
    assert count(services, Report) == 1
    assert count(services, OutboxMessage) == 1


def test_concurrent_double_submission_gives_one_report(services: Services) -> None:
    """A double tap on Send arriving on two workers at once."""
    establishment_id = new_establishment(services)
    submission = make_submission(establishment_id)
    results: list[tuple[int, str]] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        barrier.wait()
        with services.db.transaction() as session:
            receipt = submit_report(
                session,
                submission=submission,
                secrets=services.secrets,
                policy=services.policy,
                clock=services.clock,
            )
        results.append((receipt.report_id, receipt.code))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and len(set(results)) == 1
    assert count(services, Report) == 1


def test_a_code_already_taken_gives_the_next_code_and_still_one_report(
    services: Services,
) -> None:
    """One in 10^11: the code derived for a new submission already belongs to another
    report. The insert does nothing, the next attempt's code is issued, and the other
    report keeps its own code."""
    establishment_id = new_establishment(services)
    submission = make_submission(establishment_id, concerns=["hurting_me"])
    pepper = services.secrets.code_pepper
    first_choice = derive_code(pepper, submission.submission_key, 0)
    other = submit(services, establishment_id)
    with services.db.transaction() as session:
        holder = session.get(Report, other.report_id)
        assert holder is not None
        holder.code_hash = code_hash(pepper, first_choice)
    with services.db.transaction() as session:
        receipt = submit_report(
            session, submission=submission, secrets=services.secrets,
            policy=services.policy, clock=services.clock,
        )  # fmt: skip
    assert receipt.created and receipt.code == derive_code(pepper, submission.submission_key, 1)
    assert receipt.code != first_choice and receipt.report_id != other.report_id
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None and report.code_attempt == 1
        assert [e.kind for e in report.events] == ["received"]
    assert count(services, Report) == 2
    assert count(services, OutboxMessage) == 2  # one alert each, none for the attempt


def test_a_report_that_cannot_be_stored_raises_and_is_not_taken_for_a_repeat(
    services: Services,
) -> None:
    """Only the submission key and the code are "already there": any other failure (here
    a kiosk that does not exist) is a real error, never a receipt for someone else's report."""
    establishment_id = new_establishment(services)
    with pytest.raises(IntegrityError), services.db.transaction() as session:
        submit_report(
            session, submission=make_submission(establishment_id, kiosk_device_id=999_999),
            secrets=services.secrets, policy=services.policy, clock=services.clock,
        )  # fmt: skip
    assert count(services, Report) == 0


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"concerns": []}, "concerns", "required"),
        ({"concerns": ["aliens"]}, "concerns", "unknown_choice"),
        ({"staff_involved": "maybe"}, "staff_involved", "unknown_choice"),
        ({"when_happened": "yesterday"}, "when_happened", "unknown_choice"),
        ({"language": "fr"}, "language", "not_offered"),
        ({"channel": "fax"}, "channel", "unknown_choice"),
        ({"details": "x" * 5001}, "details", "too_long"),
        ({"submission_key": "short"}, "submission_key", "too_short"),
        ({"location_id": 999_999}, "location", "unknown_choice"),
    ],
)
def test_invalid_submissions_are_refused_and_write_nothing(
    services: Services, overrides: dict[str, object], field: str, code: str
) -> None:
    establishment_id = new_establishment(services)
    with pytest.raises(InvalidSubmission) as raised:
        submit(services, establishment_id, **overrides)
    assert (field, code) in {(p.field, p.code) for p in raised.value.problems}
    assert count(services, Report) == 0
    assert count(services, AuditEvent) == 0


def test_a_danger_only_report_is_accepted(services: Services) -> None:
    """A caller who presses 1 for danger and then loses the line has still reported."""
    establishment_id = new_establishment(services)
    receipt = submit(services, establishment_id, concerns=[], in_danger_now=True)
    assert receipt.priority == "immediate"


def test_a_failed_transaction_leaves_no_trace(services: Services) -> None:
    establishment_id = new_establishment(services)
    with pytest.raises(RuntimeError), services.db.transaction() as session:
        submit_report(
            session,
            submission=make_submission(establishment_id),
            secrets=services.secrets,
            policy=services.policy,
            clock=services.clock,
        )
        raise RuntimeError("the door failed before commit")
    assert count(services, Report) == 0
    assert count(services, OutboxMessage) == 0
    assert count(services, AuditEvent) == 0
