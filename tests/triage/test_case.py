"""The case page and its actions, over HTTP, with their timeline, audit and outbox effects."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.followup import MESSAGE_EVENT_KIND, reporter_view
from safeguarding.services import Services
from safeguarding.timeline_facts import read_fact
from storage.models import AuditEvent, OutboxMessage, Recording, Report, ReportLink
from storage.sealed_fields import RECORDING_AUDIO
from tests.factories import submit
from tests.support.pages import Page, parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, csrf, page_at, queue_ids, signed_in_client


def act(client: FlaskClient, report_id: int, action: str, **fields: str) -> tuple[int, Page]:
    """Post one of the case page's forms: the status, and the page that came back."""
    token = csrf(client, f"/triage/reports/{report_id}")
    response = client.post(
        f"/triage/reports/{report_id}/{action}", data={"csrf_token": token, **fields}
    )
    return response.status_code, parse(response)


def case_page(client: FlaskClient, report_id: int) -> Page:
    return page_at(client, f"/triage/reports/{report_id}")


def timeline(page: Page) -> list[str]:
    """The case timeline, one entry's words a string, newest first."""
    return [entry.text for entry in page.by_class("moj-timeline__item")]


def report(services: Services, report_id: int) -> Report:
    with services.db.transaction() as session:
        found = session.get(Report, report_id)
        assert found is not None
        _ = (found.events, found.answers)  # load while the session is open
        return found


def audit_actions(services: Services, report_id: int) -> list[str]:
    with services.db.transaction() as session:
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.report_id == report_id)
                .order_by(AuditEvent.id)
            )
        )


def test_the_case_page_shows_what_was_said_and_is_audited(
    lead_client: FlaskClient, services: Services, establishment: int, lead: StaffLogin
) -> None:
    receipt = submit(
        services,
        establishment,
        language="cy",
        concerns=["made_to_pay", "bullied"],
        details="Mae rhywun yn cymryd fy arian <script>alert(1)</script>",
        reporter_identity="A1234BC",
    )
    response = lead_client.get(f"/triage/reports/{receipt.report_id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = parse(response)
    answers = [(row["Question"], row["Answer"]) for row in page.table("answers")]
    assert ("What is happening?", "I am being made to pay or give things.") in answers
    free_text = page.by_id("free-text")
    assert free_text.attrs["lang"] == "cy"
    assert free_text.text == "Mae rhywun yn cymryd fy arian <script>alert(1)</script>"
    assert not page.all("script", type="") and not page.inside(free_text)  # words, not markup
    assert page.region("interpreter-needed") == "Interpreter needed"
    assert "A1234BC" in page.summary("case-summary")["Reporter"]
    assert audit_actions(services, receipt.report_id)[-1] == "report.viewed"
    with services.db.transaction() as session:
        viewed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.viewed")
        ).one()
        assert viewed.actor == f"staff:{lead.id}"
        assert "arian" not in viewed.detail


def test_acknowledging_starts_the_triage_clock_once(
    lead_client: FlaskClient, services: Services, establishment: int, clock: FixedClock
) -> None:
    report_id = submit(services, establishment, concerns=["hurting_myself"]).report_id
    assert act(lead_client, report_id, "acknowledge")[0] == 302
    acknowledged = report(services, report_id)
    assert acknowledged.status == "acknowledged"
    assert acknowledged.acknowledged_at == clock.now()
    assert [e.kind for e in acknowledged.events] == ["received", "acknowledged"]
    status, body = act(lead_client, report_id, "acknowledge")
    assert status == 400 and "already acknowledged" in body.error_summary()["actions"]
    assert audit_actions(services, report_id).count("report.acknowledged") == 1


def test_notes_are_sealed_and_shown_on_the_timeline(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment).report_id
    assert act(lead_client, report_id, "note", note_text="Spoke to B wing SO.")[0] == 302
    note = report(services, report_id).events[-1]
    assert note.kind == "note" and note.body_sealed is not None
    assert b"B wing" not in note.body_sealed
    assert "Spoke to B wing SO." in timeline(case_page(lead_client, report_id))[0]
    status, body = act(lead_client, report_id, "note", note_text="   ")
    assert status == 400 and body.field_error("note_text") == "Write something in the box."


def test_escalating_alerts_the_governor_through_the_outbox(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment, concerns=["hurting_me"]).report_id
    assert act(lead_client, report_id, "escalate", escalate_reason="Named officer.")[0] == 302
    with services.db.transaction() as session:
        alert = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "alert.escalation")
        ).one()
        assert f'"report_id": {report_id}' in alert.payload
        assert "officer" not in alert.payload  # alerts carry no content
    assert act(lead_client, report_id, "escalate", escalate_reason="")[0] == 400


def test_referral_decisions_with_their_threshold_and_reason(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    # Not a modern slavery concern: there an NRM referral is recorded with the duty to notify
    # decision instead (tests/triage/test_nrm_referral.py).
    report_id = submit(services, establishment, concerns=["made_to_pay"]).report_id
    ok = act(
        lead_client,
        report_id,
        "referral",
        referral_agency="police",
        referral_decision="met",
        referral_reason="Assault.",
    )
    assert ok[0] == 302
    refused = act(
        lead_client,
        report_id,
        "referral",
        referral_agency="nrm",
        referral_decision="met",
        referral_reason="Forced labour.",
    )
    assert (
        refused[0] == 400
        and "needs the person's consent" in refused[1].error_summary()["referral_consent"]
    )
    ms1 = act(
        lead_client,
        report_id,
        "referral",
        referral_agency="ms1",
        referral_decision="met",
        referral_reason="No consent.",
    )
    nrm = act(
        lead_client,
        report_id,
        "referral",
        referral_agency="nrm",
        referral_decision="met",
        referral_reason="Consented.",
        referral_consent="yes",
    )
    internal = act(
        lead_client,
        report_id,
        "referral",
        referral_agency="local_authority",
        referral_decision="not_met",
        referral_reason="Handled on the wing.",
    )
    assert ms1[0] == nrm[0] == internal[0] == 302
    referrals = [
        (fact.text("agency"), fact.text("decision"))
        for e in report(services, report_id).events
        if e.kind == "external_referral" and (fact := read_fact(e.summary)) is not None
    ]
    assert referrals == [
        ("police", "met"),
        ("ms1", "met"),
        ("nrm", "met"),
        ("local_authority", "not_met"),
    ]
    assert (
        act(
            lead_client,
            report_id,
            "referral",
            referral_agency="nobody",
            referral_decision="met",
            referral_reason="x",
        )[0]
        == 400
    )


def test_a_message_reaches_the_reporter_in_their_view(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    report_id = submit(services, establishment).report_id
    assert act(lead_client, report_id, "message", message_id="will_speak")[0] == 302
    event = report(services, report_id).events[-1]
    assert (event.kind, event.summary) == (MESSAGE_EVENT_KIND, "will_speak")
    assert [m.id for m in reporter_view(report(services, report_id)).messages] == ["will_speak"]
    assert act(lead_client, report_id, "message", message_id="free text")[0] == 400


def test_status_changes_and_closing_with_an_outcome(
    lead_client: FlaskClient, services: Services, establishment: int, clock: FixedClock
) -> None:
    report_id = submit(services, establishment).report_id
    assert act(lead_client, report_id, "status", status="investigating")[0] == 302
    assert report(services, report_id).acknowledged_at is not None
    assert act(lead_client, report_id, "status", status="closed")[0] == 400  # needs an outcome
    assert act(lead_client, report_id, "close", close_outcome="")[0] == 400
    clock.advance(timedelta(minutes=10))
    assert (
        act(
            lead_client,
            report_id,
            "close",
            close_outcome="resolved_internally",
            close_note="Moved wing.",
        )[0]
        == 302
    )
    closed = report(services, report_id)
    assert (closed.status, closed.closed_at) == ("closed", clock.now())
    assert act(lead_client, report_id, "escalate", escalate_reason="late")[0] == 400
    assert report_id not in queue_ids(lead_client)
    assert act(lead_client, report_id, "status", status="investigating")[0] == 302  # reopened
    assert report(services, report_id).closed_at is None


def test_assignment_goes_only_to_someone_who_may_read_it(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    other_establishment: int,
    staff: StaffFactory,
) -> None:
    restricted = submit(services, establishment, concerns=["staff_bad"]).report_id
    deputy, governor = staff("deputy"), staff("governor")
    elsewhere = staff("lead", [other_establishment])
    auditor = staff("auditor")
    assert act(lead_client, restricted, "assign", assign_staff=str(deputy.id))[0] == 400
    assert act(lead_client, restricted, "assign", assign_staff=str(elsewhere.id))[0] == 400
    assert act(lead_client, restricted, "assign", assign_staff=str(auditor.id))[0] == 400
    assert act(lead_client, restricted, "assign", assign_staff=str(governor.id))[0] == 302
    choices = case_page(lead_client, restricted).options("assign_staff")
    assert str(governor.id) in choices and str(deputy.id) not in choices


def test_linking_reports_both_ways(
    app: Flask,
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    first = submit(services, establishment).report_id
    second = submit(services, establishment).report_id
    restricted = submit(services, establishment, concerns=["staff_bad"]).report_id
    assert act(lead_client, first, "link", link_report=str(second))[0] == 302
    assert act(lead_client, first, "link", link_report=str(second))[0] == 400
    assert act(lead_client, first, "link", link_report=str(first))[0] == 400
    with services.db.transaction() as session:
        links = {
            (link.report_id, link.linked_report_id) for link in session.scalars(select(ReportLink))
        }
    assert links == {(first, second), (second, first)}
    deputy = signed_in_client(app, services, staff("deputy"), clock)
    status, body = act(deputy, first, "link", link_report=str(restricted))
    assert status == 400 and "a report you can see" in body.field_error("link_report")
    assert act(lead_client, first, "link", link_report=str(restricted))[0] == 302
    deputy_view = case_page(deputy, first).hrefs()
    assert f"/triage/reports/{second}" in deputy_view
    assert f"/triage/reports/{restricted}" not in deputy_view  # the link does not leak it


def test_recordings_play_through_an_access_checked_route(
    app: Flask,
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    report_id = submit(services, establishment, channel="phone", concerns=["staff_bad"]).report_id
    audio = b"RIFF....WAVEfmt fake-but-opaque"
    with services.db.transaction() as session:
        recording = Recording(
            report_id=report_id,
            content_type="audio/wav",
            created_at=clock.now(),
        )
        session.add(recording)
        RECORDING_AUDIO.seal(services.secrets.vault, recording, audio)
        session.flush()
        recording_id = recording.id
    path = f"/triage/reports/{report_id}/recordings/{recording_id}"
    response = lead_client.get(path)
    assert response.status_code == 200 and response.data == audio
    assert response.headers["Cache-Control"] == "no-store"
    assert "recording.played" in audit_actions(services, report_id)
    deputy = signed_in_client(app, services, staff("deputy"), clock)
    assert deputy.get(path).status_code == 404  # restricted: the deputy cannot hear it
    other = submit(services, establishment).report_id
    assert lead_client.get(f"/triage/reports/{other}/recordings/{recording_id}").status_code == 404
