"""What a reporter sees or hears when they come back with their code, and adding to a report."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from safeguarding.catalogue import MAX_DETAILS_CHARS
from safeguarding.clock import Clock
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.i18n import N_
from safeguarding.messages import STANDARD_MESSAGES_BY_ID, StandardMessage
from safeguarding.new_information import note_new_information
from safeguarding.policy import Policy
from storage.crypto import Vault
from storage.models import Report
from storage.repositories.audit import append_audit
from storage.repositories.reports import add_timeline_event
from storage.sealed_fields import TIMELINE_BODY

# Plain-language status for the reporter; internal statuses map onto these.
REPORTER_STATUS_TEXT = {
    # Translators: the status of a report, shown to the prisoner who made it.
    "received": N_("Your report has been received. Nobody has read it yet."),
    # Translators: the status of a report, shown to the prisoner who made it.
    "being_looked_at": N_("The safeguarding team is looking at your report."),
    # Translators: the status of a report, shown to the prisoner who made it.
    "closed": N_("The safeguarding team has finished with your report."),
}

MESSAGE_EVENT_KIND = "message_to_reporter"
ADDED_INFORMATION_KIND = "reporter_added_information"


@dataclass(frozen=True)
class ReporterView:
    status: str  # a key of REPORTER_STATUS_TEXT
    messages: list[StandardMessage]  # oldest first


def followup_report(session: Session, report_id: int | None) -> Report | None:
    """The report a reporter came back to with its code (its id kept by the kiosk session
    or the call), to hand to the other follow-up rules; None when there is none."""
    return session.get(Report, report_id) if report_id is not None else None


def reporter_view_of(session: Session, report_id: int | None) -> ReporterView | None:
    """What the reporter who came back to this report may know; None when there is none."""
    report = followup_report(session, report_id)
    return reporter_view(report) if report is not None else None


def reporter_view(report: Report) -> ReporterView:
    """What the reporter may know: a plain status and the team's standard messages only."""
    if report.status == "closed":
        status = "closed"
    elif report.status == "new":
        status = "received"
    else:
        status = "being_looked_at"
    messages = [
        STANDARD_MESSAGES_BY_ID[event.summary]
        for event in report.events
        if event.kind == MESSAGE_EVENT_KIND and event.summary in STANDARD_MESSAGES_BY_ID
    ]
    return ReporterView(status=status, messages=messages)


def add_reporter_information(
    session: Session,
    *,
    report_id: int,
    text: str,
    channel: str,
    vault: Vault,
    policy: Policy,
    clock: Clock,
) -> None:
    """The reporter adds more to their report (sealed): it goes on the timeline, and the
    team is told (safeguarding.new_information). The door holds only the report's id."""
    text = text.strip()
    if not text:
        raise InvalidSubmission([FieldProblem("details", "required")])
    if len(text) > MAX_DETAILS_CHARS:
        raise InvalidSubmission([FieldProblem("details", "too_long")])
    # Found in the session without a query: the door read it this transaction.
    report = session.get(Report, report_id)
    if report is None:
        raise LookupError("no such report")
    now = clock.now()
    event = add_timeline_event(
        session, report, kind=ADDED_INFORMATION_KIND, actor=f"reporter:{channel}", at=now
    )
    TIMELINE_BODY.seal_text(vault, event, text)
    session.flush()
    append_audit(
        session,
        at=now,
        actor=f"reporter:{channel}",
        action="report.information_added",
        report_id=report.id,
    )
    note_new_information(session, report=report, channel=channel, policy=policy, clock=clock)
