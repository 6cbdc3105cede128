"""Reports told to staff: entered on the prisoner's behalf through the same intake as the
kiosk, with a printable slip carrying the follow-up code (never in a URL, a log or a store)."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from safeguarding.access import AccessDenied, Role, StaffPrincipal
from safeguarding.clock import FixedClock
from safeguarding.codes import is_valid
from safeguarding.errors import InvalidSubmission
from safeguarding.lookup import Seeker, find_report_by_code
from safeguarding.services import Services
from safeguarding.staff_reports import StaffEntry, enter_report
from storage.models import AuditEvent, Location, OutboxMessage, PhoneLine, Report, TimelineEvent
from storage.sealed_fields import REPORTER_IDENTITY
from tests.factories import submit
from tests.support.pages import assert_nowhere_on, parse, parse_html
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, csrf_from, signed_in_client


def first_location(services: Services, establishment: int) -> int:
    with services.db.transaction() as session:
        return (
            session.scalars(
                select(Location.id).where(Location.establishment_id == establishment)
            ).first()
            or 0
        )


def answers(services: Services, establishment: int, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "channel": "in_person",
        "language": "en",
        "concerns": ["made_to_pay", "bullied"],
        "in_danger_now": "no",
        "staff_involved": "no",
        "about_someone_else": "no",
        "injured": "no",
        "where": str(first_location(services, establishment)),
        "when_happened": "this_week",
        "details": "He says B wing lads take his canteen every week.",
    }
    values.update(overrides)
    return values


def open_form(client: FlaskClient, query: str = "") -> tuple[str, str]:
    page = client.get(f"/triage/reports/new{query}")
    assert page.status_code == 200
    form = parse(page)
    return form.csrf, form.value("submission_key")


def send(client: FlaskClient, fields: dict[str, Any], *, csrf: str, key: str) -> Any:
    return client.post(
        "/triage/reports/new", data={"csrf_token": csrf, "submission_key": key, **fields}
    )


def code_on(html: str) -> str:
    """The follow-up code printed on a slip, without the spaces between its groups."""
    slip = parse_html(html)
    assert slip.has_id("slip-code"), "no code on the page"
    return "".join(slip.by_id("slip-code").text.split())


def count_reports(services: Services) -> int:
    with services.db.transaction() as session:
        return session.scalar(select(func.count(Report.id))) or 0


def test_a_report_told_in_person_gets_a_slip_with_its_code(
    lead_client: FlaskClient,
    services: Services,
    establishment: int,
    lead: StaffLogin,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    csrf, key = open_form(lead_client)
    response = send(lead_client, answers(services, establishment), csrf=csrf, key=key)
    assert response.status_code == 200 and "Location" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    code = code_on(response.get_data(as_text=True))
    assert is_valid(code)
    slip = parse(response)
    groups = [group.text for group in slip.inside(slip.by_id("slip-code"), "span")]
    assert len(groups) == 3 and all(re.fullmatch(r"\d{4}", group) for group in groups)
    assert any(said.startswith("Keep your code safe.") for said in slip.paragraphs("slip"))
    # English is the line's first language (1); 3 is "I have a code" (tests/ivr/test_slip_keys).
    press = "Press \u20661\u2069, then \u20663\u2069. Then type your code."
    assert press in slip.by_id("slip-phone").raw_text
    with services.db.transaction() as session:
        found = find_report_by_code(
            session,
            entered=code,
            seeker=Seeker(establishment_id=establishment, session="test"),
            pepper=services.secrets.code_pepper,
            limits=services.policy.lookup,
            clock=services.clock,
        )
        assert found is not None and found.channel == "in_person"
        events = [(e.kind, e.actor) for e in found.events]
        assert events == [
            ("received", "reporter:in_person"),
            ("entered_by_staff", f"staff:{lead.id}"),
        ]
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.report_id == found.id).order_by(AuditEvent.id)
        ).all()
        assert [(a.action, a.actor) for a in audited][:3] == [
            ("report.submitted", "reporter:in_person"),
            ("report.entered_by_staff", f"staff:{lead.id}"),
            ("report.slip_shown", f"staff:{lead.id}"),
        ]
        assert all(code not in a.detail for a in audited)
        outbox = session.scalars(select(OutboxMessage.payload)).all()
        assert all(code not in payload for payload in outbox)
    assert code not in caplog.text
    assert key not in caplog.text


def test_the_same_answers_get_the_same_priority_and_routing_as_the_kiosk(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    fields = answers(
        services, establishment, concerns=["hurting_myself"], staff_involved="not_sure"
    )
    csrf, key = open_form(lead_client)
    assert send(lead_client, fields, csrf=csrf, key=key).status_code == 200
    kiosk = submit(
        services,
        establishment,
        concerns=["hurting_myself"],
        staff_involved="not_sure",
        location_id=int(fields["where"]),
        when_happened="this_week",
    )
    with services.db.transaction() as session:
        staff_entered, by_kiosk = session.scalars(select(Report).order_by(Report.id)).all()
        assert by_kiosk.id == kiosk.report_id
        for name in ("priority", "queue", "self_harm_risk", "acct_prompted", "staff_involved"):
            assert getattr(staff_entered, name) == getattr(by_kiosk, name), name
        assert staff_entered.priority == "immediate" and staff_entered.queue == "restricted"
        assert {c.category for c in staff_entered.categories} == {
            c.category for c in by_kiosk.categories
        }
        alerts = session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.kind == "alert.new_report")
        ).all()
        assert len(alerts) == 2


def test_phone_numbers_on_an_arabic_slip_stay_left_to_right(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    """In an Arabic sentence "116 123" would print as "123 116" without an isolate."""
    csrf, key = open_form(lead_client)
    response = send(
        lead_client, answers(services, establishment, language="ar"), csrf=csrf, key=key
    )
    slip = parse(response)
    assert slip.by_id("slip").attrs["dir"] == "rtl"
    assert "\u2066116 123\u2069" in slip.by_id("slip").raw_text  # Samaritans' number


def test_sending_the_same_form_twice_makes_one_report_and_the_same_slip(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    fields = answers(services, establishment)
    first = send(lead_client, fields, csrf=csrf, key=key)
    again = send(lead_client, fields, csrf=csrf, key=key)
    assert first.status_code == again.status_code == 200
    assert code_on(first.get_data(as_text=True)) == code_on(again.get_data(as_text=True))
    assert count_reports(services) == 1
    with services.db.transaction() as session:
        shown = session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "report.slip_shown")
        )
        assert shown == 2  # each showing of the code is on record


def test_missing_answers_are_all_named_and_nothing_is_sent(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    fields = {"channel": "in_person", "language": "en", "prison_number": "12345"}
    response = send(lead_client, fields, csrf=csrf, key=key)
    page = parse(response)
    assert response.status_code == 400
    summary = page.error_summary().values()
    for message in (
        "Choose at least one thing the person told you.",
        "Say whether anyone is in danger now.",
        "Say whether a member of staff is involved.",
        "Say whether the report is about someone else.",
        "Choose where it happened.",
        "Choose when it happened.",
        "Enter a prison number like A1234BC, or leave it empty.",
    ):
        assert message in summary
    # The same key: fixing and sending makes one report.
    assert page.value("submission_key") == key
    assert count_reports(services) == 0


def test_a_paper_form_from_elsewhere_with_a_name_and_prison_number(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    fields = answers(
        services,
        establishment,
        channel="paper",
        where="elsewhere",
        name=" Sam Reporter ",
        prison_number="a1234 bc",
        about_someone_else="yes",
    )
    assert send(lead_client, fields, csrf=csrf, key=key).status_code == 200
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert report.channel == "paper" and report.location_id is None
        assert report.about_someone_else and report.wants_contact
        assert ("where", "elsewhere") in [(a.question, a.answer) for a in report.answers]
        assert report.reporter_identity_sealed is not None
        identity = REPORTER_IDENTITY.open_text(services.secrets.vault, report)
        assert identity == "name: Sam Reporter; prison number: A1234BC"
        report_id = report.id
    case = parse(lead_client.get(f"/triage/reports/{report_id}"))
    assert case.summary("case-summary")["How it was made"] == "Paper form"
    entered = [e for e in case.timeline() if e.title == "Entered by staff for the reporter"]
    assert len(entered) == 1


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_roles_that_may_not_enter_reports_are_refused(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    clock: FixedClock,
    role: str,
) -> None:
    client = signed_in_client(app, services, staff(role), clock)
    assert client.get("/triage/reports/new").status_code == 403
    page = client.get("/triage/account").get_data(as_text=True)
    fields = answers(services, establishment)
    response = send(client, fields, csrf=csrf_from(page), key="k" * 43)
    assert response.status_code == 403
    assert count_reports(services) == 0


def test_a_deputy_may_enter_a_report_about_staff_but_not_then_read_it(
    app: Flask, services: Services, staff: StaffFactory, establishment: int, clock: FixedClock
) -> None:
    client = signed_in_client(app, services, staff("deputy"), clock)
    csrf, key = open_form(client)
    fields = answers(services, establishment, concerns=["staff_bad"], staff_involved="yes")
    response = send(client, fields, csrf=csrf, key=key)
    assert is_valid(code_on(response.get_data(as_text=True)))
    slip = parse(response)
    assert slip.has_id("entered-restricted") and not slip.has_id("open-entered")
    with services.db.transaction() as session:
        report = session.scalars(select(Report)).one()
        assert report.queue == "restricted"
        report_id = report.id
    assert client.get(f"/triage/reports/{report_id}").status_code == 404


def test_someone_elses_form_key_does_not_show_their_code(
    app: Flask,
    lead_client: FlaskClient,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    clock: FixedClock,
) -> None:
    csrf, key = open_form(lead_client)
    fields = answers(services, establishment)
    code = code_on(send(lead_client, fields, csrf=csrf, key=key).get_data(as_text=True))
    other = signed_in_client(app, services, staff("deputy"), clock)
    other_csrf, _other_key = open_form(other)
    response = send(other, fields, csrf=other_csrf, key=key)
    page = parse(response)
    assert response.status_code == 400
    assert_nowhere_on(page, code)
    assert not page.has_id("slip-code")
    assert page.error_summary() == {
        "actions": "This form was already used. Check the answers and send it again."
    }
    assert count_reports(services) == 1


def test_staff_in_two_establishments_choose_one_they_belong_to(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    other_establishment: int,
    clock: FixedClock,
) -> None:
    client = signed_in_client(app, services, staff("lead", [establishment]), clock)
    csrf, key = open_form(client)
    # The establishment field is ignored for someone in one establishment: it stays theirs.
    fields = {**answers(services, establishment), "establishment": str(other_establishment)}
    assert send(client, fields, csrf=csrf, key=key).status_code == 200
    both = signed_in_client(
        app, services, staff("governor", [establishment, other_establishment]), clock
    )
    choose = parse(both.get("/triage/reports/new"))
    listed = choose.inside(choose.by_id("enter-establishments"), "a")
    assert "HMP Beta" in [link.text for link in listed]
    csrf, key = open_form(both, f"?establishment={other_establishment}")
    fields = answers(services, other_establishment)
    fields["establishment"] = str(other_establishment)
    assert send(both, fields, csrf=csrf, key=key).status_code == 200
    with services.db.transaction() as session:
        placed = session.scalars(select(Report.establishment_id).order_by(Report.id)).all()
        assert placed == [establishment, other_establishment]


def test_the_rules_refuse_without_the_door(services: Services, establishment: int) -> None:
    entry = StaffEntry(
        establishment_id=establishment,
        channel="kiosk",  # a prisoner's own door: not for staff to use
        language="xx",
        submission_key="k" * 32,
        concerns=("nonsense",),
        in_danger_now="maybe",
        staff_involved="perhaps",
        about_someone_else="",
        where="999999",
        when_happened="never",
    )
    lead = StaffPrincipal(1, Role.LEAD, frozenset({establishment}))
    auditor = StaffPrincipal(2, Role.AUDITOR, frozenset({establishment}))
    elsewhere = StaffPrincipal(3, Role.LEAD, frozenset({establishment + 1000}))
    kwargs: dict[str, Any] = {
        "secrets": services.secrets,
        "policy": services.policy,
        "clock": services.clock,
    }
    with services.db.transaction() as session:
        with pytest.raises(InvalidSubmission) as invalid:
            enter_report(session, entry=entry, principal=lead, **kwargs)
        fields = {problem.field for problem in invalid.value.problems}
        assert fields == {
            "channel", "language", "concerns", "in_danger_now", "staff_involved",
            "about_someone_else", "injured", "where", "when_happened",
        }  # fmt: skip
        for principal in (auditor, elsewhere):
            with pytest.raises(AccessDenied):
                enter_report(session, entry=entry, principal=principal, **kwargs)
        assert session.scalar(select(func.count(TimelineEvent.id))) == 0


def test_the_slip_prints_a_london_line_as_dialled_inside(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    with services.db.transaction() as session:
        line = session.scalars(
            select(PhoneLine).where(PhoneLine.establishment_id == establishment)
        ).one()
        line.number = "+442079460000"
    csrf, key = open_form(lead_client)
    slip = parse(send(lead_client, answers(services, establishment), csrf=csrf, key=key))
    assert "\u2066020 7946 0000\u2069" in slip.by_id("slip-phone").raw_text
    assert_nowhere_on(slip, "02079 460000")


def test_what_they_want_is_asked_here_too_and_kept_sealed_on_the_case(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    """The third door asks what the kiosk and the phone ask (issue 15.1), optionally."""
    csrf, key = open_form(lead_client)
    fields = answers(services, establishment, wants=["just_know", "police"], sharing="no")
    response = send(lead_client, fields, csrf=csrf, key=key)
    page = parse(response)
    assert response.status_code == 400 and page.problems() == {
        "wants": "“Nothing yet. I just want you to know” cannot go with other choices."
    }
    assert page.checked("wants") == ["police", "just_know"]  # nothing lost
    assert count_reports(services) == 0
    fields = answers(services, establishment, wants=["move", "talk"], sharing="ask_me")
    assert send(lead_client, fields, csrf=csrf, key=key).status_code == 200
    with services.db.transaction() as session:
        report_id = session.scalars(select(Report.id)).one()
    case = parse(lead_client.get(f"/triage/reports/{report_id}"))
    wants = [item.text for item in case.inside(case.by_id("wishes-wants"), "li")]
    assert wants == ["Move me", "Talk to someone"]
    assert case.by_id("wishes-sharing").text == "Ask me first"


def test_not_asking_what_they_want_keeps_nothing(
    lead_client: FlaskClient, services: Services, establishment: int
) -> None:
    csrf, key = open_form(lead_client)
    assert (
        send(lead_client, answers(services, establishment), csrf=csrf, key=key).status_code == 200
    )
    with services.db.transaction() as session:
        kinds = session.scalars(select(TimelineEvent.kind)).all()
    assert "reporter_wishes" not in kinds
