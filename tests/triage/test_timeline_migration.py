"""Migration 0020: staff actions stored as "new>investigating", "police:met", "staff:4",
"report:9" and "a,b" become facts, and the case timeline reads the same, in English and
in Welsh, before and after. Timeline rows are outside the audit chain: it still verifies."""

from __future__ import annotations

from alembic import command
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.cli import main
from safereport.config import Config
from storage.db import make_engine
from storage.migrate import alembic_config, upgrade
from storage.models import TimelineEvent
from tests.factories import submit
from tests.support.pages import TimelineEntry
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, signed_in_client
from tests.triage.test_case import act
from tests.triage.test_recategorise import recategorise
from tests.triage.test_timeline_text import case_page, choose_welsh


def summaries(services: Services, report_id: int) -> dict[int, str]:
    with services.db.transaction() as session:
        rows = session.execute(
            select(TimelineEvent.id, TimelineEvent.summary).where(
                TimelineEvent.report_id == report_id
            )
        )
        return {event_id: summary for event_id, summary in rows}


def migrate(services: Services, database_url: str, *, back: bool) -> None:
    services.db.dispose()
    engine = create_engine(database_url) if back else make_engine(database_url)
    try:
        if back:
            config = alembic_config(engine)
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                # To just below 0020, whatever migrations follow it.
                command.downgrade(config, "0018_wing_on_the_phone")
        else:
            upgrade(engine)
    finally:
        engine.dispose()


def entries(client: FlaskClient, report_id: int) -> list[TimelineEntry]:
    """Each timeline entry's title, who, when and words, as the lead reads them."""
    return case_page(client, report_id).timeline()


def audit_verifies(config: Config) -> bool:
    env = {
        "SAFEREPORT_DATABASE_URL": config.database_url,
        "SAFEREPORT_INSTANCE_PATH": str(config.instance_path),
    }
    return CliRunner().invoke(main, ["audit", "verify"], env=env).exit_code == 0


def test_old_rows_read_the_same_after_the_upgrade_in_english_and_welsh(
    app: Flask,
    lead_client: FlaskClient,
    lead: StaffLogin,
    services: Services,
    config: Config,
    database_url: str,
    establishment: int,
    clock: FixedClock,
    staff: StaffFactory,
) -> None:
    report_id = submit(services, establishment).report_id
    other = submit(services, establishment).report_id
    assert act(lead_client, report_id, "assign", assign_staff=str(lead.id))[0] == 302
    assert act(lead_client, report_id, "status", status="investigating")[0] == 302
    referral = {"referral_agency": "police", "referral_decision": "met"}
    assert act(lead_client, report_id, "referral", **referral, referral_reason="Assault.")[0] == 302
    assert act(lead_client, report_id, "link", link_report=str(other))[0] == 302
    assert recategorise(lead_client, report_id, ["financial", "physical"])[0] == 302
    welsh_client = signed_in_client(app, services, staff("lead"), clock)  # their own choice
    choose_welsh(welsh_client)
    english, welsh = entries(lead_client, report_id), entries(welsh_client, report_id)
    as_facts = summaries(services, report_id)

    migrate(services, database_url, back=True)
    old = set(summaries(services, report_id).values())
    assert {"new>investigating", "police:met", f"staff:{lead.id}", f"report:{other}"} <= old
    assert "financial,physical" in old
    assert not any(summary.startswith('{"fact":"status_changed"') for summary in old)

    migrate(services, database_url, back=False)
    assert summaries(services, report_id) == as_facts
    assert entries(lead_client, report_id) == english
    assert entries(welsh_client, report_id) == welsh
    said = [entry.description for entry in english]
    for words in ("New to Investigating", "Police:", f"Report {other}", "Now: "):
        assert any(words in description for description in said), (words, said)
    assert audit_verifies(config)


def test_0034_turns_the_duty_to_notify_string_into_a_fact_and_back(
    lead_client: FlaskClient, services: Services, establishment: int, database_url: str
) -> None:
    receipt = submit(services, establishment, concerns=["made_to_work"])
    code, _ = act(
        lead_client, receipt.report_id, "duty_to_notify",
        dtn_route="ms1", dtn_consent="refused", dtn_ms1_on="2026-11-27",
    )  # fmt: skip
    assert code == 302
    fact = '{"fact":"duty_to_notify","route":"ms1","consent":"refused"}'
    assert fact in summaries(services, receipt.report_id).values()
    services.db.dispose()
    engine = create_engine(database_url)
    try:
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0033_referral_consent")
    finally:
        engine.dispose()
    assert "ms1:refused" in summaries(services, receipt.report_id).values()
    migrate(services, database_url, back=False)
    assert fact in summaries(services, receipt.report_id).values()
    [entry] = [e for e in entries(lead_client, receipt.report_id) if e.title.startswith("Duty")]
    assert (entry.title, entry.description) == (
        "Duty to notify decision recorded",
        "MS1 notification sent. Consent refused.",
    )
