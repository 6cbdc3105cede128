"""The other prison's lead answers a cross-prison request (issue 14).

As the asked lead uses it (sees their own case numbers, approves or refuses, with a sealed
reason), as the asking lead meets the answer (case numbers, dates, categories and status,
never content), and as everyone else would try it: a deputy, auditor or administrator at
the prison asked, a lead at a third prison, the lead who asked, and a lead the asking
report names. To all of those the page and the request do not exist.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from safeguarding.clock import FixedClock
from safeguarding.people import CAUSING_HARM, PersonGiven
from safeguarding.services import Services
from safereport.notify.messages import compose
from storage.models import (
    AuditEvent,
    CrossSiteRequest,
    CrossSiteShared,
    Establishment,
    OnCallContact,
    OutboxMessage,
    StaffUser,
)
from tests.conftest import START
from tests.factories import new_establishment, submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, csrf, page_at, signed_in_client

BULLY = "Bartholomew Quince"
REASON = "We moved him here from Alpha after the fight in March."


def harm(name: str = BULLY, kind: str = "prisoner") -> tuple[PersonGiven, ...]:
    return (PersonGiven(CAUSING_HARM, kind, "name", name),)


def display_name(services: Services, login: StaffLogin) -> str:
    with services.db.transaction() as session:
        user = session.get(StaffUser, login.id)
        assert user is not None
        return user.display_name


def code_of(services: Services, establishment_id: int) -> str:
    with services.db.transaction() as session:
        establishment = session.get(Establishment, establishment_id)
        assert establishment is not None
        return establishment.code


def ask(
    services: Services, lead_client: FlaskClient, there: int, *, also_naming: str = ""
) -> tuple[int, int]:
    """The asking lead's case, and the request they sent about it."""
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=there, chain_position=1, role="lead", display_name="Bea Lead",
                email="bea@beta.example", phone=None, created_at=START,
            )
        )  # fmt: skip
    here = _establishment_of_client(services)
    people = harm() + (harm(also_naming, kind="staff") if also_naming else ())
    case = submit(services, here, people=people).report_id
    token = csrf(lead_client, f"/triage/reports/{case}")
    response = lead_client.post(
        f"/triage/reports/{case}/elsewhere/{there}", data={"csrf_token": token}
    )
    assert response.status_code == 302
    with services.db.transaction() as session:
        request_id = session.scalars(select(CrossSiteRequest.id)).one()
    return case, request_id


def _establishment_of_client(services: Services) -> int:
    with services.db.transaction() as session:
        return session.scalars(
            select(Establishment.id).where(Establishment.name == "HMP Alpha")
        ).one()


def answer(client: FlaskClient, request_id: int, decision: str, reason: str = "") -> int:
    token = csrf(client)
    response = client.post(
        f"/triage/cross-site/{request_id}",
        data={"csrf_token": token, "decision": decision, "reason": reason},
    )
    return response.status_code


def audit_actions(services: Services) -> list[str]:
    with services.db.transaction() as session:
        return [
            a
            for a in session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))
            if a.startswith(("cross_site.", "report.cross_site_"))
            and a != "cross_site.requests_viewed"
        ]


def test_the_asked_lead_approves_and_the_asker_sees_case_numbers_only(
    app: Flask, services: Services, clock: FixedClock, staff: StaffFactory,
    lead_client: FlaskClient, establishment: int, other_establishment: int,
) -> None:  # fmt: skip
    theirs = submit(services, other_establishment, people=harm(), concerns=["sexual"]).report_id
    restricted = submit(
        services, other_establishment, people=harm(), staff_involved="yes"
    ).report_id
    case, request_id = ask(services, lead_client, other_establishment)
    beta_lead = signed_in_client(app, services, staff("lead", [other_establishment]), clock)
    page = page_at(beta_lead, "/triage/cross-site")
    card = page.region(f"cross-site-{request_id}")
    assert f"{code_of(services, establishment)}-{case}" in card
    assert f"Report {theirs}" in card and f"Report {restricted}" in card
    assert BULLY not in page.text
    assert answer(beta_lead, request_id, "approve", REASON) == 302
    later = submit(services, other_establishment, people=harm()).report_id
    with services.db.transaction() as session:
        request = session.get(CrossSiteRequest, request_id)
        assert request is not None and request.status == "approved"
        assert request.answer_reason_sealed and REASON.encode() not in request.answer_reason_sealed
        shared = set(session.scalars(select(CrossSiteShared.report_id)))
        (email,) = [
            json.loads(m.payload)
            for m in session.scalars(select(OutboxMessage))
            if json.loads(m.payload).get("template") == "cross_site_answer"
        ]
        _, text = compose(session, email, base_url="https://safereport.example")
    assert shared == {theirs, restricted}  # what the answerer could open, not the later one
    assert "agreed to share" in text.body and f"-{case}" in text.body
    assert "Quince" not in text.body and REASON not in text.body
    assert audit_actions(services) == [
        "report.cross_site_requested", "cross_site.approved", "report.cross_site_approved",
    ]  # fmt: skip
    found = page_at(lead_client, f"/triage/reports/{case}").region("cross-site")
    beta = code_of(services, other_establishment)
    assert f"{beta}-{theirs}" in found and f"{beta}-{restricted}" in found
    assert f"{beta}-{later}" not in found
    assert "Sexual abuse" in found
    assert REASON not in found and BULLY not in found
    # Their reports stay theirs: the asking lead cannot open them.
    assert lead_client.get(f"/triage/reports/{theirs}").status_code == 404
    # Pressing approve again changes nothing; refusing now is refused.
    assert answer(beta_lead, request_id, "approve") == 302
    assert answer(beta_lead, request_id, "refuse") == 400
    assert len(audit_actions(services)) == 3
    with services.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CrossSiteShared)) == 2


def test_a_refusal_shows_as_refused_and_shares_nothing(
    app: Flask, services: Services, clock: FixedClock, staff: StaffFactory,
    lead_client: FlaskClient, other_establishment: int,
) -> None:  # fmt: skip
    theirs = submit(services, other_establishment, people=harm()).report_id
    case, request_id = ask(services, lead_client, other_establishment)
    waiting = page_at(lead_client, f"/triage/reports/{case}").region("cross-site")
    assert "Waiting for their lead's answer" in waiting
    governor = signed_in_client(app, services, staff("governor", [other_establishment]), clock)
    assert answer(governor, request_id, "refuse") == 302
    found = page_at(lead_client, f"/triage/reports/{case}").region("cross-site")
    assert "Refused" in found and f"-{theirs}" not in found
    with services.db.transaction() as session:
        assert session.scalars(select(CrossSiteShared)).first() is None
        request = session.get(CrossSiteRequest, request_id)
        assert request is not None and request.answer_reason_sealed is None
    assert audit_actions(services)[1:] == ["cross_site.refused", "report.cross_site_refused"]


@pytest.mark.parametrize("role", ["deputy", "auditor", "admin"])
def test_no_one_else_at_the_prison_asked_may_see_or_answer(
    app: Flask, services: Services, clock: FixedClock, staff: StaffFactory,
    lead_client: FlaskClient, other_establishment: int, role: str,
) -> None:  # fmt: skip
    submit(services, other_establishment, people=harm())
    _case, request_id = ask(services, lead_client, other_establishment)
    client = signed_in_client(app, services, staff(role, [other_establishment]), clock)
    assert client.get("/triage/cross-site").status_code == 404
    assert answer(client, request_id, "approve") == 404
    assert _unanswered(services, request_id)


def test_a_lead_at_a_third_prison_and_the_asker_may_not_answer(
    app: Flask, services: Services, clock: FixedClock, staff: StaffFactory, lead: StaffLogin,
    lead_client: FlaskClient, establishment: int, other_establishment: int,
) -> None:  # fmt: skip
    submit(services, other_establishment, people=harm())
    _case, request_id = ask(services, lead_client, other_establishment)
    third = new_establishment(services, name="HMP Gamma")
    gamma = signed_in_client(app, services, staff("lead", [third]), clock)
    assert f"cross-site-{request_id}" not in page_at(gamma, "/triage/cross-site").html
    assert answer(gamma, request_id, "approve") == 404
    # The lead who asked, and their own lead page (they may not answer their own request).
    assert answer(lead_client, request_id, "approve") == 404
    assert _unanswered(services, request_id)


def test_the_asker_may_not_answer_even_when_they_work_at_both(
    app: Flask, services: Services, clock: FixedClock, staff: StaffFactory,
    establishment: int, other_establishment: int,
) -> None:  # fmt: skip
    submit(services, other_establishment, people=harm())
    both = signed_in_client(
        app, services, staff("lead", [establishment, other_establishment]), clock
    )
    _case, request_id = ask(services, both, other_establishment)
    assert f"cross-site-{request_id}" not in page_at(both, "/triage/cross-site").html
    assert answer(both, request_id, "approve") == 404
    assert _unanswered(services, request_id)


def test_a_lead_the_asking_report_names_never_sees_it(
    app: Flask, services: Services, clock: FixedClock, staff: StaffFactory,
    lead_client: FlaskClient, other_establishment: int,
) -> None:  # fmt: skip
    named_login = staff("lead", [other_establishment])
    named = display_name(services, named_login)
    submit(services, other_establishment, people=harm())
    _case, request_id = ask(services, lead_client, other_establishment, also_naming=named)
    client = signed_in_client(app, services, named_login, clock)
    page = page_at(client, "/triage/cross-site")
    assert f"cross-site-{request_id}" not in page.html
    assert answer(client, request_id, "approve") == 404
    assert _unanswered(services, request_id)
    # Another lead there, not named, may answer.
    other = signed_in_client(app, services, staff("lead", [other_establishment]), clock)
    assert answer(other, request_id, "refuse") == 302


def test_only_the_asker_sees_the_answer_on_the_case_page(
    app: Flask, services: Services, clock: FixedClock, staff: StaffFactory,
    lead_client: FlaskClient, establishment: int, other_establishment: int,
) -> None:  # fmt: skip
    theirs = submit(services, other_establishment, people=harm()).report_id
    case, request_id = ask(services, lead_client, other_establishment)
    beta_lead = signed_in_client(app, services, staff("lead", [other_establishment]), clock)
    assert answer(beta_lead, request_id, "approve") == 302
    for role in ("deputy", "lead", "governor"):
        colleague = signed_in_client(app, services, staff(role, [establishment]), clock)
        page = page_at(colleague, f"/triage/reports/{case}")
        assert not page.has_id("cross-site")
        assert f"-{theirs}" not in page.text


def _unanswered(services: Services, request_id: int) -> bool:
    with services.db.transaction() as session:
        request = session.get(CrossSiteRequest, request_id)
        shared = session.scalars(select(CrossSiteShared)).first()
    return request is not None and request.status == "asked" and shared is None
