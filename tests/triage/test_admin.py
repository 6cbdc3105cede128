"""Administrators manage staff for their own establishments, read no reports, and cannot
give anyone (themselves included) the power to read reports on their own (issue 12)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safeguarding.staff_accounts import ACCESS_NOTICE, SETUP_EMAIL
from safereport.notify.staff_mail import make_staff_mail_handlers
from safereport.notify.transport import DemoSender
from storage.models import OutboxMessage, StaffAccessRequest, StaffUser
from tests.support.pages import assert_nowhere_on, parse
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import (
    StaffLogin,
    csrf,
    invite,
    open_setup_link,
    page_at,
    signed_in_client,
)


def setup_token(response: TestResponse) -> str:
    """The token in the setup address the page shows (for the admin to pass on)."""
    page = parse(response)
    assert page.has_id("setup-url"), "no setup link on the page"
    found = re.fullmatch(r"http://localhost/triage/setup#(\S+)", page.by_id("setup-url").text)
    assert found, page.by_id("setup-url").text
    return found.group(1)


def invite_form(
    client: FlaskClient, *, role: str, establishment: int, email: str
) -> dict[str, str]:
    return {
        "csrf_token": csrf(client, "/triage/staff"),
        "display_name": "Robin Example",
        "email": email,
        "role": role,
        "establishment": str(establishment),
    }


def deliver(services: Services, tmp_path: Path) -> list[dict[str, str]]:
    """Run the worker's staff-mail handlers over what is queued; return what was sent."""
    sent = tmp_path / "sent.jsonl"
    handlers = make_staff_mail_handlers(sender=DemoSender(sent), base_url="https://sr.example")
    with services.db.transaction() as session:
        queued = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind.in_([SETUP_EMAIL, ACCESS_NOTICE]))
            .where(OutboxMessage.delivered_at.is_(None))
            .order_by(OutboxMessage.id)
        ).all()
        work = [(m.id, m.kind, json.loads(m.payload)) for m in queued]
        for message in queued:
            message.delivered_at = services.clock.now()
    for _id, kind, payload in work:
        handlers[kind](services, payload)
    if not sent.exists():
        return []
    return [json.loads(line) for line in sent.read_text().splitlines()]


def test_an_admin_invites_an_admin_and_the_link_works_once(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    form = invite_form(admin, role="admin", establishment=establishment, email="r@example.gov.uk")
    created = admin.post("/triage/staff", data=form)
    assert created.status_code == 200
    token = setup_token(created)
    person = app.test_client()
    setup = parse(open_setup_link(person, token))
    # The account's address, for the password manager to save the new password under.
    assert setup.status == 200 and setup.value("username") == "r@example.gov.uk"
    again = admin.post("/triage/staff", data=form)
    assert again.status_code == 400
    assert (
        parse(again).problems()["email"] == "There is already an account with this email address."
    )


def test_the_token_never_travels_in_a_path(app: Flask) -> None:
    """Paths reach access logs: the old /triage/setup/<token> address is gone."""
    assert app.test_client().get("/triage/setup/abcdefabcdef").status_code == 404


def test_an_admin_cannot_invite_into_another_establishment(
    app: Flask, services: Services, other_establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    form = invite_form(admin, role="admin", establishment=other_establishment, email="x@ex.gov.uk")
    assert admin.post("/triage/staff", data=form).status_code == 400


def test_a_reading_role_waits_for_a_lead_and_the_link_goes_only_by_email(
    app: Flask,
    services: Services,
    establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    lead_login, governor_login = staff("lead"), staff("governor")
    form = invite_form(admin, role="deputy", establishment=establishment, email="d@ex.gov.uk")
    asked = parse(admin.post("/triage/staff", data=form))
    assert asked.has_id("access-requested") and not asked.has_id("setup-url")
    with services.db.transaction() as session:
        assert (
            session.scalars(select(StaffUser).where(StaffUser.email == "d@ex.gov.uk")).first()
            is None
        )
    notices = deliver(services, tmp_path)
    assert {n["to"] for n in notices} == {lead_login.email, governor_login.email}
    lead = signed_in_client(app, services, lead_login, clock)
    listing = page_at(lead, "/triage/access-requests")
    [request_id] = [int(row.id.removeprefix("request-")) for row in listing.all("tr") if row.id]
    approved = lead.post(
        f"/triage/access-requests/{request_id}",
        data={"csrf_token": csrf(lead, "/triage/access-requests"), "decision": "approve"},
    )
    assert approved.status_code == 302
    sent = deliver(services, tmp_path)
    setup_mails = [m for m in sent if m["to"] == "d@ex.gov.uk"]
    assert len(setup_mails) == 1
    token = setup_mails[0]["body"].rsplit("#", 1)[1].strip()
    assert open_setup_link(app.test_client(), token).status_code == 200
    with services.db.transaction() as session:
        decided = session.get(StaffAccessRequest, request_id)
        assert decided is not None and decided.outcome == "approved"
        assert decided.decided_by == lead_login.id


def test_regression_an_admin_cannot_make_themselves_lead_and_read_restricted(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    """On fe26a51 an admin invited a lead (or reset one, or changed a role) and was shown
    the setup link: they became a lead and read the restricted queue."""
    admin_login = staff("admin")
    lead_login = staff("lead")
    admin = signed_in_client(app, services, admin_login, clock)
    form = invite_form(admin, role="lead", establishment=establishment, email="me2@ex.gov.uk")
    invited = parse(admin.post("/triage/staff", data=form))
    assert not invited.has_id("setup-url")
    assert_nowhere_on(invited, "/triage/setup#")  # a setup address carries its token
    reset = admin.post(
        f"/triage/staff/{lead_login.id}/setup-link",
        data={"csrf_token": csrf(admin, "/triage/staff")},
    )
    assert not parse(reset).has_id("setup-url")
    assert_nowhere_on(parse(reset), "/triage/setup#")
    admin.post(
        f"/triage/staff/{admin_login.id}/role",
        data={"csrf_token": csrf(admin, "/triage/staff"), "role": "lead"},
    )
    with services.db.transaction() as session:
        me = session.get(StaffUser, admin_login.id)
        the_lead = session.get(StaffUser, lead_login.id)
        assert me is not None and me.role == "admin"
        assert the_lead is not None and the_lead.password_hash is not None  # not reset
    assert admin.get("/triage/queue?queue=restricted").status_code == 403
    # An admin cannot approve their own request: they have no approval page at all.
    assert admin.get("/triage/access-requests").status_code == 403


def test_nobody_approves_a_request_about_themselves_or_another_prison(
    app: Flask,
    services: Services,
    establishment: int,
    other_establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    lead_login = staff("lead")
    elsewhere = signed_in_client(app, services, staff("lead", [other_establishment]), clock)
    admin.post(
        f"/triage/staff/{lead_login.id}/role",
        data={"csrf_token": csrf(admin, "/triage/staff"), "role": "governor"},
    )
    with services.db.transaction() as session:
        request_id = session.scalars(select(StaffAccessRequest.id)).one()
    lead = signed_in_client(app, services, lead_login, clock)
    assert page_at(lead, "/triage/access-requests").has_id("no-requests")
    for client in (lead, elsewhere):
        refused = client.post(
            f"/triage/access-requests/{request_id}",
            data={"csrf_token": csrf(client, "/triage/access-requests"), "decision": "approve"},
        )
        assert refused.status_code == 404
    with services.db.transaction() as session:
        still = session.get(StaffUser, lead_login.id)
        assert still is not None and still.role == "lead"


def test_a_refused_request_changes_nothing(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    deputy = staff("deputy")
    governor = signed_in_client(app, services, staff("governor"), clock)
    admin.post(
        f"/triage/staff/{deputy.id}/setup-link", data={"csrf_token": csrf(admin, "/triage/staff")}
    )
    with services.db.transaction() as session:
        request_id = session.scalars(select(StaffAccessRequest.id)).one()
    governor.post(
        f"/triage/access-requests/{request_id}",
        data={"csrf_token": csrf(governor, "/triage/access-requests"), "decision": "refuse"},
    )
    with services.db.transaction() as session:
        still = session.get(StaffUser, deputy.id)
        assert still is not None and still.password_hash is not None
        decided = session.get(StaffAccessRequest, request_id)
        assert decided is not None and decided.outcome == "refused"


def test_a_new_setup_link_for_an_invited_admin_or_a_reset(
    app: Flask,
    services: Services,
    establishment: int,
    other_establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    pending_id, first_token = invite(services, role="admin", establishment_ids=[establishment])
    page = admin.post(
        f"/triage/staff/{pending_id}/setup-link", data={"csrf_token": csrf(admin, "/triage/staff")}
    )
    assert page.status_code == 200
    assert open_setup_link(app.test_client(), first_token).status_code == 404
    assert open_setup_link(app.test_client(), setup_token(page)).status_code == 200
    elsewhere = staff("admin", [other_establishment])
    refused = admin.post(
        f"/triage/staff/{elsewhere.id}/setup-link",
        data={"csrf_token": csrf(admin, "/triage/staff")},
    )
    assert refused.status_code == 404


def test_an_admin_of_b_cannot_reach_staff_who_also_work_at_a(
    app: Flask,
    services: Services,
    establishment: int,
    other_establishment: int,
    staff: StaffFactory,
    clock: FixedClock,
) -> None:
    """Issue 12 item 2: on fe26a51 an admin of B reset a lead of A and B, then read A's
    restricted report; and deactivated A's admin."""
    admin_b = signed_in_client(app, services, staff("admin", [other_establishment]), clock)
    shared_lead = staff("lead", [establishment, other_establishment])
    shared_admin = staff("admin", [establishment, other_establishment])
    for target in (shared_lead, shared_admin):
        for action in ("setup-link", "deactivate"):
            answer = admin_b.post(
                f"/triage/staff/{target.id}/{action}",
                data={"csrf_token": csrf(admin_b, "/triage/staff")},
            )
            assert answer.status_code == 404, (target.role, action)
    with services.db.transaction() as session:
        for target in (shared_lead, shared_admin):
            user = session.get(StaffUser, target.id)
            assert user is not None and user.active and user.password_hash is not None


def test_only_admins_manage_staff(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    for role in ("lead", "deputy", "governor", "auditor"):
        client: FlaskClient = signed_in_client(app, services, staff(role), clock)
        assert client.get("/triage/staff").status_code == 403, role
    admin = signed_in_client(app, services, staff("admin"), clock)
    assert admin.get("/triage/").headers["Location"].endswith("/triage/staff")


def test_a_deactivated_admin_is_turned_on_directly(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    other: StaffLogin = staff("admin")
    for action in ("deactivate", "reactivate"):
        admin.post(
            f"/triage/staff/{other.id}/{action}", data={"csrf_token": csrf(admin, "/triage/staff")}
        )
    with services.db.transaction() as session:
        user = session.get(StaffUser, other.id)
        assert user is not None and user.active


def test_a_reviewer_is_approved_by_a_reviewer_never_by_the_lead_they_review(
    app: Flask, services: Services, establishment: int, staff: StaffFactory, clock: FixedClock
) -> None:
    """The independent reviewer reads the cases that name the lead and the governor
    (docs/patterns.md): the lead must not choose who that is, nor reset or remove them."""
    admin = signed_in_client(app, services, staff("admin"), clock)
    lead = signed_in_client(app, services, staff("lead"), clock)
    sitting = staff("reviewer")  # the first reviewer comes from the server's command line
    reviewer = signed_in_client(app, services, sitting, clock)
    form = invite_form(admin, role="reviewer", establishment=establishment, email="r@ex.gov.uk")
    admin.post("/triage/staff", data=form)
    admin.post(
        f"/triage/staff/{sitting.id}/setup-link", data={"csrf_token": csrf(admin, "/triage/staff")}
    )
    with services.db.transaction() as session:
        invite_id, reset_id = session.scalars(
            select(StaffAccessRequest.id).order_by(StaffAccessRequest.id)
        ).all()
    assert page_at(lead, "/triage/access-requests").has_id("no-requests")
    for request_id in (invite_id, reset_id):
        refused = lead.post(
            f"/triage/access-requests/{request_id}",
            data={"csrf_token": csrf(lead, "/triage/access-requests"), "decision": "approve"},
        )
        assert refused.status_code == 404
    approved = reviewer.post(
        f"/triage/access-requests/{invite_id}",
        data={"csrf_token": csrf(reviewer, "/triage/access-requests"), "decision": "approve"},
    )
    assert approved.status_code == 302
    with services.db.transaction() as session:
        made = session.scalars(select(StaffUser).where(StaffUser.email == "r@ex.gov.uk")).one()
        assert made.role == "reviewer"


def test_a_reviewer_decides_nothing_about_the_prison_s_own_staff(
    app: Flask, services: Services, staff: StaffFactory, clock: FixedClock
) -> None:
    admin = signed_in_client(app, services, staff("admin"), clock)
    deputy = staff("deputy")
    reviewer = signed_in_client(app, services, staff("reviewer"), clock)
    admin.post(
        f"/triage/staff/{deputy.id}/setup-link", data={"csrf_token": csrf(admin, "/triage/staff")}
    )
    with services.db.transaction() as session:
        request_id = session.scalars(select(StaffAccessRequest.id)).one()
    assert page_at(reviewer, "/triage/access-requests").has_id("no-requests")
    refused = reviewer.post(
        f"/triage/access-requests/{request_id}",
        data={"csrf_token": csrf(reviewer, "/triage/access-requests"), "decision": "approve"},
    )
    assert refused.status_code == 404
