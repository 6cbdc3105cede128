"""Adding to a report at the kiosk asks "Are you in danger right now?" again; yes makes the
report immediate and pages the on-call chain, and the added text alerts the team."""

from __future__ import annotations

import json

from sqlalchemy import select

from safeguarding.new_information import DANGER_AGAIN_KIND
from safeguarding.services import Services
from storage.models import OnCallContact, OutboxMessage, Report
from tests.conftest import START
from tests.factories import submit
from tests.kiosk.journey import start_report
from tests.kiosk.pages import Kiosk
from tests.kiosk.test_followup import open_with_code


def add_and_answer(kiosk: Kiosk, code: str, answer: str) -> None:
    open_with_code(kiosk, code)
    response = kiosk.submit("/kiosk/code/add", {"details": "They said they will do it again."})
    assert response.location == "/kiosk/code/danger"
    page = kiosk.follow(response)
    assert [b.attrs.get("value") for b in page.all("button", name="answer")] == [
        "yes",
        "someone_else",
        "no",
    ]
    urgent = answer in ("yes", "someone_else")
    kiosk.post("/kiosk/code/danger", {"answer": answer}, status=200 if urgent else 303)


def outbox(services: Services, report_id: int) -> list[tuple[str, dict[str, object]]]:
    with services.db.transaction() as session:
        messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        found = [(m.kind, json.loads(m.payload)) for m in messages]
    return [(kind, payload) for kind, payload in found if payload.get("report_id") == report_id]


def add_lead(services: Services, establishment_id: int) -> None:
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment_id, chain_position=1, role="lead",
                display_name="Lena Lead", email="lead@prison.example", phone=None,
                created_at=START,
            )
        )  # fmt: skip


def test_yes_makes_the_report_immediate_pages_the_chain_and_says_what_to_do_now(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    add_lead(services, establishment_id)
    receipt = submit(services, establishment_id, concerns=["made_to_pay"])
    add_and_answer(kiosk, receipt.code, "yes")
    page = kiosk.page
    assert page is not None
    assert page.h1 == "Thank you. We have added this to your report."
    assert "We have sent this to the safeguarding team as urgent." in page.text
    assert "Tell any officer straight away." in page.text
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        assert (report.priority, report.in_danger_now, report.status) == ("immediate", True, "new")
        assert report.new_information_at is not None
        assert DANGER_AGAIN_KIND in [event.kind for event in report.events]
    kinds = [kind for kind, _ in outbox(services, receipt.report_id)]
    assert kinds.count("alert.new_report") == 2  # the report, and paging for danger again
    assert "notify.email" in kinds  # the new information, to the lead (nobody is assigned)


def test_someone_else_in_danger_now_is_as_urgent_when_added_later(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    """A witness coming back with their code: someone else is in danger now."""
    receipt = submit(services, establishment_id, concerns=["worried_someone_else"])
    add_and_answer(kiosk, receipt.code, "someone_else")
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        assert (report.priority, report.someone_else_in_danger_now) == ("immediate", True)
        assert report.in_danger_now is False  # the reporter did not say they were
    kinds = [kind for kind, _ in outbox(services, receipt.report_id)]
    assert kinds.count("alert.new_report") == 2


def test_a_second_yes_in_the_same_visit_pages_once(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, concerns=["made_to_pay"])
    add_and_answer(kiosk, receipt.code, "yes")
    kiosk.post("/kiosk/code/danger", {"answer": "yes"}, status=200)  # a double tap
    kinds = [kind for kind, _ in outbox(services, receipt.report_id)]
    assert kinds.count("alert.new_report") == 2


def test_no_keeps_the_priority_and_still_marks_new_information(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    receipt = submit(services, establishment_id, concerns=["made_to_pay"])
    add_and_answer(kiosk, receipt.code, "no")
    with services.db.transaction() as session:
        report = session.get(Report, receipt.report_id)
        assert report is not None
        assert (report.priority, report.in_danger_now) == ("standard", False)
        assert report.new_information_at is not None
    kinds = [kind for kind, _ in outbox(services, receipt.report_id)]
    assert kinds.count("alert.new_report") == 1


def test_the_danger_question_needs_a_code_and_a_real_answer(
    kiosk: Kiosk, services: Services, establishment_id: int
) -> None:
    start_report(kiosk)
    assert kiosk.client.get("/kiosk/code/danger").location == "/kiosk/code"
    open_with_code(kiosk, submit(services, establishment_id).code)
    kiosk.post("/kiosk/code/danger", {"answer": "maybe"}, status=400)
