"""The audit log proves what happened: tampering is found, exports cannot run formulas,
and the log shows auditors only what they may see."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import delete, select, update

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.cli import main
from safereport.config import Config
from storage.models import AuditEvent
from storage.repositories.audit import append_audit
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import signed_in_client
from triage.audit_views import neutralise_cell


def verify(config: Config) -> tuple[int, str]:
    env = {
        "SAFEREPORT_DATABASE_URL": config.database_url,
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
    }
    result = CliRunner().invoke(main, ["audit", "verify"], env=env)
    return result.exit_code, result.output


def work_a_case(
    app: Flask, services: Services, staff: StaffFactory, establishment: int, clock: FixedClock
) -> int:
    report_id = submit(services, establishment, details="private words").report_id
    client = signed_in_client(app, services, staff("lead"), clock)
    client.get(f"/triage/reports/{report_id}")
    client.get(f"/triage/reports/{report_id}")
    return report_id


def test_an_edited_audit_event_is_found_by_audit_verify(
    app: Flask,
    config: Config,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    clock: FixedClock,
) -> None:
    report_id = work_a_case(app, services, staff, establishment, clock)
    code, output = verify(config)
    assert code == 0 and "audit log intact" in output
    with services.db.transaction() as session:
        first_view = session.scalars(
            select(AuditEvent.id).where(
                AuditEvent.action == "report.viewed", AuditEvent.report_id == report_id
            )
        ).first()
        # Someone tries to hide that they read the report.
        session.execute(
            update(AuditEvent).where(AuditEvent.id == first_view).values(actor="system")
        )
    code, output = verify(config)
    assert code == 1
    assert f"at event {first_view}" in output and "altered" in output


def test_a_deleted_audit_event_is_found_by_audit_verify(
    app: Flask,
    config: Config,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    clock: FixedClock,
) -> None:
    report_id = work_a_case(app, services, staff, establishment, clock)
    with services.db.transaction() as session:
        views = session.scalars(
            select(AuditEvent.id)
            .where(AuditEvent.action == "report.viewed", AuditEvent.report_id == report_id)
            .order_by(AuditEvent.id)
        ).all()
        session.execute(delete(AuditEvent).where(AuditEvent.id == views[0]))
    code, output = verify(config)
    assert code == 1
    assert f"at event {views[0] + 1}" in output and "link to previous event broken" in output


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("staff:3", "staff:3"),
        (None, ""),
        (42, "42"),
    ],
)
def test_csv_cells_that_could_run_as_formulas_are_neutralised(value: object, expected: str) -> None:
    assert neutralise_cell(value) == expected


def test_the_audit_export_is_neutralised_and_scoped(
    app: Flask, services: Services, staff: StaffFactory, establishment: int, clock: FixedClock
) -> None:
    general = submit(services, establishment).report_id
    restricted = submit(services, establishment, concerns=["staff_bad"]).report_id
    with services.db.transaction() as session:
        append_audit(
            session,
            at=clock.now(),
            actor="=cmd|' /C calc'!A0",
            action="test.formula",
            report_id=general,
        )
    auditor = signed_in_client(app, services, staff("auditor"), clock)
    response = auditor.get("/triage/audit/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["id", "at_utc", "actor", "action", "report_id", "detail", "hash"]
    actors = {row[2] for row in rows[1:]}
    assert "'=cmd|' /C calc'!A0" in actors
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    report_ids = {row[4] for row in rows[1:]}
    assert str(general) in report_ids and str(restricted) not in report_ids
    lead = signed_in_client(app, services, staff("lead"), clock)
    lead_ids = {
        row[4]
        for row in csv.reader(
            io.StringIO(lead.get("/triage/audit/export.csv").get_data(as_text=True))
        )
    }
    assert str(restricted) in lead_ids


def test_only_assurance_roles_see_the_audit_log(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    for role, status in (
        ("auditor", 200),
        ("lead", 200),
        ("governor", 200),
        ("deputy", 403),
        ("admin", 403),
    ):
        client = signed_in_client(app, services, staff(role), clock)
        assert client.get("/triage/audit").status_code == status, role
        assert client.get("/triage/audit/export.csv").status_code == status, role
