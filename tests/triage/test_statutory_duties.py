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
from tests.triage.test_case import act, case_page

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


def decision_shown(client: FlaskClient, report_id: int) -> dict[str, str]:
    """The recorded duty to notify decision, as the case page lists it."""
    page = case_page(client, report_id)
    [decision] = page.inside(page.by_id("duty-to-notify"), "dl")
    return page.summary(decision)


def test_a_modern_slavery_case_cannot_close_without_a_duty_to_notify_decision(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_work"])
    page = case_page(lead_client, receipt.report_id)
    assert (
        page.region("closing-blockers")
        == "! Warning Before closing, record the duty to notify decision."
    )
    assert page.region("duty-to-notify").startswith(
        "Duty to notify (modern slavery) No decision recorded yet."
    )
    code, body = act(lead_client, receipt.report_id, "close", **CLOSE)
    assert code == 400 and "Record the duty to notify decision" in body.field_error("close_outcome")
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
    assert decision_shown(lead_client, receipt.report_id) == {
        "Decision": "MS1 notification sent",
        "Consent": "Consent refused",
        "MS1 sent on": "2026-11-27",
    }
    assert act(lead_client, receipt.report_id, "close", **CLOSE)[0] == 302
    assert status_of(services, receipt.report_id) == "closed"


def test_an_nrm_referral_needs_consent_and_stores_who_where_when_and_the_reference(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_work"])
    nrm = {
        "dtn_route": "nrm", "dtn_referred_by": "Lena Lead", "dtn_first_responder": "police",
        "dtn_referred_on": "2026-11-28", "dtn_reference": "NRM-2026/0042",
        "dtn_reason": "Forced to work for another prisoner's debt; he agreed to the referral.",
    }  # fmt: skip
    for consent in ("refused", "not_asked", "lacks_capacity"):
        code, body = act(
            lead_client, receipt.report_id, "duty_to_notify", dtn_consent=consent, **nrm
        )
        assert code == 400
        assert body.field_error("dtn_consent").startswith(
            "An NRM referral needs the person's consent"
        )
    tomorrow = {**nrm, "dtn_referred_on": "2026-11-29"}  # the test clock says 28 November
    code, body = act(
        lead_client, receipt.report_id, "duty_to_notify", dtn_consent="given", **tomorrow
    )
    assert code == 400 and body.field_error("dtn_referred_on").startswith(
        "Enter the date of the referral"
    )
    assert decisions(services, receipt.report_id) == []
    code, _ = act(lead_client, receipt.report_id, "duty_to_notify", dtn_consent="given", **nrm)
    assert code == 302
    [decision] = decisions(services, receipt.report_id)
    assert (decision.consent, decision.referred_by, decision.first_responder) == (
        "given", "Lena Lead", "police",
    )  # fmt: skip
    assert decision.reference == "NRM-2026/0042"
    assert decision.referred_on is not None and decision.referred_on.isoformat() == "2026-11-28"
    shown = decision_shown(lead_client, receipt.report_id)
    assert shown["Referral"] == "Lena Lead to Police on 2026-11-28, reference NRM-2026/0042"
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
    assert code == 400 and body.field_error("dtn_reason") == "Write something in the box."
    fields["dtn_reason"] = "Assessed with the police: a debt between cellmates, not exploitation."
    assert act(lead_client, receipt.report_id, "duty_to_notify", **fields)[0] == 302
    assert act(lead_client, receipt.report_id, "close", **CLOSE)[0] == 302


def test_a_self_harm_case_cannot_close_without_an_acct_decision(
    lead_client: FlaskClient, services: Services, establishment: int, clock: FixedClock
) -> None:
    receipt = submit(services, establishment, concerns=["hurting_myself"])
    code, body = act(lead_client, receipt.report_id, "close", **CLOSE)
    assert code == 400 and "Record the ACCT decision" in body.field_error("close_outcome")
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
    page = case_page(lead_client, receipt.report_id)
    assert not page.has_id("duty-to-notify") and not page.has_id("closing-blockers")
    assert act(lead_client, receipt.report_id, "close", **CLOSE)[0] == 302
