"""An NRM referral is typed once (issue 15.3): the duty to notify form records the decision,
the threshold decision and the referral tracked until the Single Competent Authority
answers, in one submission and one run of the report's audit chain. As a lead in a hurry, a
lead who tries the referral form out of habit, and an auditor reading the chain see it."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.services import Services
from storage.models import AuditEvent, DutyToNotifyDecision, ExternalReferral, TimelineEvent
from tests.factories import submit
from tests.triage.test_case import act
from tests.triage.test_referrals import referrals_shown
from tests.triage.test_statutory_duties import CLOSE, decision_shown, status_of

NRM = {
    "dtn_route": "nrm", "dtn_consent": "given", "dtn_referred_by": "Lena Lead",
    "dtn_first_responder": "salvation_army", "dtn_referred_on": "2026-11-27",
    "dtn_reference": "NRM-2026/0042",
    "dtn_reason": "Made to work off a debt on the wing; he agreed with his advocate present.",
}  # fmt: skip


Rows = tuple[list[DutyToNotifyDecision], list[ExternalReferral]]


def rows(services: Services, report_id: int) -> Rows:
    with services.db.transaction() as session:
        decisions = list(
            session.scalars(
                select(DutyToNotifyDecision).where(DutyToNotifyDecision.report_id == report_id)
            )
        )
        tracked = list(
            session.scalars(select(ExternalReferral).where(ExternalReferral.report_id == report_id))
        )
        return decisions, tracked


def audit_trail(services: Services, report_id: int) -> list[tuple[str, dict[str, object]]]:
    with services.db.transaction() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.report_id == report_id).order_by(AuditEvent.id)
        )
        return [(e.action, json.loads(e.detail) if e.detail else {}) for e in events]


def test_one_submission_records_the_duty_to_notify_and_the_tracked_referral(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["made_to_work"]).report_id
    code, _ = act(lead_client, report_id, "duty_to_notify", **NRM)
    assert code == 302
    [decision], [tracked] = rows(services, report_id)
    assert (decision.route, decision.consent, decision.reference) == (
        "nrm",
        "given",
        "NRM-2026/0042",
    )
    assert (tracked.agency, tracked.first_responder, tracked.reference, tracked.consent) == (
        "nrm", "salvation_army", "NRM-2026/0042", "given",
    )  # fmt: skip
    assert tracked.sent_on == decision.referred_on  # the same day, typed once
    assert tracked.chase_on is not None and tracked.chase_on.isoformat() == "2026-12-04"
    assert decision_shown(lead_client, report_id)["Decision"] == "NRM referral made"
    [shown] = referrals_shown(lead_client, report_id)
    assert "Through The Salvation Army" in shown["Agency"]
    # One run of the chain, the duty to notify naming the referral it tracks.
    trail = [(action, detail) for action, detail in audit_trail(services, report_id)
             if action.startswith("report.") and action != "report.viewed"]  # fmt: skip
    actions = [action for action, _ in trail]
    at = actions.index("report.referral_recorded")
    assert actions[at : at + 3] == [
        "report.referral_recorded",
        "report.referral_sent",
        "report.duty_to_notify_recorded",
    ]
    assert trail[at + 2][1]["referral_id"] == tracked.id == trail[at + 1][1]["referral_id"]
    assert "NRM-2026" not in json.dumps(trail) and "Lena" not in json.dumps(trail)
    # The reason is written once and sealed, on the threshold decision and the duty.
    with services.db.transaction() as session:
        bodies = session.scalars(
            select(TimelineEvent.body_sealed).where(TimelineEvent.report_id == report_id)
        ).all()
    assert all(b is None or b"debt" not in b for b in bodies)
    # And the case can close: the duty is met.
    assert act(lead_client, report_id, "close", **CLOSE)[0] == 302
    assert status_of(services, report_id) == "closed"


def test_a_refusal_anywhere_keeps_nothing_of_either(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["made_to_work"]).report_id
    for wrong, field in (
        ({"dtn_consent": "refused"}, "dtn_consent"),
        ({"dtn_reference": ""}, "dtn_reference"),
        ({"dtn_referred_on": "2026-11-29"}, "dtn_referred_on"),  # tomorrow on the test clock
        ({"dtn_reason": ""}, "dtn_reason"),  # the threshold decision needs its reason
    ):
        code, page = act(lead_client, report_id, "duty_to_notify", **{**NRM, **wrong})
        assert code == 400 and field in page.problems(), wrong
    assert rows(services, report_id) == ([], [])


def test_the_referral_form_sends_a_modern_slavery_nrm_referral_to_the_duty_form(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    """Out of habit a lead records it as a referral: refused, so it is never typed twice."""
    report_id = submit(services, establishment, concerns=["made_to_work"]).report_id
    code, page = act(
        lead_client, report_id, "referral", referral_agency="nrm", referral_decision="met",
        referral_reason="Forced labour.", referral_consent="yes",
    )  # fmt: skip
    assert code == 400
    assert page.problems()["referral_agency"].startswith("Record this NRM referral on the duty")
    assert rows(services, report_id) == ([], [])
    # Deciding the NRM threshold is not met is still a referral decision, as before.
    code, _ = act(
        lead_client, report_id, "referral", referral_agency="nrm", referral_decision="not_met",
        referral_reason="Assessed with the police: not exploitation.",
    )  # fmt: skip
    assert code == 302


def test_an_nrm_referral_made_before_the_duty_was_prompted_is_linked_not_made_again(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["made_to_pay"]).report_id
    code, _ = act(
        lead_client, report_id, "referral", referral_agency="nrm", referral_decision="met",
        referral_reason="Consented.", referral_consent="yes", referral_sent_on="2026-11-27",
    )  # fmt: skip
    assert code == 302
    code, _ = act(
        lead_client, report_id, "recategorise", categories="modern_slavery",
        recategorise_reason="Debt worked off in the kitchens: modern slavery.",
    )  # fmt: skip
    assert code == 302
    assert act(lead_client, report_id, "duty_to_notify", **NRM)[0] == 302
    [decision], [tracked] = rows(services, report_id)
    trail = audit_trail(services, report_id)
    [duty] = [detail for action, detail in trail if action == "report.duty_to_notify_recorded"]
    assert duty["referral_id"] == tracked.id and decision.route == "nrm"
    assert [a for a, _ in trail].count("report.referral_sent") == 1


def test_ms1_and_neither_are_recorded_as_before_without_a_referral(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["made_to_work"]).report_id
    ms1 = {"dtn_route": "ms1", "dtn_consent": "refused", "dtn_ms1_on": "2026-11-27"}
    assert act(lead_client, report_id, "duty_to_notify", **ms1)[0] == 302
    [decision], tracked = rows(services, report_id)
    assert decision.route == "ms1" and tracked == []
