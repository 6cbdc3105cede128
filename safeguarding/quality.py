"""Quality assurance: what counts as responding in time, how response times are summed up,
and practice audits (closed cases drawn at random, and what the auditor found).

In time means by the report's own due time, which the policy set when it came in (a later
change to the policy does not rewrite history):
- acknowledged in time: ``acknowledged_at`` at or before ``acknowledge_due_at`` (standard
  reports have no acknowledge clock, so they are not counted for it);
- triaged in time: the first triage step (moving the case to investigating or waiting
  for others, or closing it) at or before ``triage_due_at``.
A report not yet acknowledged (or triaged) whose due time has passed counts as late; one
still within its time is "waiting" and in neither share.

The database does the counting (storage.repositories.stats, told what triage is by
``TRIAGE_EVENTS``): comparing stored times there is exact, and a year of reports comes
back as a handful of rows. The median of an even number of times is the mean of the two
middle ones; the 90th percentile is the nearest rank, so it is a time that really happened.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import (
    Permission,
    StaffPrincipal,
    may_see_report,
    require_permission,
    visible_queues,
)
from safeguarding.actions import EVENT_CLOSED, EVENT_REFERRAL, EVENT_STATUS, ActionRefused
from safeguarding.clock import Clock
from safeguarding.i18n import N_
from safeguarding.policy import PRIORITIES, Policy
from storage.models import PracticeAuditCase, PracticeAuditSample, Report
from storage.repositories.audit import append_audit
from storage.repositories.stats import StepSummary, TriageEvents, closed_report_ids

# Moving a case to one of these statuses, or closing it, is triage.
TRIAGE_EVENTS = TriageEvents(
    status_kind=EVENT_STATUS,
    summary_endings=tuple(facts.status_changed_ending(s) for s in ("investigating", "waiting")),
    closing_kind=EVENT_CLOSED,
)
REFERRAL_EVENT_KIND = EVENT_REFERRAL
# Counts from 1 to 4 are shown as "<5" in the export for the Safeguarding Adults Board: a
# single report in one language, on one wing, in one month, can point to a person.
SMALL_NUMBER_BELOW = 5
MAX_SAMPLE_SIZE = 50

AUDIT_OUTCOME_LABELS = {
    # Translators: a practice audit's overall finding about one closed case.
    "good": N_("Good"),
    # Translators: a practice audit's overall finding about one closed case.
    "requires_improvement": N_("Requires improvement"),
    # Translators: a practice audit's overall finding about one closed case.
    "inadequate": N_("Inadequate"),
}
AUDIT_QUESTIONS = {
    # Translators: a practice audit question about a closed case.
    "responded_in_time": N_("Was the report acknowledged and triaged within the policy's times?"),
    # Translators: a practice audit question about a closed case.
    "threshold_recorded": N_("Was each threshold decision recorded with its reason?"),
    # Translators: a practice audit question about a closed case.
    "reporter_informed": N_("Was the reporter kept informed?"),
    # Translators: a practice audit question about a closed case.
    "record_complete": N_("Is the record complete and clear?"),
    # Translators: a practice audit question about a closed case (Making Safeguarding Personal).
    "wishes_sought": N_("Were the person's wishes asked, recorded and acted on where possible?"),
    # Translators: a practice audit question about a closed case (Mental Capacity Act). Answer
    # yes when capacity was never in doubt.
    "capacity_considered": N_(
        "Where capacity was in doubt, was it assessed for the decision, with support to decide "
        "and a best-interests record?"
    ),
    # Translators: a practice audit question about a closed case.
    "consent_respected": N_(
        "Was consent asked before information was shared, or the reason to share without it "
        "recorded?"
    ),
    # Translators: a practice audit question about a closed case: the duty to notify, ACCT
    # and referrals when thresholds were met.
    "statutory_duties_met": N_(
        "Were the statutory duties met (duty to notify, ACCT, referrals when thresholds were met)?"
    ),
}


@dataclass(frozen=True)
class Timeliness:
    """How fast one step (acknowledge or triage) was done for one priority."""

    priority: str
    target: timedelta | None  # the current policy's time, for the reader's reference
    done: int
    median: timedelta | None
    p90: timedelta | None
    in_time: int
    late: int  # done late, or not done and past due
    waiting: int  # not done and still within time

    @property
    def in_time_percent(self) -> float | None:
        judged = self.in_time + self.late
        return None if judged == 0 else 100.0 * self.in_time / judged


def timeliness(
    summaries: Mapping[tuple[str, str], StepSummary], *, step: str, policy: Policy
) -> list[Timeliness]:
    """For ``step`` ("acknowledge" or "triage"), one line per priority that has a clock for
    it: the policy's time, median, 90th percentile, and how many in time, late, waiting."""
    lines = []
    for priority in PRIORITIES:
        times = policy.clocks[priority]
        target = times.acknowledge_within if step == "acknowledge" else times.triage_within
        found = summaries.get((step, priority))
        if found is None and target is None:
            continue
        lines.append(_line(priority, target, found))
    return lines


def _line(priority: str, target: timedelta | None, found: StepSummary | None) -> Timeliness:
    if found is None:
        return Timeliness(priority, target, 0, None, None, 0, 0, 0)
    waiting = found.clocks - found.done - found.not_done_past_due
    return Timeliness(
        priority=priority,
        target=target,
        done=found.done,
        median=_seconds(found.median_seconds),
        p90=_seconds(found.p90_seconds),
        in_time=found.done_in_time,
        late=found.done - found.done_in_time + found.not_done_past_due,
        waiting=waiting,
    )


def _seconds(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)


def shown_count(count: int, *, exact: bool) -> str:
    """A count as published: small numbers hidden unless ``exact`` (for internal use)."""
    if exact or count == 0 or count >= SMALL_NUMBER_BELOW:
        return str(count)
    return f"<{SMALL_NUMBER_BELOW}"


# --- practice audits -------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFindings:
    outcome: str
    answers: dict[str, bool]  # one per AUDIT_QUESTIONS key


def draw_practice_audit(
    session: Session,
    *,
    principal: StaffPrincipal,
    establishment_id: int,
    size: int,
    closed_since: datetime,
    closed_before: datetime,
    clock: Clock,
) -> PracticeAuditSample:
    """Draw up to ``size`` cases closed in the window, at random with the operating
    system's CSPRNG (nobody can steer which cases are checked), from the cases the person
    drawing may see."""
    require_permission(principal, Permission.PRACTICE_AUDIT)
    if establishment_id not in principal.establishment_ids:
        raise ActionRefused("establishment")
    if not 1 <= size <= MAX_SAMPLE_SIZE:
        raise ActionRefused("size")
    if closed_since >= closed_before:
        raise ActionRefused("window")
    candidates = closed_report_ids(
        session,
        establishment_id=establishment_id,
        queues=visible_queues(principal),
        closed_since=closed_since,
        closed_before=closed_before,
    )
    if not candidates:
        raise ActionRefused("no_cases")
    chosen = secrets.SystemRandom().sample(list(candidates), min(size, len(candidates)))
    now = clock.now()
    sample = PracticeAuditSample(
        establishment_id=establishment_id, drawn_at=now, drawn_by=principal.actor,
        requested=size, closed_since=closed_since, closed_before=closed_before,
    )  # fmt: skip
    session.add(sample)
    session.flush()
    session.add_all(
        PracticeAuditCase(sample_id=sample.id, report_id=report_id, position=position)
        for position, report_id in enumerate(chosen)
    )
    append_audit(
        session,
        at=now,
        actor=principal.actor,
        action="practice_audit.drawn",
        detail={"sample_id": sample.id, "establishment_id": establishment_id, "drawn": len(chosen)},
        establishment_id=establishment_id,
    )
    return sample


def record_findings(
    session: Session,
    *,
    principal: StaffPrincipal,
    case: PracticeAuditCase,
    report: Report,
    findings: AuditFindings,
    clock: Clock,
) -> None:
    """What the auditor found about one sampled case (they may see that case)."""
    require_permission(principal, Permission.PRACTICE_AUDIT)
    if case.report_id != report.id or not may_see_report(principal, report):
        raise ActionRefused("case")
    if findings.outcome not in AUDIT_OUTCOME_LABELS:
        raise ActionRefused("outcome")
    if set(findings.answers) != set(AUDIT_QUESTIONS):
        raise ActionRefused("answers")
    now = clock.now()
    case.outcome = findings.outcome
    for question, answer in findings.answers.items():
        setattr(case, question, answer)
    case.reviewed_at = now
    case.reviewed_by = principal.actor
    append_audit(
        session,
        at=now,
        actor=principal.actor,
        action="practice_audit.recorded",
        report_id=report.id,
        detail={"sample_id": case.sample_id, "outcome": findings.outcome},
    )
