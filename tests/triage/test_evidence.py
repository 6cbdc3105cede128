"""Clocks that protect evidence (issue 15.5): which reports get which items, their
countdowns on the case and in the queue, recording them, and who may."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.evidence import EVIDENCE_LABELS
from safeguarding.evidence_policy import EVIDENCE_KINDS
from safeguarding.policy import PolicyError, load_policy
from safeguarding.services import Services
from storage.models import AuditEvent, EvidenceTask
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, queue_rows, signed_in_client
from tests.triage.test_case import act, case_page, timeline
from tests.triage.test_recategorise import recategorise

WHY_NOT = "The camera on the landing was broken that week: checked with security."


def tasks(services: Services, report_id: int) -> dict[str, EvidenceTask]:
    with services.db.transaction() as session:
        found = session.scalars(select(EvidenceTask).where(EvidenceTask.report_id == report_id))
        return {task.kind: task for task in found}


def queue_due(client: FlaskClient, report_id: int) -> str:
    [row] = [r for r in queue_rows(client) if r["Report"].startswith(f"Report {report_id}")]
    return row["Due"]


def test_every_kind_has_its_words() -> None:
    assert set(EVIDENCE_LABELS) == set(EVIDENCE_KINDS)


@pytest.mark.parametrize(
    ("concerns", "extra", "expected"),
    [
        # Sexual: photographs, the forensic window, and the cameras.
        (["sexual"], {}, {"injury_photographs": 2, "forensic_examination": 7, "cctv": 30}),
        (["hurting_me"], {}, {"injury_photographs": 2, "cctv": 30}),
        (["threatening_me"], {}, {"cctv": 30}),
        # A member of staff involved: the cameras (and body-worn video) before they go.
        (["staff_bad"], {}, {"cctv": 30}),
        (["bullied"], {"staff_involved": "yes"}, {"cctv": 30}),
        (["bullied"], {"staff_involved": "not_sure"}, {"cctv": 30}),
        (["bullied"], {"injured": True}, {"injury_photographs": 2, "cctv": 30}),
        # Below the threshold: nothing to secure, nothing shown.
        (["bullied"], {}, {}),
        (["made_to_pay"], {"staff_involved": "no"}, {}),
        (["hurting_myself"], {}, {}),
        (["made_to_work"], {}, {}),
    ],
)
def test_which_reports_get_which_evidence_clocks(
    services: Services,
    establishment: int,
    clock: FixedClock,
    concerns: list[str],
    extra: dict[str, object],
    expected: dict[str, int],
) -> None:
    receipt = submit(services, establishment, concerns=concerns, **extra)
    found = tasks(services, receipt.report_id)
    assert {kind: (task.due_at - clock.now()).days for kind, task in found.items()} == expected
    assert all(task.outcome is None for task in found.values())


def test_the_case_shows_each_countdown_and_the_queue_the_soonest(
    app: Flask, lead: StaffLogin, services: Services, establishment: int, clock: FixedClock
) -> None:
    lead_client = signed_in_client(app, services, lead, clock)
    receipt = submit(services, establishment, concerns=["sexual"])
    shown = case_page(lead_client, receipt.report_id).table("evidence-table")
    assert shown == [
        {"Evidence": "Photographs of injuries", "Secure by": "30 Nov 2026, 09:00",
         "State": "Days left: 2"},
        {"Evidence": "Forensic examination", "Secure by": "5 Dec 2026, 09:00",
         "State": "Days left: 7"},
        {"Evidence": "CCTV and body-worn video", "Secure by": "28 Dec 2026, 09:00",
         "State": "Days left: 30"},
    ]  # fmt: skip
    assert "Secure evidence by 30 Nov 2026, 09:00" in queue_due(lead_client, receipt.report_id)
    clock.advance(timedelta(days=1, minutes=1))
    lead_client = signed_in_client(app, services, lead, clock)  # a new day, a new sign-in
    shown = case_page(lead_client, receipt.report_id).table("evidence-table")
    assert shown[0]["State"] == "Hours left: 23"
    clock.advance(timedelta(days=1))
    lead_client = signed_in_client(app, services, lead, clock)
    shown = case_page(lead_client, receipt.report_id).table("evidence-table")
    assert [row["State"] for row in shown] == ["Overdue", "Days left: 4", "Days left: 27"]
    due = queue_due(lead_client, receipt.report_id)
    assert "Evidence overdue" in due and "Secure evidence by" not in due


def test_a_report_below_the_threshold_shows_no_evidence_section(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["bullied"])
    page = case_page(lead_client, receipt.report_id)
    assert not page.has_id("evidence")
    assert "evidence" not in queue_due(lead_client, receipt.report_id).lower()


def test_recording_evidence_secured_or_not_possible_with_a_reason(
    lead_client: FlaskClient, services: Services, establishment: int, clock: FixedClock
) -> None:
    receipt = submit(services, establishment, concerns=["hurting_me"])
    found = tasks(services, receipt.report_id)
    photos, cctv = str(found["injury_photographs"].id), str(found["cctv"].id)
    # Not possible needs the reason; what was chosen stays on the form.
    code, page = act(
        lead_client, receipt.report_id, "evidence",
        evidence_task=cctv, evidence_outcome="not_possible", evidence_note="  ",
    )  # fmt: skip
    assert code == 400 and page.problems() == {"evidence_note": "Write something in the box."}
    assert page.by_id("evidence_outcome-not_possible").attrs.get("checked") is not None
    code, page = act(
        lead_client, receipt.report_id, "evidence", evidence_task=cctv, evidence_outcome="maybe"
    )
    assert code == 400 and page.problems() == {
        "evidence_outcome": "Choose secured or not possible."
    }
    assert all(task.outcome is None for task in tasks(services, receipt.report_id).values())
    assert act(
        lead_client, receipt.report_id, "evidence",
        evidence_task=cctv, evidence_outcome="not_possible", evidence_note=WHY_NOT,
    )[0] == 302  # fmt: skip
    assert (
        act(
            lead_client,
            receipt.report_id,
            "evidence",
            evidence_task=photos,
            evidence_outcome="secured",
        )[0]
        == 302
    )
    page = case_page(lead_client, receipt.report_id)
    states = [row["State"] for row in page.table("evidence-table")]
    assert states == ["Secured (28 Nov 2026, 09:00)", "Not possible (28 Nov 2026, 09:00)"]
    assert not page.has_id("evidence_task")  # nothing left to record: no form
    entries = timeline(page)
    assert any("CCTV and body-worn video: Not possible" in e and WHY_NOT in e for e in entries)
    assert any("Photographs of injuries: Secured" in e for e in entries)
    assert "evidence" not in queue_due(lead_client, receipt.report_id).lower()
    # Recorded once: a second record (two people at once) is refused, the first stands.
    code, page = act(
        lead_client, receipt.report_id, "evidence", evidence_task=photos, evidence_outcome="secured"
    )
    assert code == 400 and page.problems() == {
        "evidence": "That evidence is already recorded. The case timeline says by whom."
    }
    with services.db.transaction() as session:
        audits = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.evidence_recorded")
        ).all()
        assert len(audits) == 2
        assert all(WHY_NOT not in (audit.detail or "") for audit in audits)
        assert {json.loads(a.detail or "{}")["outcome"] for a in audits} == {
            "secured",
            "not_possible",
        }


def test_another_case_s_evidence_cannot_be_recorded_from_this_one(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    first = submit(services, establishment, concerns=["sexual"])
    second = submit(services, establishment, concerns=["hurting_me"])
    forensic = tasks(services, first.report_id)["forensic_examination"]
    code, page = act(
        lead_client, second.report_id, "evidence",
        evidence_task=str(forensic.id), evidence_outcome="secured",
    )  # fmt: skip
    assert code == 400 and page.problems() == {"actions": "Choose the evidence from the list."}
    assert tasks(services, first.report_id)["forensic_examination"].outcome is None


def test_a_closed_case_keeps_its_record_and_takes_no_more(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["hurting_me"])
    act(lead_client, receipt.report_id, "acknowledge")
    act(lead_client, receipt.report_id, "close", close_outcome="resolved_internally")
    cctv = tasks(services, receipt.report_id)["cctv"]
    code, _ = act(
        lead_client, receipt.report_id, "evidence",
        evidence_task=str(cctv.id), evidence_outcome="secured",
    )  # fmt: skip
    assert code == 400
    assert tasks(services, receipt.report_id)["cctv"].outcome is None
    assert not case_page(lead_client, receipt.report_id).has_id("evidence_task")


def test_a_report_recategorised_as_sexual_gets_the_forensic_clock_from_its_arrival(
    app: Flask, lead: StaffLogin, services: Services, establishment: int, clock: FixedClock
) -> None:
    receipt = submit(services, establishment, concerns=["bullied"])
    clock.advance(timedelta(days=8))
    lead_client = signed_in_client(app, services, lead, clock)
    code, _, _ = recategorise(lead_client, receipt.report_id, ["sexual"])
    assert code == 302
    found = tasks(services, receipt.report_id)
    assert set(found) == {"injury_photographs", "forensic_examination", "cctv"}
    # The window ran from the report, not from the correction: it is already past.
    assert found["forensic_examination"].due_at < clock.now()
    assert "Evidence overdue" in queue_due(lead_client, receipt.report_id)
    # A second correction starts nothing twice.
    recategorise(lead_client, receipt.report_id, ["sexual", "physical"])
    assert len(tasks(services, receipt.report_id)) == 3


def test_auditors_read_the_evidence_but_cannot_record_it(
    app: Flask, services: Services, staff: StaffFactory, establishment: int, clock: FixedClock
) -> None:
    receipt = submit(services, establishment, concerns=["hurting_me"])
    auditor = signed_in_client(app, services, staff("auditor"), clock)
    page = case_page(auditor, receipt.report_id)
    assert len(page.table("evidence-table")) == 2
    assert not page.has_id("evidence_task")
    cctv = tasks(services, receipt.report_id)["cctv"]
    code, _ = act(
        auditor, receipt.report_id, "evidence",
        evidence_task=str(cctv.id), evidence_outcome="secured",
    )  # fmt: skip
    assert code == 404
    assert tasks(services, receipt.report_id)["cctv"].outcome is None


def test_the_policy_sets_the_windows_and_can_turn_an_item_off(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        '[evidence.cctv]\nwithin = "14d"\n[evidence.forensic_examination]\nwhen_categories = []\n'
    )
    clocks = {clock.kind: clock for clock in load_policy(path).evidence}
    assert clocks["cctv"].within == timedelta(days=14)
    assert not clocks["forensic_examination"].when_categories
    path.write_text('[evidence.cctv]\nwithin = "soon"\n')
    with pytest.raises(PolicyError, match=re.escape("evidence.cctv.within")):
        load_policy(path)
    path.write_text('[evidence.cctv]\nwhen_flags = ["shouting"]\n')
    with pytest.raises(PolicyError, match=re.escape("evidence.cctv.when_flags")):
        load_policy(path)
    path.write_text('[evidence.dna_swab]\nwithin = "1d"\n')
    with pytest.raises(PolicyError, match=re.escape("evidence.dna_swab")):
        load_policy(path)
