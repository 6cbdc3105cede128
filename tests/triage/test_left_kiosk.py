"""The case page says when a kiosk report was filed because the person left before sending."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.draft_leaving import leave_draft, purge_expired_drafts
from safeguarding.drafts import draft_lifetime, save_draft, start_draft
from safeguarding.services import Services
from storage.models import KioskDevice, Report
from tests.support.pages import assert_nowhere_on
from tests.triage.test_timeline_text import case_page, choose_welsh, said_under


def a_draft_in_danger(services: Services, establishment: int) -> str:
    with services.db.transaction() as session:
        device = session.scalars(
            select(KioskDevice).where(KioskDevice.establishment_id == establishment)
        ).one()
        draft = start_draft(
            session,
            device_id=device.id,
            language="en",
            offered_languages=["en"],
            idle_seconds=90,
            secrets=services.secrets,
            clock=services.clock,
        )
        draft.state.answers = {"danger": "yes", "what": ["threatening_me"]}
        save_draft(session, draft, services.secrets.vault)
        return draft.token


def the_report_id(services: Services) -> int:
    with services.db.transaction() as session:
        return session.scalars(select(Report.id)).one()


def test_the_lead_reads_that_the_person_left_before_sending(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    token = a_draft_in_danger(services, establishment)
    with services.db.transaction() as session:
        assert leave_draft(
            session,
            token=token,
            secrets=services.secrets,
            policy=services.policy,
            clock=services.clock,
        )
    page = case_page(lead_client, the_report_id(services))
    [said] = said_under(page, "Left the kiosk before sending")
    assert "then left the kiosk (quick exit or the screen cleared itself)" in said
    assert said.endswith("They have no follow-up code.")
    assert_nowhere_on(page, "kiosk_left_before_sending")  # the stored kind, not its words


def test_an_expired_draft_reads_differently_and_in_welsh_too(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    a_draft_in_danger(services, establishment)
    services.clock.advance(draft_lifetime(90) + timedelta(seconds=1))  # type: ignore[attr-defined]
    with services.db.transaction() as session:
        purge_expired_drafts(
            session, secrets=services.secrets, policy=services.policy, clock=services.clock
        )
    report_id = the_report_id(services)
    [said] = said_under(case_page(lead_client, report_id), "Left the kiosk before sending")
    assert "then the kiosk was left without sending" in said
    choose_welsh(lead_client)
    welsh = case_page(lead_client, report_id)
    assert len(welsh.timeline()) == 2  # the same entries, in Welsh
    assert_nowhere_on(welsh, "Left the kiosk before sending")
