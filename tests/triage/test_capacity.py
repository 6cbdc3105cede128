"""Capacity and consent (issue 15.2): a record per decision that follows the Mental Capacity
Act's principles, its words sealed; closing outcomes in the Safeguarding Adults Collection's
terms; and the board's CSV counting them, "not recorded" included."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.services import Services
from storage.models import CapacityRecord, Report, TimelineEvent
from tests.factories import submit
from tests.triage.test_case import act, case_page, timeline

DECISION = "Whether to move to the vulnerable prisoners unit."
HELPED = "Explained with pictures twice, with his Listener present."
CONSULTED = "His sister, the wing officer and the mental health nurse."
LEAST = "Stay on C wing with a daily welfare check instead of a move."


def records(services: Services, report_id: int) -> list[CapacityRecord]:
    with services.db.transaction() as session:
        return list(
            session.scalars(select(CapacityRecord).where(CapacityRecord.report_id == report_id))
        )


def test_capacity_is_presumed_and_a_finding_of_lack_needs_support_and_best_interests(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_pay"])
    lacking = {
        "capacity_decision": DECISION, "capacity_in_doubt": "yes", "capacity_lacks": "yes",
        "capacity_support_given": HELPED, "capacity_support": "advocate",
        "capacity_consulted": CONSULTED, "capacity_least_restrictive": LEAST,
    }  # fmt: skip
    for fields, field, message in (
        ({"capacity_decision": ""}, "capacity_decision", "Say which decision this is about."),
        ({"capacity_in_doubt": ""}, "capacity_in_doubt", "Say whether capacity was in doubt."),
        ({"capacity_lacks": ""}, "capacity_lacks", "Say what the assessment found."),
        ({"capacity_support_given": " "}, "capacity_support_given",
         "Say how the person was helped to decide. This comes before any finding."),
        ({"capacity_consulted": ""}, "capacity_consulted",
         "Say who was consulted about their best interests."),
        ({"capacity_least_restrictive": ""}, "capacity_least_restrictive",
         "Say what the least restrictive option is."),
        ({"capacity_support": "priest"}, "capacity_support", "Choose who supported them."),
    ):  # fmt: skip
        code, page = act(lead_client, receipt.report_id, "capacity", **{**lacking, **fields})
        assert code == 400 and page.problems() == {field: message}
        # Nothing typed is lost.
        typed = fields.get("capacity_support_given", HELPED).strip()
        assert page.by_id("capacity_support_given").text == typed
    assert records(services, receipt.report_id) == []
    # Not in doubt: presumed, and no assessment is asked for or kept.
    code, _ = act(
        lead_client, receipt.report_id, "capacity",
        capacity_decision="Whether to tell the police.", capacity_in_doubt="no",
        capacity_lacks="yes",
    )  # fmt: skip
    assert code == 302
    assert act(lead_client, receipt.report_id, "capacity", **lacking)[0] == 302
    presumed, lacked = records(services, receipt.report_id)
    assert (presumed.in_doubt, presumed.lacks_capacity, presumed.best_interests) == (
        False, "not_assessed", False,
    )  # fmt: skip
    assert (lacked.lacks_capacity, lacked.support, lacked.best_interests) == (
        "yes", "advocate", True,
    )  # fmt: skip
    page = case_page(lead_client, receipt.report_id)
    assert [row["Finding"] for row in page.table("capacity-table")] == [
        "Not in doubt: capacity presumed",
        "Lacks capacity for this decision",
    ]
    [entry] = [e for e in timeline(page) if CONSULTED in e]
    assert DECISION in entry and HELPED in entry and LEAST in entry
    with services.db.transaction() as session:
        sealed = session.scalars(
            select(TimelineEvent.body_sealed).where(TimelineEvent.kind == "capacity_recorded")
        ).all()
        assert len(sealed) == 2 and all(CONSULTED.encode() not in (b or b"") for b in sealed)


def test_closing_records_what_they_wanted_and_the_risk_in_the_collection_s_terms(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_pay"])
    close = {"close_outcome": "resolved_internally", "risk_outcome": "reduced"}
    code, page = act(
        lead_client, receipt.report_id, "close", **close, outcomes_asked="asked_expressed"
    )
    assert code == 400 and page.problems() == {
        "outcomes_achieved": "They said what they wanted: say how far it was achieved."
    }
    code, page = act(
        lead_client, receipt.report_id, "close", **close,
        outcomes_asked="not_asked", outcomes_achieved="fully",
    )  # fmt: skip
    assert code == 400 and page.problems() == {
        "outcomes_achieved": "Say how far it was achieved only when they said what they wanted."
    }
    code, _ = act(
        lead_client, receipt.report_id, "close", **close,
        outcomes_asked="asked_expressed", outcomes_achieved="partly",
    )  # fmt: skip
    assert code == 302
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        assert (report.status, report.outcomes_asked, report.outcomes_achieved) == (
            "closed", "asked_expressed", "partly",
        )  # fmt: skip
        assert report.risk_outcome == "reduced"


def test_the_board_csv_counts_closing_outcomes_and_capacity_with_not_recorded(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    ids = [submit(services, establishment, concerns=["made_to_pay"]).report_id for _ in range(3)]
    act(
        lead_client, ids[0], "capacity",
        capacity_decision=DECISION, capacity_in_doubt="yes", capacity_lacks="yes",
        capacity_support_given=HELPED, capacity_support="appropriate_adult",
        capacity_consulted=CONSULTED, capacity_least_restrictive=LEAST,
    )  # fmt: skip
    act(
        lead_client, ids[0], "close", close_outcome="resolved_internally",
        outcomes_asked="asked_expressed", outcomes_achieved="fully", risk_outcome="removed",
    )  # fmt: skip
    act(lead_client, ids[1], "close", close_outcome="resolved_internally", risk_outcome="remains")
    act(lead_client, ids[2], "close", close_outcome="resolved_internally")
    response = lead_client.get("/triage/quality/export.csv?exact=1")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    closing = {
        (r["section"], r["item"]): r["value"] for r in rows if r["section"].startswith("closed_")
    }
    assert closing == {
        ("closed_outcomes_asked", "asked_expressed"): "1",
        ("closed_outcomes_asked", "not_recorded"): "2",
        ("closed_outcomes_achieved", "fully"): "1",
        ("closed_risk", "removed"): "1",
        ("closed_risk", "remains"): "1",
        ("closed_risk", "not_recorded"): "1",
        ("closed_lacked_capacity", "yes"): "1",
        ("closed_lacked_capacity", "not_recorded"): "2",
        ("closed_supported", "yes"): "1",
    }
    assert all(DECISION not in value for row in rows for value in row.values())
