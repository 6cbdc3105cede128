"""What the safeguarding team does to a case, each step on the timeline and in the audit log.

Every action checks access itself (the doors check too: defence in depth), writes one
timeline event (free text sealed) and one audit event (never free text), in the caller's
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import Permission, StaffPrincipal, may_be_assigned, require, role_of
from safeguarding.agencies import AGENCY_LABELS
from safeguarding.catalogue import MAX_DETAILS_CHARS
from safeguarding.clock import Clock
from safeguarding.conflicts import names
from safeguarding.duties import closing_blockers
from safeguarding.errors import SafeguardingError
from safeguarding.followup import MESSAGE_EVENT_KIND
from safeguarding.i18n import N_
from safeguarding.messages import STANDARD_MESSAGES_BY_ID
from safeguarding.personal_outcomes import PersonalOutcomes, outcomes_problem
from storage.crypto import Vault
from storage.models import Report, ReportAssignment, ReportLink, StaffUser, TimelineEvent
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_message
from storage.repositories.queue import DeadlineRules
from storage.repositories.reports import add_timeline_event
from storage.repositories.staff import establishment_ids_of
from storage.sealed_fields import TIMELINE_BODY

P = Permission

# Statuses, in the order a case moves through them.
STATUS_LABELS = {
    # Translators: status of a report in the staff queue: nobody has acknowledged it yet.
    "new": N_("New"),
    # Translators: status of a report in the staff queue: a person has seen it.
    "acknowledged": N_("Acknowledged"),
    # Translators: status of a report in the staff queue: the team is looking into it.
    "investigating": N_("Investigating"),
    # Translators: status of a report in the staff queue: waiting for someone outside the team.
    "waiting": N_("Waiting for others"),
    # Translators: status of a report in the staff queue: work on it has finished.
    "closed": N_("Closed"),
}
STATUSES = tuple(STATUS_LABELS)
OPEN_STATUSES = STATUSES[:-1]
# The acknowledge clock runs while a report is new; the triage clock until it is worked.
AWAITING_ACKNOWLEDGEMENT = ("new",)
AWAITING_TRIAGE = ("new", "acknowledged")
# The same rules as the queue's SQL sees them (storage.repositories.queue).
DEADLINE_RULES = DeadlineRules(
    open_statuses=OPEN_STATUSES,
    awaiting_acknowledgement=AWAITING_ACKNOWLEDGEMENT,
    awaiting_triage=AWAITING_TRIAGE,
)
SETTABLE_STATUSES = ("acknowledged", "investigating", "waiting")  # closing needs an outcome

THRESHOLD_LABELS = {
    # Translators: the team decided the concern meets the threshold for this referral.
    "met": N_("Threshold met: referral made"),
    # Translators: the team decided the concern does not meet the threshold; handled inside.
    "not_met": N_("Threshold not met: handled internally"),
}
OUTCOME_LABELS = {
    # Translators: how a safeguarding case was closed.
    "resolved_internally": N_("Resolved within the prison"),
    # Translators: how a safeguarding case was closed.
    "referred_externally": N_("Referred to an outside agency"),
    # Translators: how a safeguarding case was closed.
    "not_substantiated": N_("Looked into: not substantiated"),
    # Translators: how a safeguarding case was closed: e.g. the person was released.
    "unable_to_progress": N_("Could not be taken further"),
    # Translators: how a safeguarding case was closed: the same matter as another report.
    "duplicate": N_("Duplicate of a linked report"),
}

EVENT_ACKNOWLEDGED = "acknowledged"
EVENT_ASSIGNED = "assigned"
EVENT_NOTE = "note"
EVENT_STATUS = "status_changed"
EVENT_ESCALATED = "escalated"
EVENT_REFERRAL = "external_referral"
EVENT_LINKED = "linked"
EVENT_CLOSED = "closed"


def next_deadline(report: Report) -> datetime | None:
    """The deadline running now (the same rule the queue applies in SQL)."""
    if report.status in AWAITING_ACKNOWLEDGEMENT and report.acknowledge_due_at is not None:
        return report.acknowledge_due_at
    if report.status in AWAITING_TRIAGE:
        return report.triage_due_at
    return None


class ActionRefused(SafeguardingError):
    """The action cannot be done as asked; ``code`` says why (the door translates it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ActionContext:
    session: Session
    principal: StaffPrincipal
    clock: Clock
    vault: Vault


def acknowledge(ctx: ActionContext, report: Report) -> None:
    require(ctx.principal, P.ACKNOWLEDGE, report)
    refuse_if_closed(report)
    if report.acknowledged_at is not None:
        raise ActionRefused("already_acknowledged")
    _mark_acknowledged(ctx, report)
    record_action(ctx, report, EVENT_ACKNOWLEDGED, "report.acknowledged")


def assign(ctx: ActionContext, report: Report, *, staff_id: int) -> None:
    require(ctx.principal, P.ASSIGN, report)
    refuse_if_closed(report)
    if not may_take_work(ctx.session, report, staff_id):
        raise ActionRefused("assignee_not_allowed")
    current = ctx.session.get(ReportAssignment, report.id)
    if current is None:
        current = ReportAssignment(report_id=report.id, staff_id=staff_id)
        ctx.session.add(current)
    current.staff_id = staff_id
    current.assigned_at = ctx.clock.now()
    current.assigned_by = ctx.principal.actor
    record_action(
        ctx,
        report,
        EVENT_ASSIGNED,
        "report.assigned",
        summary=facts.assigned(staff_id=staff_id),
        detail={"staff_id": staff_id},
    )


def may_take_work(session: Session, report: Report, staff_id: int | None) -> bool:
    """May this member of staff be given work on the report (the case, a task, its plan)?
    Active, of the report's establishment, allowed to read it, and not named in it."""
    person = session.get(StaffUser, staff_id) if staff_id is not None else None
    role = role_of(person.role) if person is not None else None
    return (
        person is not None
        and role is not None
        and person.active
        and report.establishment_id in establishment_ids_of(session, person.id)
        and may_be_assigned(role, report)
        and not names(session, report.id, person.display_name)
    )


def add_note(ctx: ActionContext, report: Report, *, text: str) -> None:
    require(ctx.principal, P.ADD_NOTE, report)
    record_action(ctx, report, EVENT_NOTE, "report.note_added", body=required_text(text))


def change_status(ctx: ActionContext, report: Report, *, status: str) -> None:
    """Move an open case on, or reopen a closed one (closing needs ``close``)."""
    require(ctx.principal, P.CHANGE_STATUS, report)
    if status not in SETTABLE_STATUSES:
        raise ActionRefused("unknown_status")
    if status == report.status:
        raise ActionRefused("unchanged")
    previous = report.status
    if report.acknowledged_at is None:
        _mark_acknowledged(ctx, report)
    report.status = status
    report.closed_at = None
    record_action(
        ctx,
        report,
        EVENT_STATUS,
        "report.status_changed",
        summary=facts.status_changed(before=previous, after=status),
        detail={"from": previous, "to": status},
    )


def escalate(ctx: ActionContext, report: Report, *, reason: str) -> None:
    """Send the case to the governor, with why; the governor is alerted (case number only)."""
    require(ctx.principal, P.ESCALATE, report)
    refuse_if_closed(report)
    event = record_action(
        ctx, report, EVENT_ESCALATED, "report.escalated", body=required_text(reason)
    )
    enqueue_message(
        ctx.session,
        kind="alert.escalation",
        dedupe_key=f"alert.escalation:{event.id}",
        payload={
            "report_id": report.id,
            "establishment_id": report.establishment_id,
            "priority": report.priority,
            "to_role": "governor",
            "event_id": event.id,
        },
        at=ctx.clock.now(),
    )


def record_referral(
    ctx: ActionContext,
    report: Report,
    *,
    agency: str,
    decision: str,
    reason: str,
    consent: bool | None = None,
) -> None:
    """The threshold decision for one agency, and why, whichever way it went."""
    require(ctx.principal, P.RECORD_REFERRAL, report)
    if agency not in AGENCY_LABELS:
        raise ActionRefused("unknown_agency")
    if decision not in THRESHOLD_LABELS:
        raise ActionRefused("unknown_decision")
    # Modern Slavery Act: an NRM referral needs the adult's consent; without it the duty to
    # notify is met by an anonymous MS1 notification instead.
    if agency == "nrm" and decision == "met" and consent is not True:
        raise ActionRefused("nrm_needs_consent")
    record_action(
        ctx,
        report,
        EVENT_REFERRAL,
        "report.referral_recorded",
        summary=facts.referral(agency=agency, decision=decision),
        body=required_text(reason),
        detail={"agency": agency, "decision": decision},
    )


def message_reporter(ctx: ActionContext, report: Report, *, message_id: str) -> None:
    """A standard message the reporter reads or hears in their own language."""
    require(ctx.principal, P.MESSAGE_REPORTER, report)
    if message_id not in STANDARD_MESSAGES_BY_ID:
        raise ActionRefused("unknown_message")
    record_action(
        ctx,
        report,
        MESSAGE_EVENT_KIND,
        "report.message_sent",
        summary=message_id,
        detail={"message": message_id},
    )


def link_reports(ctx: ActionContext, report: Report, other: Report) -> None:
    require(ctx.principal, P.LINK_REPORTS, report)
    require(ctx.principal, P.LINK_REPORTS, other)
    if other.id == report.id:
        raise ActionRefused("same_report")
    if ctx.session.get(ReportLink, (report.id, other.id)) is not None:
        raise ActionRefused("already_linked")
    now = ctx.clock.now()
    for one, two in ((report, other), (other, report)):
        ctx.session.add(
            ReportLink(
                report_id=one.id,
                linked_report_id=two.id,
                linked_at=now,
                linked_by=ctx.principal.actor,
            )
        )
        record_action(
            ctx,
            one,
            EVENT_LINKED,
            "report.linked",
            summary=facts.linked(report_id=two.id),
            detail={"linked_report_id": two.id},
        )


def close(
    ctx: ActionContext,
    report: Report,
    *,
    outcome: str,
    note: str = "",
    personal: PersonalOutcomes | None = None,
) -> None:
    require(ctx.principal, P.CLOSE, report)
    refuse_if_closed(report)
    if outcome not in OUTCOME_LABELS:
        raise ActionRefused("unknown_outcome")
    personal = personal or PersonalOutcomes()  # nothing said: "not recorded"
    problem = outcomes_problem(personal)
    if problem is not None:
        raise ActionRefused(problem)
    blockers = closing_blockers(ctx.session, report)
    if blockers:  # a statutory prompt without a recorded decision (safeguarding/duties.py)
        raise ActionRefused(blockers[0])
    if report.acknowledged_at is None:
        _mark_acknowledged(ctx, report)
    report.status = "closed"
    report.closed_at = ctx.clock.now()
    report.outcomes_asked = personal.asked or None
    report.outcomes_achieved = personal.achieved or None
    report.risk_outcome = personal.risk or None
    body = required_text(note) if note.strip() else None
    record_action(
        ctx,
        report,
        EVENT_CLOSED,
        "report.closed",
        summary=outcome,
        body=body,
        detail={"outcome": outcome, "risk": personal.risk or None},
    )


def _mark_acknowledged(ctx: ActionContext, report: Report) -> None:
    report.acknowledged_at = ctx.clock.now()
    if report.status == "new":
        report.status = "acknowledged"


def refuse_if_closed(report: Report) -> None:
    if report.status == "closed":
        raise ActionRefused("closed")


def required_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ActionRefused("text_required")
    if len(text) > MAX_DETAILS_CHARS:
        raise ActionRefused("text_too_long")
    return text


def record_action(
    ctx: ActionContext,
    report: Report,
    kind: str,
    action: str,
    *,
    summary: str = "",
    body: str | None = None,
    detail: dict[str, Any] | None = None,
) -> TimelineEvent:
    now = ctx.clock.now()
    # The team has acted on the case since the reporter added to it.
    report.new_information_at = None
    event = add_timeline_event(
        ctx.session,
        report,
        kind=kind,
        actor=ctx.principal.actor,
        at=now,
        summary=summary,
    )
    if body:
        TIMELINE_BODY.seal_text(ctx.vault, event, body)
    ctx.session.flush()
    append_audit(
        ctx.session,
        at=now,
        actor=ctx.principal.actor,
        action=action,
        report_id=report.id,
        detail=detail,
    )
    return event
