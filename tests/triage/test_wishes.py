"""What the person wants (issue 15.1), as the safeguarding lead reads it: the newest answers
on the case page, every answer on the timeline, sealed, and feelings at follow-up counted as
new information. The doors that ask are tested in tests/kiosk and tests/ivr."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.errors import InvalidSubmission
from safeguarding.services import Services
from safeguarding.wishes import FEELINGS_KIND, WISHES_KIND, record_feelings, record_wishes
from storage.models import Report, TimelineEvent
from tests.core.test_storage import _raw_database_bytes
from tests.factories import submit
from tests.triage.helpers import csrf
from tests.triage.test_case import act, case_page, timeline


def wish(services: Services, report_id: int, wants: list[str], sharing: str | None) -> None:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        record_wishes(
            session, report=report, wants=wants, sharing=sharing, channel="kiosk",
            vault=services.secrets.vault, clock=services.clock,
        )  # fmt: skip


def feel(services: Services, report_id: int, did_we: str | None, safer: str | None) -> None:
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        record_feelings(
            session, report=report, did_we=did_we, safer=safer, channel="phone",
            vault=services.secrets.vault, policy=services.policy, clock=services.clock,
        )  # fmt: skip


def kinds(services: Services, report_id: int) -> list[str]:
    with services.db.transaction() as session:
        return list(
            session.scalars(
                select(TimelineEvent.kind)
                .where(TimelineEvent.report_id == report_id)
                .order_by(TimelineEvent.id)
            )
        )


def test_the_lead_reads_what_the_person_wants_and_the_newest_answer_counts(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["bullied"])
    page = case_page(lead_client, receipt.report_id)
    assert "They have not said what they want to happen" in page.by_id("wishes-none").text
    assert page.checked("outcomes_asked") == []  # nothing known: staff answer at closing
    wish(services, receipt.report_id, ["police", "stop"], "ask_me")
    page = case_page(lead_client, receipt.report_id)
    # In the order the choices are offered, whatever order they were touched in.
    wants = [item.text for item in page.inside(page.by_id("wishes-wants"), "li")]
    assert wants == ["Make it stop", "Tell the police"]
    assert page.by_id("wishes-sharing").text == "Ask me first"
    wish(services, receipt.report_id, ["move"], None)
    page = case_page(lead_client, receipt.report_id)
    assert page.by_id("wishes-wants").text == "Move me"
    assert page.by_id("wishes-sharing").text == "They did not say"
    entries = [e for e in timeline(page) if "What they want to happen" in e]
    assert len(entries) == 2
    assert "Make it stop; Tell the police" in entries[1] and "Ask me first" in entries[1]
    assert "Move me" in entries[0] and "not answered" in entries[0]
    # Closing: they said what they wanted, so that is the answer the form starts with.
    assert page.checked("outcomes_asked") == ["asked_expressed"]


def test_skipping_everything_keeps_nothing_and_a_bad_answer_is_refused(
    services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["bullied"])
    wish(services, receipt.report_id, [], None)
    feel(services, receipt.report_id, None, "")
    for wants, sharing in (
        (["just_know", "police"], None),  # "I just want you to know" stands alone
        (["transfer_me_to_the_moon"], None),
        ([], "maybe"),
    ):
        with pytest.raises(InvalidSubmission):
            wish(services, receipt.report_id, wants, sharing)
    with pytest.raises(InvalidSubmission):
        feel(services, receipt.report_id, "definitely", None)
    assert WISHES_KIND not in kinds(services, receipt.report_id)
    assert FEELINGS_KIND not in kinds(services, receipt.report_id)


def test_feelings_at_follow_up_are_new_information_and_reopen_a_closed_case(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["bullied"])
    code, _ = act(
        lead_client, receipt.report_id, "close", close_outcome="resolved_internally",
        outcomes_asked="asked_expressed", outcomes_achieved="fully", risk_outcome="removed",
    )  # fmt: skip
    assert code == 302
    feel(services, receipt.report_id, "no", "not_sure")
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        assert report.status != "closed" and report.new_information_at is not None
        assert report.priority == "standard"  # "not sure" is heard, and changes no priority
    page = case_page(lead_client, receipt.report_id)
    assert page.by_id("wishes-did-we").text == "No"
    assert page.by_id("wishes-safer").text == "I am not sure"
    assert "reopened_by_reporter" in kinds(services, receipt.report_id)
    feel(services, receipt.report_id, None, "no")
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        assert report.priority == "high"  # not safer: the reporter's side of a check-in
    page = case_page(lead_client, receipt.report_id)
    assert page.by_id("wishes-did-we").text == "They did not say"  # the newest answer counts
    assert page.by_id("wishes-safer").text == "No"


def test_wishes_are_sealed_in_the_database(
    services: Services, establishment: int, database_kind: str, database_url: str
) -> None:
    receipt = submit(services, establishment, concerns=["bullied"])
    wish(services, receipt.report_id, ["police", "move"], "no")
    feel(services, receipt.report_id, "partly", "no")
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert len(raw) > 10_000 and b"reporter_wishes" in raw  # we really read the stored rows
    for marker in (b'"wants"', b'"police"', b'"sharing"', b'"did_we"', b'"safer"'):
        assert marker not in raw


def test_a_reader_in_welsh_sees_the_choices_in_welsh(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    receipt = submit(services, establishment, concerns=["bullied"])
    wish(services, receipt.report_id, ["talk"], "yes")
    lead_client.post("/triage/account", data={"csrf_token": csrf(lead_client), "language": "cy"})
    page = case_page(lead_client, receipt.report_id)
    assert page.by_id("wishes-wants").text not in ("", "Talk to someone")
