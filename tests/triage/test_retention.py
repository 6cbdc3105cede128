"""Retention and purge: expired closed reports go for good, with everything about them; the
audit log keeps every event unchanged, gains a tombstone, and still verifies."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from safeguarding import actions
from safeguarding.access import Role, StaffPrincipal
from safeguarding.actions import ActionContext
from safeguarding.clock import FixedClock
from safeguarding.lookup import Seeker, find_report_by_code
from safeguarding.policy import PolicyError, RetentionPeriod, load_policy
from safeguarding.retention import find_expired, purge_expired_batch
from safeguarding.services import Services
from safereport.cli import main
from safereport.config import Config
from storage.models import (
    AlertEscalation,
    AuditEvent,
    BreachWarning,
    CallSession,
    CapacityRecord,
    CaseTask,
    EvidenceTask,
    ExternalReferral,
    HandoverNote,
    PhoneLine,
    PracticeAuditCase,
    PracticeAuditSample,
    ProtectionPlan,
    PurgedReport,
    Recording,
    Report,
    ReportAnswer,
    ReportAssignment,
    ReportCategory,
    ReportLink,
    RetaliationCheckIn,
    TimelineEvent,
)
from storage.repositories.audit import verify_audit_chain
from storage.sealed_fields import RECORDING_AUDIO
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, signed_in_client

SIX_YEARS_AND_A_DAY = timedelta(days=6 * 365 + 2 + 1)  # two leap days on the way


@pytest.fixture
def lead(staff: StaffFactory) -> StaffLogin:
    return staff("lead")


def context(session: Session, services: Services, lead: StaffLogin, establishment: int) -> Any:
    principal = StaffPrincipal(lead.id, Role.LEAD, frozenset({establishment}))
    return ActionContext(session, principal, services.clock, services.secrets.vault)


def close(services: Services, lead: StaffLogin, establishment: int, report_id: int) -> None:
    with services.db.transaction() as session:
        ctx = context(session, services, lead, establishment)
        report = session.get(Report, report_id)
        assert report is not None
        actions.close(ctx, report, outcome="resolved_internally", note="Moved to another wing.")


def with_everything(
    services: Services, lead: StaffLogin, establishment: int, report_id: int, other: int
) -> None:
    """Every kind of row that hangs off a report, so the purge must find them all."""
    now = services.clock.now()
    with services.db.transaction() as session:
        ctx = context(session, services, lead, establishment)
        report, linked = session.get(Report, report_id), session.get(Report, other)
        assert report is not None and linked is not None
        actions.add_note(ctx, report, text="Spoke to him on B wing.")
        actions.assign(ctx, report, staff_id=lead.id)
        actions.link_reports(ctx, report, linked)
        line = session.scalars(
            select(PhoneLine.id).where(PhoneLine.establishment_id == establishment)
        ).first()
        assert line is not None
        call = CallSession(
            call_sid_hash=f"{report_id:064d}", establishment_id=establishment,
            phone_line_id=line, submission_nonce_sealed=b"", report_id=report_id,
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(call)
        recording = Recording(report_id=report_id, created_at=now)
        session.add(recording)
        RECORDING_AUDIO.seal(services.secrets.vault, recording, b"RIFF")
        session.add(AlertEscalation(report_id=report_id, establishment_id=establishment,
                                    next_step_at=now, created_at=now))  # fmt: skip
        session.add(BreachWarning(report_id=report_id, due_kind="triage", warned_at=now))
        session.add(ExternalReferral(report_id=report_id, agency="police", sent_on=now.date(),
                                     sent_by="staff:1", recorded_at=now))  # fmt: skip
        session.add(EvidenceTask(report_id=report_id, kind="cctv", due_at=now))
        session.add(RetaliationCheckIn(report_id=report_id, number=9, due_at=now))
        session.add(CapacityRecord(report_id=report_id, recorded_at=now, recorded_by="staff:1",
                                   in_doubt=True, lacks_capacity="yes", support="advocate",
                                   best_interests=True))  # fmt: skip
        session.add(CaseTask(report_id=report_id, kind="cell_move", owner_id=lead.id,
                             due_on=now.date(), created_at=now, created_by="staff:1"))  # fmt: skip
        session.add(ProtectionPlan(report_id=report_id, owner_id=lead.id, review_on=now.date(),
                                   set_at=now))  # fmt: skip
        sample = PracticeAuditSample(
            establishment_id=establishment, drawn_at=now, drawn_by="staff:1", requested=1,
            closed_since=now - timedelta(days=30), closed_before=now,
        )  # fmt: skip
        session.add(sample)
        session.flush()
        session.add(PracticeAuditCase(sample_id=sample.id, report_id=report_id, position=0))


def rows_about(session: Session, report_id: int) -> dict[str, int]:
    counts = {
        model.__name__: session.scalar(
            select(func.count()).select_from(model).where(column == report_id)
        )
        or 0
        for model, column in (
            (Report, Report.id),
            (ReportAnswer, ReportAnswer.report_id),
            (ReportCategory, ReportCategory.report_id),
            (TimelineEvent, TimelineEvent.report_id),
            (Recording, Recording.report_id),
            (ReportAssignment, ReportAssignment.report_id),
            (AlertEscalation, AlertEscalation.report_id),
            (BreachWarning, BreachWarning.report_id),
            (CallSession, CallSession.report_id),
            (PracticeAuditCase, PracticeAuditCase.report_id),
            (ExternalReferral, ExternalReferral.report_id),
            (EvidenceTask, EvidenceTask.report_id),
            (RetaliationCheckIn, RetaliationCheckIn.report_id),
            (CaseTask, CaseTask.report_id),
            (CapacityRecord, CapacityRecord.report_id),
            (ProtectionPlan, ProtectionPlan.report_id),
        )
    }
    counts["ReportLink"] = (
        session.scalar(
            select(func.count())
            .select_from(ReportLink)
            .where((ReportLink.report_id == report_id) | (ReportLink.linked_report_id == report_id))
        )
        or 0
    )
    return counts


def purge_all(services: Services) -> list[int]:
    purged: list[int] = []
    while True:
        with services.db.transaction() as session:
            batch = purge_expired_batch(
                session, policy=services.policy, clock=services.clock, batch_size=2
            )
        if not batch.purged:
            return purged
        purged += [item.report_id for item in batch.purged]


def test_an_expired_report_goes_with_everything_about_it_and_the_chain_verifies(
    services: Services, lead: StaffLogin, establishment: int, clock: FixedClock
) -> None:
    receipt = submit(services, establishment, details="He takes my canteen.", concerns=["bullied"])
    expired = receipt.report_id
    other = submit(services, establishment).report_id
    with_everything(services, lead, establishment, expired, other)
    close(services, lead, establishment, expired)
    close(services, lead, establishment, other)
    closed_at = clock.now()
    with services.db.transaction() as session:
        assert all(rows_about(session, expired).values())
        before = [
            (e.id, e.hash)
            for e in session.scalars(select(AuditEvent).where(AuditEvent.report_id == expired))
        ]
    submit(services, establishment)  # the newest report is always kept
    clock.advance(SIX_YEARS_AND_A_DAY)

    assert sorted(purge_all(services)) == sorted([expired, other])

    with services.db.transaction() as session:
        assert set(rows_about(session, expired).values()) == {0}
        after = session.scalars(
            select(AuditEvent).where(AuditEvent.report_id == expired).order_by(AuditEvent.id)
        ).all()
        assert [(e.id, e.hash) for e in after[:-1]] == before  # every event kept, unchanged
        tombstone = after[-1]
        assert (tombstone.action, tombstone.actor) == ("report.purged", "system:retention")
        assert tombstone.detail == (
            f'{{"closed_on":"{closed_at.date().isoformat()}",'
            f'"purged_on":"{clock.now().date().isoformat()}"}}'
        )
        kept = session.get(PurgedReport, expired)
        assert kept is not None and kept.establishment_id == establishment
        assert kept.queue == "general" and kept.closed_at == closed_at
        assert verify_audit_chain(session).ok
        gone = find_report_by_code(
            session,
            entered=receipt.code,
            seeker=Seeker(establishment_id=establishment, session="test"),
            pepper=services.secrets.code_pepper,
            limits=services.policy.lookup,
            clock=clock,
        )
        assert gone is None


def test_what_is_kept(
    services: Services, lead: StaffLogin, establishment: int, clock: FixedClock
) -> None:
    still_open = submit(services, establishment).report_id
    closed_late = submit(services, establishment).report_id
    reopened = submit(services, establishment).report_id
    linked_to_open = submit(services, establishment).report_id
    close(services, lead, establishment, linked_to_open)
    close(services, lead, establishment, reopened)
    with services.db.transaction() as session:
        ctx = context(session, services, lead, establishment)
        one, two = session.get(Report, linked_to_open), session.get(Report, still_open)
        assert one is not None and two is not None
        actions.link_reports(ctx, one, two)
    clock.advance(timedelta(days=365))
    with services.db.transaction() as session:
        report = session.get(Report, reopened)
        assert report is not None
        actions.change_status(
            context(session, services, lead, establishment), report, status="investigating"
        )
    close(services, lead, establishment, reopened)  # closed again: the period starts again
    close(services, lead, establishment, closed_late)
    newest = submit(services, establishment).report_id
    clock.advance(SIX_YEARS_AND_A_DAY - timedelta(days=365))
    assert purge_all(services) == []
    with services.db.transaction() as session:
        assert session.scalar(select(func.count(Report.id))) == 5
    close(services, lead, establishment, still_open)
    clock.advance(timedelta(days=7 * 365))
    expected = sorted([still_open, closed_late, reopened, linked_to_open])
    assert sorted(purge_all(services)) == expected
    with services.db.transaction() as session:
        assert session.scalars(select(Report.id)).all() == [newest]


def test_the_newest_report_waits_so_that_no_id_is_ever_given_twice(
    services: Services, lead: StaffLogin, establishment: int, clock: FixedClock
) -> None:
    only = submit(services, establishment).report_id
    close(services, lead, establishment, only)
    clock.advance(SIX_YEARS_AND_A_DAY)
    assert purge_all(services) == []
    later = submit(services, establishment).report_id
    assert purge_all(services) == [only]
    after = submit(services, establishment).report_id
    assert only < later < after


def test_the_audit_trail_of_a_purged_report_stays_within_its_scope(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    lead: StaffLogin,
    establishment: int,
    other_establishment: int,
    clock: FixedClock,
) -> None:
    general = submit(services, establishment).report_id
    restricted = submit(services, establishment, concerns=["staff_bad"]).report_id
    for report_id in (general, restricted):
        close(services, lead, establishment, report_id)
    submit(services, establishment)
    clock.advance(SIX_YEARS_AND_A_DAY)
    assert len(purge_all(services)) == 2
    seen = {}
    for role, where in (("lead", establishment), ("auditor", establishment),
                        ("lead", other_establishment)):  # fmt: skip
        client = signed_in_client(app, services, staff(role, [where]), clock)
        exported = client.get("/triage/audit/export.csv?action=report.purged")
        rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
        seen[(role, where)] = {int(row["report_id"]) for row in rows}
    assert seen[("lead", establishment)] == {general, restricted}
    assert seen[("auditor", establishment)] == {general}
    assert seen[("lead", other_establishment)] == set()


def run(config: Config, *args: str) -> tuple[int, str]:
    env = {
        "SAFEREPORT_DATABASE_URL": config.database_url,
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
    }
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_safereport_purge_and_its_dry_run(
    config: Config, services: Services, lead: StaffLogin, establishment: int
) -> None:
    old = submit(services, establishment).report_id
    recent = submit(services, establishment).report_id
    for report_id in (old, recent):
        close(services, lead, establishment, report_id)
    submit(services, establishment)
    long_ago = datetime(2015, 3, 1, tzinfo=UTC)  # the command runs on the real clock
    with services.db.transaction() as session:
        session.execute(update(Report).where(Report.id == old).values(closed_at=long_ago))
        # Handover notes go after 30 days, whatever the reports they name.
        for written_at in (long_ago, datetime.now(UTC)):
            session.add(
                HandoverNote(
                    establishment_id=establishment, author_id=lead.id, written_at=written_at,
                    audience="general",
                )
            )  # fmt: skip

    status, output = run(config, "purge", "--dry-run")
    assert status == 0, output
    assert f"would purge report {old} (closed 2015-03-01)" in output
    assert "1 reports would be purged (kept 6y after closing)" in output
    with services.db.transaction() as session:
        assert session.get(Report, old) is not None

    status, output = run(config, "purge")
    assert status == 0 and "purged 1 reports" in output, output
    assert "purged 1 handover notes (kept 30 days)" in output
    status, output = run(config, "audit", "verify")
    assert status == 0 and "audit log intact" in output
    with services.db.transaction() as session:
        assert session.get(Report, old) is None and session.get(Report, recent) is not None
        assert [note.written_at.year for note in session.scalars(select(HandoverNote))] == [
            datetime.now(UTC).year
        ]


def test_the_retention_period_is_policy_and_checked(tmp_path: Path) -> None:
    assert load_policy().retention == RetentionPeriod(years=6)
    policy_file = tmp_path / "policy.toml"
    for text, named in (
        ('[retention]\nkept_for = "6y"\n', "'retention.kept_for' is not known"),
        ('[retention]\nclosed_reports_kept_for = "6 years"\n', "like 6y or 2190d"),
        ('[retention]\nclosed_reports_kept_for = "6d"\n', "shorter than a year"),
    ):
        policy_file.write_text(text)
        with pytest.raises(PolicyError, match=re.escape(named)) as error:
            load_policy(policy_file)
        assert "retention." in str(error.value)
    policy_file.write_text('[retention]\nclosed_reports_kept_for = "2555d"\n')
    assert load_policy(policy_file).retention == RetentionPeriod(days=2555)
    leap = datetime(2032, 2, 29, 12, 0, tzinfo=UTC)
    assert RetentionPeriod(years=6).cutoff(leap) == datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    assert RetentionPeriod(days=10).cutoff(leap) == leap - timedelta(days=10)


def test_find_expired_shows_ids_and_dates_only(
    services: Services, lead: StaffLogin, establishment: int, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, details="secret words").report_id
    close(services, lead, establishment, report_id)
    submit(services, establishment)
    clock.advance(SIX_YEARS_AND_A_DAY)
    with services.db.transaction() as session:
        (item,) = find_expired(session, policy=services.policy, now=clock.now())
    assert vars(item).keys() == {"report_id", "establishment_id", "queue", "closed_at"}
    assert item.report_id == report_id
