"""What happens when a reporter comes back with their code and adds something.

New information is not left on the timeline for someone to stumble on: the person working
the case (or the lead, when nobody is) is told through the outbox, the case is marked
"new information" and sorts up its priority in the queue, a closed case is reopened with a
clock of its own, and the reporter is asked again whether they are in danger now. A yes
makes the case immediate and pages the on-call chain as a new immediate report would.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.alerts import NOTIFY_EMAIL, NOTIFY_SMS, on_call_chain
from safeguarding.clock import Clock
from safeguarding.policy import PRIORITIES, Policy
from storage.models import BreachWarning, Report, ReportAssignment, StaffUser
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_message
from storage.repositories.reports import add_timeline_event

REOPENED_KIND = "reopened_by_reporter"
DANGER_AGAIN_KIND = "in_danger_again"
# The worker pages for this kind as for a new report (safereport/notify/handlers.py).
PAGE_KIND = "alert.new_report"


def note_new_information(
    session: Session, *, report: Report, channel: str, policy: Policy, clock: Clock
) -> None:
    """Mark the case, reopen it if closed, and tell whoever is working it. Call once for
    each piece of information added, in the transaction that stores it."""
    now = clock.now()
    report.new_information_at = now
    if report.status == "closed":
        _restart_clocks(session, report, policy, now)
        add_timeline_event(session, report, kind=REOPENED_KIND, actor=f"reporter:{channel}", at=now)
        append_audit(
            session, at=now, actor=f"reporter:{channel}", action="report.reopened_by_reporter",
            report_id=report.id,
        )  # fmt: skip
    session.flush()
    _tell_whoever_works_it(session, report, now)


def reporter_in_danger(
    session: Session, *, report: Report, channel: str, policy: Policy, clock: Clock,
    someone_else: bool = False,
) -> None:  # fmt: skip
    """The reporter said yes to "Is anyone in danger now?" (themself, or ``someone_else``):
    the case becomes immediate, its clocks start again from now, and the on-call chain is
    paged until someone acknowledges."""
    now = clock.now()
    if someone_else:
        report.someone_else_in_danger_now = True
    else:
        report.in_danger_now = True
    report.priority = PRIORITIES[0]
    report.priority_rank = 0
    _restart_clocks(session, report, policy, now)
    event = add_timeline_event(
        session, report, kind=DANGER_AGAIN_KIND, actor=f"reporter:{channel}", at=now,
        summary=facts.priority_raised(priority=report.priority),
    )  # fmt: skip
    session.flush()
    append_audit(
        session, at=now, actor=f"reporter:{channel}", action="report.in_danger_again",
        report_id=report.id,
    )  # fmt: skip
    enqueue_message(
        session,
        kind=PAGE_KIND,
        dedupe_key=f"{PAGE_KIND}:{report.id}:danger:{event.id}",
        payload={"report_id": report.id, "establishment_id": report.establishment_id},
        at=now,
    )


def _restart_clocks(session: Session, report: Report, policy: Policy, now: datetime) -> None:
    """The case needs acknowledging and triaging again, on its priority's clock from now."""
    clock = policy.clocks[report.priority]
    report.status = "new"
    report.closed_at = None
    report.acknowledged_at = None
    within = clock.acknowledge_within
    report.acknowledge_due_at = now + within if within is not None else None
    report.triage_due_at = now + clock.triage_within
    # Warnings were for the old clock; the new one is warned about afresh.
    session.execute(delete(BreachWarning).where(BreachWarning.report_id == report.id))


def _tell_whoever_works_it(session: Session, report: Report, now: datetime) -> None:
    assignment = session.get(ReportAssignment, report.id)
    assignee = session.get(StaffUser, assignment.staff_id) if assignment is not None else None
    stamp = now.strftime("%Y%m%dT%H%M%S%f")
    if assignee is not None and assignee.active:
        enqueue_message(
            session,
            kind=NOTIFY_EMAIL,
            dedupe_key=f"{NOTIFY_EMAIL}:new-information:{report.id}:{stamp}:staff{assignee.id}",
            payload={"template": "new_information", "report_id": report.id,
                     "staff_id": assignee.id},
            at=now,
        )  # fmt: skip
        _timeline_told(session, report, now, assignee.display_name, "assignee", ["email"])
        return
    leads = [c for c in on_call_chain(session, report.establishment_id) if c.role == "lead"]
    for lead in leads:
        channels = ([NOTIFY_SMS] if lead.phone else []) + ([NOTIFY_EMAIL] if lead.email else [])
        for kind in channels:
            enqueue_message(
                session,
                kind=kind,
                dedupe_key=f"{kind}:new-information:{report.id}:{stamp}:{lead.id}",
                payload={"template": "new_information", "report_id": report.id,
                         "contact_id": lead.id},
                at=now,
            )  # fmt: skip
        names = [kind.removeprefix("notify.") for kind in channels]
        _timeline_told(session, report, now, lead.display_name, "lead", names)
    if not leads:
        add_timeline_event(
            session, report, kind="alert_failed", actor="system", at=now,
            summary=facts.nobody_to_notify(),
        )  # fmt: skip


def _timeline_told(
    session: Session, report: Report, now: datetime, name: str, role: str, channels: list[str]
) -> None:
    add_timeline_event(
        session, report, kind="alert_sent", actor="system", at=now,
        summary=facts.notified(role=role, name=name, channels=channels),
    )  # fmt: skip
