"""Tasks and protection plans (issue 15.4): a task has one owner who may read the case and a
due date; the plan has an owner and a review date; overdue ones show in the queue and on the
owner's "Your work" page; their words are sealed on the timeline, never in the rows."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from safeguarding.clock import FixedClock
from safeguarding.services import Services
from storage.models import AuditEvent, CaseTask, ProtectionPlan, StaffUser, TimelineEvent
from tests.factories import submit
from tests.triage.conftest import StaffFactory
from tests.triage.helpers import StaffLogin, page_at, queue_rows, signed_in_client
from tests.triage.test_case import act, case_page, timeline

MOVE_WHY = "Move him away from the landing where the debt is collected."
PLAN = "Daily welfare check by the wing officer; healthcare sees him on Monday."


def name_of(services: Services, login: StaffLogin) -> str:
    with services.db.transaction() as session:
        user = session.get(StaffUser, login.id)
        assert user is not None
        return user.display_name


def queue_due(client: FlaskClient, report_id: int) -> str:
    [row] = [r for r in queue_rows(client) if r["Report"].startswith(f"Report {report_id}")]
    return row["Due"]


def stored_tasks(services: Services, report_id: int) -> list[CaseTask]:
    with services.db.transaction() as session:
        return list(session.scalars(select(CaseTask).where(CaseTask.report_id == report_id)))


def test_a_task_is_given_to_someone_who_may_read_the_case_with_a_due_date(
    app: Flask, services: Services, staff: StaffFactory, lead: StaffLogin, establishment: int,
    other_establishment: int, clock: FixedClock,
) -> None:  # fmt: skip
    lead_client = signed_in_client(app, services, lead, clock)
    deputy = staff("deputy")
    elsewhere = staff("deputy", [other_establishment])
    auditor = staff("auditor")
    receipt = submit(services, establishment, concerns=["made_to_pay"])
    good = {"task_kind": "cell_move", "task_owner": str(deputy.id), "task_due_on": "2026-11-30"}
    not_them = "Choose someone who may see this report."
    for fields, field, message in (
        ({"task_kind": "dance"}, "task_kind", "Choose what the task is."),
        ({"task_owner": str(elsewhere.id)}, "task_owner", not_them),
        ({"task_owner": str(auditor.id)}, "task_owner", not_them),
        ({"task_due_on": "2026-11-27"}, "task_due_on",
         "Enter the date it is due, like 2026-12-01: today or later, within a year."),
        ({"task_due_on": "2028-01-01"}, "task_due_on",
         "Enter the date it is due, like 2026-12-01: today or later, within a year."),
        ({"task_kind": "other"}, "task_note", "Say what the task is."),
    ):  # fmt: skip
        code, page = act(lead_client, receipt.report_id, "task", **{**good, **fields})
        assert code == 400 and page.problems() == {field: message}
        assert page.by_id("task_due_on").attrs["value"] == fields.get("task_due_on", "2026-11-30")
    assert stored_tasks(services, receipt.report_id) == []
    code, _ = act(lead_client, receipt.report_id, "task", **good, task_note=MOVE_WHY)
    assert code == 302
    [task] = stored_tasks(services, receipt.report_id)
    assert (task.kind, task.owner_id, task.due_on.isoformat()) == (
        "cell_move",
        deputy.id,
        "2026-11-30",
    )
    page = case_page(lead_client, receipt.report_id)
    [row] = page.table("tasks-table")
    assert row == {
        "Task": "Cell or wing move", "Owner": name_of(services, deputy), "Due by": "2026-11-30",
        "State": "Open",
    }  # fmt: skip
    [entry] = [e for e in timeline(page) if e.startswith("Task added")]
    assert name_of(services, deputy) in entry and MOVE_WHY in entry
    with services.db.transaction() as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.task_added")
        ).one()
        assert MOVE_WHY not in (audit.detail or "")


def test_an_overdue_task_shows_in_the_queue_and_on_its_owner_s_page_until_done(
    app: Flask, services: Services, staff: StaffFactory, lead: StaffLogin, establishment: int,
    clock: FixedClock,
) -> None:  # fmt: skip
    deputy = staff("deputy")
    lead_client = signed_in_client(app, services, lead, clock)
    receipt = submit(services, establishment, concerns=["made_to_pay"])
    act(
        lead_client, receipt.report_id, "task",
        task_kind="healthcare_review", task_owner=str(deputy.id), task_due_on="2026-11-29",
    )  # fmt: skip
    deputy_client = signed_in_client(app, services, deputy, clock)
    mine = page_at(deputy_client, "/triage/my-work")
    assert mine.table("my-tasks") == [
        {"Case": f"Report {receipt.report_id}", "Task": "Healthcare review", "Due by": "2026-11-29"}
    ]
    assert "Task or plan review overdue" not in queue_due(lead_client, receipt.report_id)
    assert page_at(lead_client, "/triage/my-work").has_id("no-tasks")  # not the lead's task

    clock.advance(timedelta(days=2))  # 2026-11-30: a day late
    lead_client = signed_in_client(app, services, lead, clock)
    deputy_client = signed_in_client(app, services, deputy, clock)
    assert "Task or plan review overdue" in queue_due(lead_client, receipt.report_id)
    [row] = page_at(deputy_client, "/triage/my-work").table("my-tasks")
    assert row["Due by"] == "2026-11-29 Overdue"
    [task] = stored_tasks(services, receipt.report_id)
    code, page = act(
        deputy_client, receipt.report_id, "task_finish", task_id=str(task.id),
        task_outcome="not_needed",
    )  # fmt: skip
    assert code == 400 and page.problems() == {
        "task_finish_note": "Say why it is no longer needed."
    }
    code, _ = act(
        deputy_client, receipt.report_id, "task_finish", task_id=str(task.id), task_outcome="done"
    )
    assert code == 302
    assert "Task or plan review overdue" not in queue_due(lead_client, receipt.report_id)
    assert page_at(deputy_client, "/triage/my-work").has_id("no-tasks")
    [row] = case_page(lead_client, receipt.report_id).table("tasks-table")
    assert row["State"] == "Done"
    code, page = act(
        lead_client, receipt.report_id, "task_finish", task_id=str(task.id), task_outcome="done"
    )
    assert code == 400 and page.problems() == {
        "tasks": "That task is already finished. The timeline says by whom."
    }


def test_a_task_on_a_case_moved_out_of_the_owner_s_sight_leaves_their_list(
    app: Flask, services: Services, staff: StaffFactory, lead: StaffLogin, establishment: int,
    clock: FixedClock,
) -> None:  # fmt: skip
    """A deputy's task on a case later found to be about staff: the restricted queue is not
    theirs, so the case's number leaves their list (the lead is reminded instead)."""
    deputy = staff("deputy")
    lead_client = signed_in_client(app, services, lead, clock)
    receipt = submit(services, establishment, concerns=["bullied"])
    act(
        lead_client, receipt.report_id, "task",
        task_kind="welfare_check", task_owner=str(deputy.id), task_due_on="2026-12-01",
    )  # fmt: skip
    deputy_client = signed_in_client(app, services, deputy, clock)
    assert len(page_at(deputy_client, "/triage/my-work").table("my-tasks")) == 1
    act(
        lead_client, receipt.report_id, "recategorise",
        categories="staff_misconduct", recategorise_reason="An officer is involved.",
    )  # fmt: skip
    assert page_at(deputy_client, "/triage/my-work").has_id("no-tasks")


def test_the_protection_plan_is_written_reviewed_and_its_words_are_sealed(
    app: Flask, services: Services, staff: StaffFactory, lead: StaffLogin, establishment: int,
    clock: FixedClock,
) -> None:  # fmt: skip
    deputy = staff("deputy")
    lead_client = signed_in_client(app, services, lead, clock)
    receipt = submit(services, establishment, concerns=["bullied"])
    page = case_page(lead_client, receipt.report_id)
    assert page.region("plan").startswith("Protection plan No protection plan yet.")
    assert not page.has_id("plan_review_note")  # nothing to review yet
    plan = {"plan_text": PLAN, "plan_owner": str(deputy.id), "plan_review_on": "2026-12-05"}
    for fields, field, message in (
        ({"plan_text": " "}, "plan_text", "Write something in the box."),
        ({"plan_review_on": "2026-11-28"}, "plan_review_on",
         "Enter a review date after today and within 3 months, like 2026-12-15."),
        ({"plan_review_on": "2027-06-01"}, "plan_review_on",
         "Enter a review date after today and within 3 months, like 2026-12-15."),
        ({"plan_owner": "999"}, "plan_owner", "Choose someone who may see this report."),
    ):  # fmt: skip
        code, page = act(lead_client, receipt.report_id, "plan", **{**plan, **fields})
        assert code == 400 and page.problems() == {field: message}
    assert act(lead_client, receipt.report_id, "plan", **plan)[0] == 302
    page = case_page(lead_client, receipt.report_id)
    summary = page.region("plan-summary")
    assert name_of(services, deputy) in summary and "2026-12-05" in summary
    assert any(e.startswith("Protection plan written") and PLAN in e for e in timeline(page))
    with services.db.transaction() as session:
        stored = session.get(ProtectionPlan, receipt.report_id)
        assert stored is not None and stored.owner_id == deputy.id
        bodies = session.scalars(
            select(TimelineEvent.body_sealed).where(TimelineEvent.kind == "plan_set")
        ).all()
        assert bodies and all(PLAN.encode() not in (b or b"") for b in bodies)

    clock.advance(timedelta(days=8))  # 2026-12-06: the review is late
    lead_client = signed_in_client(app, services, lead, clock)
    assert "Task or plan review overdue" in queue_due(lead_client, receipt.report_id)
    deputy_client = signed_in_client(app, services, deputy, clock)
    [row] = page_at(deputy_client, "/triage/my-work").table("my-plans")
    assert row == {"Case": f"Report {receipt.report_id}", "Review by": "2026-12-05 Review overdue"}
    code, _ = act(
        deputy_client, receipt.report_id, "plan_review",
        plan_review_note="Safe on the new wing; checks continue.", plan_next_review_on="2026-12-20",
    )  # fmt: skip
    assert code == 302
    assert "Task or plan review overdue" not in queue_due(lead_client, receipt.report_id)
    page = case_page(lead_client, receipt.report_id)
    assert "2026-12-20" in page.region("plan-summary")
    assert any(
        e.startswith("Protection plan reviewed") and "Safe on the new wing" in e
        for e in timeline(page)
    )


def test_auditors_read_tasks_and_plans_but_change_nothing(
    app: Flask, services: Services, staff: StaffFactory, lead: StaffLogin, establishment: int,
    clock: FixedClock,
) -> None:  # fmt: skip
    lead_client = signed_in_client(app, services, lead, clock)
    receipt = submit(services, establishment, concerns=["bullied"])
    act(
        lead_client, receipt.report_id, "task",
        task_kind="welfare_check", task_owner=str(lead.id), task_due_on="2026-12-01",
    )  # fmt: skip
    auditor = signed_in_client(app, services, staff("auditor"), clock)
    page = case_page(auditor, receipt.report_id)
    assert len(page.table("tasks-table")) == 1
    assert not page.has_id("task_kind") and not page.has_id("plan_text")
    [task] = stored_tasks(services, receipt.report_id)
    code, _ = act(
        auditor, receipt.report_id, "task_finish", task_id=str(task.id), task_outcome="done"
    )
    assert code == 404
    assert stored_tasks(services, receipt.report_id)[0].outcome is None
    assert page_at(auditor, "/triage/my-work", status=403) is not None
