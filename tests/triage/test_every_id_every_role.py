"""Every report id with every role on every route: the door checks access to the exact
record each time, answers 404 whether the report is missing or forbidden, changes nothing
it may not, and audits the refusal."""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from safeguarding.access import Permission, Role
from safeguarding.clock import FixedClock
from safeguarding.people import CAUSING_HARM, PersonGiven
from safeguarding.services import Services
from storage.models import AuditEvent, OnCallContact, Recording, TimelineEvent
from storage.sealed_fields import RECORDING_AUDIO
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, csrf, signed_in_client
from tests.triage.test_access_table import EXPECTED
from triage.action_views import ACTIONS

P = Permission


@dataclass(frozen=True)
class Case:
    id: int
    establishment_id: int
    queue: str
    recording_id: int | None


ACTION_ROUTES: dict[str, tuple[Permission, dict[str, str]]] = {
    "acknowledge": (P.ACKNOWLEDGE, {}),
    "assign": (P.ASSIGN, {"assign_staff": "1"}),
    "note": (P.ADD_NOTE, {"note_text": "note"}),
    "status": (P.CHANGE_STATUS, {"status": "investigating"}),
    "escalate": (P.ESCALATE, {"escalate_reason": "why"}),
    "referral": (
        P.RECORD_REFERRAL,
        {"referral_agency": "police", "referral_decision": "met", "referral_reason": "why"},
    ),
    "referral_response": (
        P.RECORD_REFERRAL,
        {"referral_id": "1", "referral_response": "declined", "referral_response_on": "2026-11-28"},
    ),
    "evidence": (
        P.ADD_NOTE,
        {"evidence_task": "1", "evidence_outcome": "not_possible", "evidence_note": "why"},
    ),
    "checkin": (
        P.ADD_NOTE,
        {"checkin": "1", "checkin_outcome": "not_seen", "checkin_note": "why"},
    ),
    "task": (
        P.ADD_NOTE,
        {"task_kind": "welfare_check", "task_owner": "1", "task_due_on": "2026-12-01"},
    ),
    "task_finish": (P.ADD_NOTE, {"task_id": "1", "task_outcome": "done"}),
    "plan": (
        P.ADD_NOTE,
        {"plan_text": "plan", "plan_owner": "1", "plan_review_on": "2026-12-05"},
    ),
    "plan_review": (
        P.ADD_NOTE,
        {"plan_review_note": "reviewed", "plan_next_review_on": "2026-12-20"},
    ),
    "capacity": (P.ADD_NOTE, {"capacity_decision": "move", "capacity_in_doubt": "no"}),
    "recategorise": (
        P.RECATEGORISE,
        {"categories": "financial", "recategorise_reason": "why"},
    ),
    "message": (P.MESSAGE_REPORTER, {"message_id": "received"}),
    "link": (P.LINK_REPORTS, {"link_report": "1"}),
    "duty_to_notify": (
        P.RECORD_REFERRAL,
        {"dtn_route": "not_required", "dtn_consent": "not_asked", "dtn_reason": "why"},
    ),
    "close": (P.CLOSE, {"close_outcome": "resolved_internally"}),
    "person_add": (
        P.RECATEGORISE,
        {"person_role": "causing_harm", "person_kind": "prisoner", "person_reason": "why"},
    ),
    "person_correct": (
        P.RECATEGORISE,
        {
            "fix_person_id": "1",
            "fix_person_role": "at_risk",
            "fix_person_kind": "prisoner",
            "fix_reason": "why",
        },
    ),
    "person_remove": (P.RECATEGORISE, {"fix_person_id": "1", "fix_reason": "why"}),
}


def test_every_case_action_is_tried_here() -> None:
    assert set(ACTION_ROUTES) == set(ACTIONS)


def expected_allowed(role: Role, memberships: set[int], case: Case, permission: Permission) -> bool:
    """Written from the brief, independently of safeguarding.access."""
    if case.establishment_id not in memberships or role not in EXPECTED[P.READ_REPORT]:
        return False
    readers = {
        "general": {Role.LEAD, Role.DEPUTY, Role.GOVERNOR, Role.AUDITOR},
        "restricted": {Role.LEAD, Role.GOVERNOR},
        "independent": {Role.REVIEWER},  # it names a lead or governor of the prison
    }
    return role in readers[case.queue] and role in EXPECTED[permission]


OVERSIGHT = "Olive Oversight"  # the lead on call: a report naming her is independent


def _oversight_on_call(services: Services, establishment: int) -> None:
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment, chain_position=1, role="lead",
                display_name=OVERSIGHT, email=None, phone=None, created_at=services.clock.now(),
            )
        )  # fmt: skip


def make_cases(services: Services, clock: FixedClock, establishments: list[int]) -> list[Case]:
    cases = []
    for establishment in establishments:
        _oversight_on_call(services, establishment)
        for extra, queue in (
            ({"concerns": ["bullied"]}, "general"),
            ({"concerns": ["staff_bad"]}, "restricted"),
            ({"people": (PersonGiven(CAUSING_HARM, "staff", "name", OVERSIGHT),)}, "independent"),
        ):
            report_id = submit(services, establishment, **extra).report_id
            with services.db.transaction() as session:
                recording = Recording(report_id=report_id, created_at=clock.now())
                session.add(recording)
                RECORDING_AUDIO.seal(services.secrets.vault, recording, b"audio")
                session.flush()
                cases.append(Case(report_id, establishment, queue, recording.id))
    missing = max(case.id for case in cases) + 1000
    return [*cases, Case(missing, -1, "general", None)]


def test_every_report_with_every_role_on_every_route(
    app: Flask,
    services: Services,
    staff: StaffFactory,
    establishment: int,
    other_establishment: int,
    clock: FixedClock,
) -> None:
    cases = make_cases(services, clock, [establishment, other_establishment])
    people: list[tuple[StaffLogin, set[int]]] = [
        (staff(role.value), {establishment}) for role in Role
    ]
    people.append((staff("lead", [other_establishment]), {other_establishment}))
    both = {establishment, other_establishment}
    people.append((staff("governor", sorted(both)), both))
    checked = 0
    for login, memberships in people:
        role = Role(login.role)
        client = signed_in_client(app, services, login, clock)
        token = csrf(client)
        for case in cases:
            may_read = expected_allowed(role, memberships, case, P.READ_REPORT)
            page = client.get(f"/triage/reports/{case.id}")
            assert page.status_code == (200 if may_read else 404), (login.role, case)
            recording = client.get(f"/triage/reports/{case.id}/recordings/{case.recording_id or 1}")
            assert recording.status_code == (200 if may_read else 404), (login.role, case)
            for action, (permission, fields) in ACTION_ROUTES.items():
                response = client.post(
                    f"/triage/reports/{case.id}/{action}", data={"csrf_token": token, **fields}
                )
                allowed = expected_allowed(role, memberships, case, permission)
                if allowed:
                    assert response.status_code in (302, 400), (login.role, action, case)
                else:
                    assert response.status_code == 404, (login.role, action, case)
                checked += 1
            # Issue 17.3: a new follow-up code answers with the code itself, not a redirect.
            reissued = client.post(
                f"/triage/reports/{case.id}/new_code",
                data={"csrf_token": token, "reissue_reason": "checked who they are"},
            )
            if expected_allowed(role, memberships, case, P.REISSUE_CODE):
                assert reissued.status_code in (200, 400), (login.role, "new_code", case)
            else:
                assert reissued.status_code == 404, (login.role, "new_code", case)
            checked += 1
            if not may_read and case.establishment_id != -1:
                assert_left_no_trace_but_the_refusal(services, login, case)
    assert checked == len(people) * len(cases) * (len(ACTION_ROUTES) + 1)


def assert_left_no_trace_but_the_refusal(services: Services, login: StaffLogin, case: Case) -> None:
    actor = f"staff:{login.id}"
    with services.db.transaction() as session:
        events = session.scalars(
            select(TimelineEvent).where(
                TimelineEvent.report_id == case.id, TimelineEvent.actor == actor
            )
        ).all()
        assert events == []
        # Nothing about the report itself: a refusal names the id asked for only in its
        # detail, exactly as for an id that does not exist (no existence oracle).
        about_it = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.report_id == case.id, AuditEvent.actor == actor
            )
        ).all()
        assert about_it == []
        refusals = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "report.access_denied", AuditEvent.actor == actor
            )
        ).all()
        assert any(json.loads(e.detail)["requested"] == case.id for e in refusals)
        assert all(e.report_id is None and e.establishment_id is None for e in refusals)
