"""Statutory duties block closing: an ACCT prompt or a duty-to-notify prompt without a
recorded decision refuses "close"; NRM consent and the referral's facts, or the MS1 date,
are stored and shown on the case page."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent, DutyToNotifyDecision, Report
from tests.factories import submit
from tests.triage.test_case import act

CLOSE = {"close_outcome": "resolved_internally"}


def status_of(services: Services, report_id: int) -> str:
    with services.db.transaction() as session:
        found = session.get(Report, report_id)
        assert found is not None
        return found.status


def decisions(services: Services, report_id: int) -> list[DutyToNotifyDecision]:
    with services.db.transaction() as session:
        found = session.scalars(
            select(DutyToNotifyDecision).where(DutyToNotifyDecision.report_id == report_id)
        ).all()
        session.expunge_all()
        return list(found)


def test_a_modern_slavery_case_cannot_close_without_a_duty_to_notify_decision(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_work"])
    page = lead_client.get(f"/triage/reports/{receipt.report_id}").get_data(as_text=True)
    assert "Before closing, record the duty to notify decision." in page
    assert "No decision recorded yet." in page
    code, body = act(lead_client, receipt.report_id, "close", **CLOSE)
    assert code == 400 and "Record the duty to notify decision" in body
    assert status_of(services, receipt.report_id) != "closed"
    code, _ = act(
        lead_client, receipt.report_id, "duty_to_notify",
        dtn_route="ms1", dtn_consent="refused", dtn_ms1_on="2026-11-27",
    )  # fmt: skip
    assert code == 302
    [decision] = decisions(services, receipt.report_id)
    assert (decision.route, decision.consent) == ("ms1", "refused")
    assert decision.ms1_notified_on is not None and decision.ms1_notified_on.isoformat() == (
        "2026-11-27"
    )
    page = lead_client.get(f"/triage/reports/{receipt.report_id}").get_data(as_text=True)
    assert "MS1 sent on" in page and "2026-11-27" in page and "Consent refused" in page
    assert act(lead_client, receipt.report_id, "close", **CLOSE)[0] == 302
    assert status_of(services, receipt.report_id) == "closed"


def test_an_nrm_referral_needs_consent_and_stores_who_where_when_and_the_reference(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_work"])
    nrm = {
        "dtn_route": "nrm", "dtn_referred_by": "Lena Lead", "dtn_first_responder": "police",
        "dtn_referred_on": "2026-11-28", "dtn_reference": "NRM-2026/0042",
    }  # fmt: skip
    for consent in ("refused", "not_asked", "lacks_capacity"):
        code, body = act(
            lead_client, receipt.report_id, "duty_to_notify", dtn_consent=consent, **nrm
        )
        assert code == 400 and "An NRM referral needs the person&#39;s consent" in body
    tomorrow = {**nrm, "dtn_referred_on": "2026-11-29"}  # the test clock says 28 November
    code, body = act(
        lead_client, receipt.report_id, "duty_to_notify", dtn_consent="given", **tomorrow
    )
    assert code == 400 and "Enter the date of the referral" in body
    assert decisions(services, receipt.report_id) == []
    code, _ = act(lead_client, receipt.report_id, "duty_to_notify", dtn_consent="given", **nrm)
    assert code == 302
    [decision] = decisions(services, receipt.report_id)
    assert (decision.consent, decision.referred_by, decision.first_responder) == (
        "given", "Lena Lead", "police",
    )  # fmt: skip
    assert decision.reference == "NRM-2026/0042"
    assert decision.referred_on is not None and decision.referred_on.isoformat() == "2026-11-28"
    page = lead_client.get(f"/triage/reports/{receipt.report_id}").get_data(as_text=True)
    assert "Lena Lead to Police on 2026-11-28, reference NRM-2026/0042" in page
    with services.db.transaction() as session:
        detail = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "report.duty_to_notify_recorded")
        ).one()
    assert "NRM-2026" not in detail and "Lena" not in detail  # ids only in the audit log


def test_neither_route_needs_a_reason(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_work"])
    fields = {"dtn_route": "not_required", "dtn_consent": "not_asked"}
    code, body = act(lead_client, receipt.report_id, "duty_to_notify", **fields)
    assert code == 400 and "Write something in the box." in body
    fields["dtn_reason"] = "Assessed with the police: a debt between cellmates, not exploitation."
    assert act(lead_client, receipt.report_id, "duty_to_notify", **fields)[0] == 302
    assert act(lead_client, receipt.report_id, "close", **CLOSE)[0] == 302


def test_a_self_harm_case_cannot_close_without_an_acct_decision(
    lead_client: FlaskClient, services: Services, establishment: int, clock: FixedClock
) -> None:
    receipt = submit(services, establishment, concerns=["hurting_myself"])
    code, body = act(lead_client, receipt.report_id, "close", **CLOSE)
    assert code == 400 and "Record the ACCT decision" in body
    code, _ = act(
        lead_client, receipt.report_id, "referral", referral_agency="acct",
        referral_decision="not_met", referral_reason="Seen by healthcare: an ACCT is not needed.",
    )  # fmt: skip
    assert code == 302
    assert act(lead_client, receipt.report_id, "close", **CLOSE)[0] == 302


def test_a_case_without_prompts_closes_as_before(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["bullied"])
    page = lead_client.get(f"/triage/reports/{receipt.report_id}").get_data(as_text=True)
    assert 'id="duty-to-notify"' not in page and 'id="closing-blockers"' not in page
    assert act(lead_client, receipt.report_id, "close", **CLOSE)[0] == 302
