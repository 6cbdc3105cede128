"""Every audit event carries its establishment; the audit log shows a reader only their own
establishments' events; and a refusal says nothing about whether the report exists."""

from __future__ import annotations

import csv
import io
import json

from flask import Flask
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent
from storage.repositories.audit import append_audit
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import signed_in_client


def test_a_hidden_report_is_refused_exactly_like_a_missing_one(
    app: Flask, services: Services, staff: StaffFactory, establishment: int, clock: FixedClock
) -> None:
    """Fails on fe26a51: the refusal for a hidden report named the report, one for a
    missing id did not, so whoever reads the audit log learnt which ids exist."""
    hidden = submit(services, establishment, concerns=["staff_bad"]).report_id
    missing = hidden + 1000
    deputy = signed_in_client(app, services, staff("deputy"), clock)
    assert deputy.get(f"/triage/reports/{hidden}").status_code == 404
    assert deputy.get(f"/triage/reports/{missing}").status_code == 404
    with services.db.transaction() as session:
        denials = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "report.access_denied")
            .order_by(AuditEvent.id)
        ).all()
        seen = [
            (e.actor, e.report_id, e.establishment_id, e.chain, sorted(json.loads(e.detail)))
            for e in denials
        ]
        requested = [json.loads(e.detail)["requested"] for e in denials]
    assert requested == [hidden, missing]
    assert seen[0] == seen[1]


def _exported(client_rows: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client_rows)))[1:]


def test_an_auditor_sees_only_their_own_establishments_events(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    other_establishment: int,
    clock: FixedClock,
) -> None:
    alpha_lead = staff("lead")
    signed_in_client(app, services, alpha_lead, clock)  # a sign-in at Alpha
    with services.db.transaction() as session:
        append_audit(
            session, at=clock.now(), actor="kiosk", action="kiosk.enrolled",
            detail={"device_id": 1}, establishment_id=establishment,
        )  # fmt: skip
    beta = signed_in_client(app, services, staff("auditor", [other_establishment]), clock)
    beta_rows = _exported(beta.get("/triage/audit/export.csv").get_data(as_text=True))
    assert "kiosk.enrolled" not in {row[3] for row in beta_rows}
    assert f"staff:{alpha_lead.id}" not in {row[2] for row in beta_rows}
    alpha = signed_in_client(app, services, staff("auditor"), clock)
    alpha_rows = _exported(alpha.get("/triage/audit/export.csv").get_data(as_text=True))
    assert "kiosk.enrolled" in {row[3] for row in alpha_rows}
    assert f"staff:{alpha_lead.id}" in {row[2] for row in alpha_rows}
