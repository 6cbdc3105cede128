"""Retention: a closed report is kept for the policy's period after it was closed, then it is
deleted for good, with everything that was said or done about it.

What goes: the report, its answers, categories, timeline (notes, referrals, messages),
recordings, assignment, links to other reports, suggested links decided and requests to
other establishments about it, cumulative-concern firings, on-call paging, breach warnings, practice
audit findings, and the phone call that made it (its nonce would give the follow-up code
again). What stays: the audit log, exactly as it was, so its hash chain still verifies
(the chain covers each event's report id, so nothing in it is changed or nulled), plus one
tombstone event per report (its id, the day it was closed, the day it was purged) and a
``PurgedReport`` row that keeps the id's establishment and queue, so that only those who
could see the report can see its audit trail.

Held back: a closed report linked to a report that is still open (the open case may rest
on it), and the newest report in the database, whatever its state, because SQLite hands
out the largest id again after it is deleted, and an id must never name two reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from safeguarding.clock import Clock
from safeguarding.policy import Policy
from storage.models import (
    AlertEscalation,
    BreachWarning,
    CallSession,
    CapacityRecord,
    CaseTask,
    CrossSiteRequest,
    CrossSiteShared,
    CumulativeFiring,
    DutyToNotifyDecision,
    EvidenceTask,
    ExternalReferral,
    MissedDeadline,
    PracticeAuditCase,
    ProtectionPlan,
    PurgedReport,
    Recording,
    Report,
    ReportAnswer,
    ReportAssignment,
    ReportCategory,
    ReportLink,
    ReportPerson,
    RetaliationCheckIn,
    SuggestionDecision,
    TimelineEvent,
)
from storage.repositories.audit import append_audit

PURGE_ACTOR = "system:retention"
PURGE_ACTION = "report.purged"
BATCH_SIZE = 200  # reports per transaction: short locks, and a crash loses one batch at most


@dataclass(frozen=True)
class ExpiredReport:
    """What the purge and its dry run show: no content, only the id and dates."""

    report_id: int
    establishment_id: int
    queue: str
    closed_at: datetime


@dataclass(frozen=True)
class PurgeBatch:
    purged: list[ExpiredReport]
    # Voice messages that Twilio may still hold (never deleted there): our copy is gone,
    # theirs must be deleted in the Twilio console, so the command says how many.
    provider_recordings_left: int


def _expired_statement(policy: Policy, now: datetime) -> Select[int, int, str, datetime | None]:
    cutoff = policy.retention.cutoff(now)
    linked = aliased(Report)
    linked_to_open = (
        exists()
        .where(
            ReportLink.report_id == Report.id,
            ReportLink.linked_report_id == linked.id,
            linked.status != "closed",
        )
        .correlate(Report)
    )
    newest = select(func.max(Report.id)).scalar_subquery()
    return (
        select(Report.id, Report.establishment_id, Report.queue, Report.closed_at)
        .where(
            Report.status == "closed",
            Report.closed_at.is_not(None),
            Report.closed_at <= cutoff,
            Report.id < newest,
            ~linked_to_open,
        )
        .order_by(Report.closed_at, Report.id)
    )


def find_expired(
    session: Session, *, policy: Policy, now: datetime, limit: int | None = None
) -> list[ExpiredReport]:
    """Closed reports whose retention period has run out, oldest closure first."""
    statement = _expired_statement(policy, now)
    if limit is not None:
        statement = statement.limit(limit)
    expired = []
    for report_id, establishment_id, queue, closed_at in session.execute(statement):
        assert closed_at is not None  # the statement asks for closed reports only
        expired.append(ExpiredReport(report_id, establishment_id, queue, closed_at))
    return expired


def purge_expired_batch(
    session: Session, *, policy: Policy, clock: Clock, batch_size: int = BATCH_SIZE
) -> PurgeBatch:
    """Delete up to ``batch_size`` expired reports in the caller's transaction; call again
    (a new transaction each time) until it purges none."""
    expired = find_expired(session, policy=policy, now=clock.now(), limit=batch_size)
    if not expired:
        return PurgeBatch([], 0)
    ids = [item.report_id for item in expired]
    left_at_provider = _recordings_left_at_provider(session, ids)
    _delete_everything_about(session, ids)
    now = clock.now()
    for item in expired:
        session.add(
            PurgedReport(
                report_id=item.report_id,
                establishment_id=item.establishment_id,
                queue=item.queue,
                closed_at=item.closed_at,
                purged_at=now,
            )
        )
        append_audit(
            session,
            at=now,
            actor=PURGE_ACTOR,
            action=PURGE_ACTION,
            report_id=item.report_id,
            detail={
                "closed_on": item.closed_at.date().isoformat(),
                "purged_on": now.date().isoformat(),
            },
        )
    return PurgeBatch(expired, left_at_provider)


def _recordings_left_at_provider(session: Session, ids: list[int]) -> int:
    return (
        session.scalar(
            select(func.count(Recording.id)).where(
                Recording.report_id.in_(ids),
                Recording.source_url_sealed.is_not(None),
                Recording.provider_deleted_at.is_(None),
            )
        )
        or 0
    )


def _delete_everything_about(session: Session, ids: list[int]) -> None:
    # Children first: every foreign key to the report is gone before the report. A call's
    # recordings belong to the call's report, so they go before the call does.
    for statement in (
        delete(PracticeAuditCase).where(PracticeAuditCase.report_id.in_(ids)),
        delete(ReportLink).where(
            or_(ReportLink.report_id.in_(ids), ReportLink.linked_report_id.in_(ids))
        ),
        delete(SuggestionDecision).where(
            or_(
                SuggestionDecision.report_id.in_(ids),
                SuggestionDecision.other_report_id.in_(ids),
            )
        ),
        delete(CumulativeFiring).where(CumulativeFiring.report_id.in_(ids)),
        delete(CrossSiteShared).where(
            or_(
                CrossSiteShared.report_id.in_(ids),
                CrossSiteShared.request_id.in_(
                    select(CrossSiteRequest.id).where(CrossSiteRequest.report_id.in_(ids))
                ),
            )
        ),
        delete(CrossSiteRequest).where(CrossSiteRequest.report_id.in_(ids)),
        delete(ReportAssignment).where(ReportAssignment.report_id.in_(ids)),
        delete(AlertEscalation).where(AlertEscalation.report_id.in_(ids)),
        delete(BreachWarning).where(BreachWarning.report_id.in_(ids)),
        delete(MissedDeadline).where(MissedDeadline.report_id.in_(ids)),
        delete(DutyToNotifyDecision).where(DutyToNotifyDecision.report_id.in_(ids)),
        delete(ExternalReferral).where(ExternalReferral.report_id.in_(ids)),
        delete(EvidenceTask).where(EvidenceTask.report_id.in_(ids)),
        delete(RetaliationCheckIn).where(RetaliationCheckIn.report_id.in_(ids)),
        delete(CaseTask).where(CaseTask.report_id.in_(ids)),
        delete(CapacityRecord).where(CapacityRecord.report_id.in_(ids)),
        delete(ReportPerson).where(ReportPerson.report_id.in_(ids)),
        delete(ProtectionPlan).where(ProtectionPlan.report_id.in_(ids)),
        delete(Recording).where(Recording.report_id.in_(ids)),
        delete(CallSession).where(CallSession.report_id.in_(ids)),
        delete(TimelineEvent).where(TimelineEvent.report_id.in_(ids)),
        delete(ReportAnswer).where(ReportAnswer.report_id.in_(ids)),
        delete(ReportCategory).where(ReportCategory.report_id.in_(ids)),
        delete(Report).where(Report.id.in_(ids)),
    ):
        session.execute(statement.execution_options(synchronize_session=False))
