"""The caller's number: never stored unless the establishment keeps it; then sealed, shown
only to staff who may read the report, and purged with the report."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.caller_number import caller_number_of
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.config import Config
from safereport.services import build_services
from storage.models import CallSession, Establishment, Report
from storage.rotation import rotate_data_key
from storage.sealed_fields import CALLER_NUMBER
from tests.core.test_storage import _raw_database_bytes
from tests.ivr.conftest import AUTH_TOKEN, Line, add_line
from tests.ivr.emulator import HangUp, Keys, TwilioEmulator
from tests.ivr.test_call_flow import REPORT_ABOUT_ME_NO_STAFF, assert_clean
from tests.triage.helpers import make_staff, signed_in_client
from tests.triage.test_retention import SIX_YEARS_AND_A_DAY, close, purge_all

CALLER = "+447700900987"
SHOWN = "07700 900987"
TRACES = (b"7700900987", "7700900987".encode("utf-16-le"))


def keep_numbers(services: Services, line: Line) -> None:
    with services.db.transaction() as session:
        establishment = session.get(Establishment, line.establishment_id)
        assert establishment is not None
        establishment.keep_caller_number = True


def call_and_report(client: FlaskClient, line: Line, caller: str = CALLER) -> None:
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number, caller=caller)
    assert_clean(phone.call(REPORT_ABOUT_ME_NO_STAFF))


def the_report(services: Services) -> Report:
    with services.db.transaction() as session:
        return session.scalars(select(Report)).one()


def test_off_by_default_the_number_leaves_no_trace_in_the_database(
    client: FlaskClient, services: Services, database_kind: str, database_url: str
) -> None:
    line = add_line(services)
    call_and_report(client, line)
    assert the_report(services).caller_number_sealed is None
    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert line.number.removeprefix("+").encode() in raw  # the dialled line is plain data
    assert not any(trace in raw for trace in TRACES)


def test_when_kept_it_is_sealed_and_only_readers_of_the_report_see_it(
    app: Flask,
    client: FlaskClient,
    services: Services,
    clock: FixedClock,
    database_kind: str,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    line = add_line(services)
    keep_numbers(services, line)
    # Every SQL statement the call runs is logged too (parameters hidden by the engine).
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.INFO, logger="sqlalchemy.engine"):
        call_and_report(client, line)
    assert any(record.name.startswith("sqlalchemy.engine") for record in caplog.records)
    assert not any("7700900987" in record.getMessage() for record in caplog.records)
    report = the_report(services)
    assert report.caller_number_sealed is not None
    opened = CALLER_NUMBER.open_text(services.secrets.vault, report)
    assert opened == CALLER
    with services.db.transaction() as session:  # not on the call's own state either
        call = session.scalars(select(CallSession)).one()
        assert CALLER not in f"{call.answers}{call.navigation}{call.status}"

    lead = make_staff(services, role="lead", establishment_ids=[line.establishment_id])
    page = signed_in_client(app, services, lead, clock).get(f"/triage/reports/{report.id}")
    assert page.status_code == 200
    assert SHOWN in page.get_data(as_text=True)  # as the lead would dial it back
    admin = make_staff(services, role="admin", establishment_ids=[line.establishment_id])
    admin_client = signed_in_client(app, services, admin, clock)
    refused = admin_client.get(f"/triage/reports/{report.id}")
    assert refused.status_code == 404
    assert CALLER not in refused.get_data(as_text=True)
    assert SHOWN not in refused.get_data(as_text=True)
    settings = admin_client.get(f"/triage/admin/establishments/{line.establishment_id}")
    assert settings.status_code == 200
    assert CALLER not in settings.get_data(as_text=True)
    assert SHOWN not in settings.get_data(as_text=True)

    services.db.dispose()
    raw = _raw_database_bytes(database_kind, database_url)
    assert not any(trace in raw for trace in TRACES)


def test_a_number_given_to_a_report_made_before_the_hang_up_is_kept(
    client: FlaskClient, services: Services
) -> None:
    """The report exists from the first answer; a caller cut off after it still has it."""
    line = add_line(services)
    keep_numbers(services, line)
    phone = TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number, caller=CALLER)
    phone.call([Keys("1"), HangUp()])  # "I am in danger now", then the line drops
    report = the_report(services)
    assert report.in_danger_now and report.caller_number_sealed is not None


def test_a_withheld_number_and_a_call_without_a_report_keep_nothing(
    client: FlaskClient, services: Services
) -> None:
    line = add_line(services)
    keep_numbers(services, line)
    TwilioEmulator(client, auth_token=AUTH_TOKEN, to=line.number, caller=CALLER).call([HangUp()])
    with services.db.transaction() as session:
        assert session.scalars(select(Report)).first() is None
    call_and_report(client, line, caller="anonymous")
    assert the_report(services).caller_number_sealed is None


def test_the_number_goes_with_the_report_when_it_is_purged(
    client: FlaskClient, services: Services, clock: FixedClock
) -> None:
    line = add_line(services)
    keep_numbers(services, line)
    call_and_report(client, line)
    report_id = the_report(services).id
    lead = make_staff(services, role="lead", establishment_ids=[line.establishment_id])
    close(services, lead, line.establishment_id, report_id)
    call_and_report(client, line, caller="+447700900555")  # the newest report is always kept
    clock.advance(SIX_YEARS_AND_A_DAY)
    assert purge_all(services) == [report_id]
    with services.db.transaction() as session:
        still_sealed = session.scalars(
            select(Report.id).where(Report.caller_number_sealed.is_not(None))
        ).all()
    assert len(still_sealed) == 1 and report_id not in still_sealed


def test_rotating_the_data_key_reseals_the_number(
    client: FlaskClient, services: Services, config: Config
) -> None:
    line = add_line(services)
    keep_numbers(services, line)
    call_and_report(client, line)
    before = the_report(services).caller_number_sealed
    assert rotate_data_key(services.db, config.keyfile_path) >= 1
    rebuilt = build_services(config)  # as after a restart: only the new key is known
    with rebuilt.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert report.caller_number_sealed not in (None, before)
        opened = caller_number_of(report, rebuilt.secrets.vault)
    rebuilt.db.dispose()
    assert opened == CALLER
