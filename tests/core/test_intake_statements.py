"""What taking a report in costs the database (issue 18): a new report's answers,
categories, first event, clocks, audit event and alert are one INSERT per table, its sealed
columns one UPDATE, and nothing is read back; what lands is what the report said, and
what is added to it later in the same transaction lands once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeguarding.intake import take_report
from safeguarding.services import Services
from storage.models import (
    EvidenceTask,
    OutboxMessage,
    Report,
    ReportAnswer,
    ReportCategory,
    RetaliationCheckIn,
    TimelineEvent,
)
from storage.repositories.audit import verify_audit_chain
from storage.repositories.new_rows import insert_rows
from storage.sealed_fields import REPORT_DETAILS, REPORTER_IDENTITY
from tests.conftest import START
from tests.factories import make_submission, new_establishment
from tests.support.statements import recorded

# A standard report that needs a check-in schedule and an evidence clock under the default
# policy: several rows in each child table.
MANY_ROWS = {
    "concerns": ["made_to_pay", "threatening_me"],
    "when_happened": "keeps_happening",
    "details": "He takes my canteen every week.",
    "reporter_identity": "John Smith A1234BC",
    "extra_answers": {"hurt_where": "arm"},
}


def take(session: Session, services: Services, establishment_id: int) -> Report:
    _receipt, report = take_report(
        session,
        submission=make_submission(establishment_id, **MANY_ROWS),
        secrets=services.secrets,
        policy=services.policy,
        clock=services.clock,
    )
    return report


def test_each_table_is_written_once_and_nothing_is_read_back(services: Services) -> None:
    establishment_id = new_establishment(services)
    with recorded(services) as said, services.db.transaction() as session:
        take(session, services, establishment_id)
    for table in (
        "report", "report_answer", "report_category", "timeline_event", "evidence_task",
        "retaliation_checkin", "audit_event", "outbox_message",
    ):  # fmt: skip
        assert sum(s.startswith(f"INSERT INTO {table} ") for s in said) == 1, (table, said)
    assert sum(s.startswith("UPDATE report ") for s in said) == 1, said  # both seals at once
    read_back = [
        "report", "report_answer", "report_category", "timeline_event", "evidence_task",
        "retaliation_checkin", "report_person", "outbox_message",
    ]  # fmt: skip
    assert not [s for s in said if s.startswith(tuple(f"SELECT {t}." for t in read_back))]


def test_what_lands_is_what_the_report_said(services: Services) -> None:
    establishment_id = new_establishment(services)
    with services.db.transaction() as session:
        report_id = take(session, services, establishment_id).id
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        assert [(a.question, a.answer) for a in report.answers] == [
            ("concern", "made_to_pay"),
            ("concern", "threatening_me"),
            ("hurt_where", "arm"),
        ]
        assert {c.category for c in report.categories} == {
            "bullying_debt", "financial", "threats_violence", "psychological"
        }  # fmt: skip
        assert [(e.kind, e.actor, e.at, e.summary) for e in report.events] == [
            ("received", "reporter:kiosk", START, "")
        ]
        vault = services.secrets.vault
        assert REPORT_DETAILS.open_text(vault, report) == MANY_ROWS["details"]
        assert REPORTER_IDENTITY.open_text(vault, report) == MANY_ROWS["reporter_identity"]
        checkins = session.scalars(
            select(RetaliationCheckIn).where(RetaliationCheckIn.report_id == report_id)
        ).all()
        assert sorted(c.number for c in checkins) == list(range(1, len(checkins) + 1))
        assert checkins and all(c.outcome is None and c.due_at > START for c in checkins)
        tasks = session.scalars(select(EvidenceTask).where(EvidenceTask.report_id == report_id))
        assert [t.outcome for t in tasks] == [None]
        alert = session.scalars(select(OutboxMessage)).one()
        assert (alert.kind, alert.attempts, alert.delivered_at) == ("alert.new_report", 0, None)
        assert verify_audit_chain(session).ok


def test_rows_added_in_the_same_transaction_land_once(services: Services) -> None:
    """The first rows are kept as the collections' loaded values, outside the session: what
    the phone line appends to them afterwards is inserted, and they are not inserted again."""
    establishment_id = new_establishment(services)
    with services.db.transaction() as session:
        report = take(session, services, establishment_id)
        report.answers.append(ReportAnswer(question="concern", answer="bullied"))
        report.categories.append(ReportCategory(category="physical"))
        report.events.append(TimelineEvent(kind="call_ended_early", actor="x", at=START))
        session.flush()
        report_id = report.id
    with services.db.transaction() as session:
        for model, expected in ((ReportAnswer, 4), (ReportCategory, 5), (TimelineEvent, 2)):
            found = session.scalar(
                select(func.count()).select_from(model).where(model.report_id == report_id)
            )
            assert found == expected, model


def test_rows_setting_different_columns_are_refused(services: Services) -> None:
    """One statement has one column list: a row without a value would get NULL, not its
    column's default."""
    with services.db.transaction() as session, pytest.raises(ValueError, match="timeline_event"):
        insert_rows(
            session,
            [
                TimelineEvent(report_id=1, kind="a", actor="x", at=START, summary=""),
                TimelineEvent(report_id=1, kind="a", actor="x", at=START),
            ],
        )
