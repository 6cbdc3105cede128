"""Taking a report in: one function that the kiosk and the phone line both call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from safeguarding.catalogue import (
    CHANNELS,
    CONCERNS_BY_ID,
    MAX_DETAILS_CHARS,
    MAX_IDENTITY_CHARS,
    STAFF_INVOLVED_ANSWERS,
    WHEN_ANSWERS,
    categories_for,
)
from safeguarding.checkins import open_checkins
from safeguarding.clock import Clock
from safeguarding.codes import code_hash, derive_code, keyed_hash
from safeguarding.cumulative import apply_cumulative_rules
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.evidence import open_evidence_tasks
from safeguarding.people import PersonGiven, check_person, record_people
from safeguarding.policy import Decision, Policy, ReportFacts, decide
from storage.crypto import Secrets
from storage.models import (
    Establishment,
    KioskDevice,
    Location,
    Report,
    ReportAnswer,
    ReportCategory,
    TimelineEvent,
)
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_message
from storage.repositories.reports import (
    add_new_report_rows,
    find_report_by_submission_key,
    insert_report_once,
    write_new_report_seals,
)
from storage.sealed_fields import REPORT_DETAILS, REPORTER_IDENTITY

MIN_SUBMISSION_KEY_CHARS = 16
_MAX_CODE_ATTEMPTS = 5


@dataclass(frozen=True)
class ReportSubmission:
    """Everything a door gathered. ``submission_key`` is the door's random idempotency key."""

    establishment_id: int
    channel: str
    language: str
    submission_key: str
    concerns: list[str]
    in_danger_now: bool = False  # the reporter is in danger now
    someone_else_in_danger_now: bool = False  # another person is in danger now
    staff_involved: str = "not_sure"
    about_someone_else: bool = False
    injured: bool = False
    location_id: int | None = None
    when_happened: str | None = None
    details: str | None = None
    reporter_identity: str | None = None  # name and prison number, only if they want contact
    has_voice_message: bool = False  # a phone caller left a recording (attached afterwards)
    kiosk_device_id: int | None = None
    phone_line_id: int | None = None
    extra_answers: dict[str, str] = field(default_factory=dict)
    # Who it is about (safeguarding.people): optional at every door.
    people: tuple[PersonGiven, ...] = ()


@dataclass(frozen=True)
class Receipt:
    report_id: int
    code: str
    priority: str
    created: bool  # False when this submission had already been taken


def submit_report(
    session: Session,
    *,
    submission: ReportSubmission,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> Receipt:
    """Validate, decide priority and queue, and write the report with its first timeline event,
    audit event and alerts. Idempotent on ``submission.submission_key``.

    The caller commits; only after that commit may the code be shown or read out.
    """
    receipt, _report = take_report(
        session, submission=submission, secrets=secrets, policy=policy, clock=clock
    )
    return receipt


def take_report(
    session: Session,
    *,
    submission: ReportSubmission,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> tuple[Receipt, Report]:
    """submit_report, with the report's row for a caller that goes on writing to it (the
    row is not read again: the session keeps it only while something refers to it)."""
    _validate(session, submission)
    key_hash = keyed_hash(secrets.code_pepper, "submission", submission.submission_key)
    for attempt in range(_MAX_CODE_ATTEMPTS):
        report = _write_report(session, submission, key_hash, attempt, secrets, policy, clock)
        if report is not None:
            return _receipt(report, secrets, submission.submission_key, created=True), report
        # Nothing inserted: either this submission was taken already (a double tap, a
        # retried webhook, a race on another worker) or, one in 10^11, the code is taken.
        existing = find_report_by_submission_key(session, key_hash)
        if existing is not None:
            return _receipt(existing, secrets, submission.submission_key, created=False), existing
    raise RuntimeError("could not issue a unique follow-up code")


def _receipt(report: Report, secrets: Secrets, submission_key: str, *, created: bool) -> Receipt:
    code = derive_code(secrets.code_pepper, submission_key, report.code_attempt)
    return Receipt(report_id=report.id, code=code, priority=report.priority, created=created)


def _validate(session: Session, submission: ReportSubmission) -> None:
    problems: list[FieldProblem] = []

    def check(ok: bool, field_name: str, code: str) -> None:
        if not ok:
            problems.append(FieldProblem(field_name, code))

    check(submission.channel in CHANNELS, "channel", "unknown_choice")
    check(len(submission.submission_key) >= MIN_SUBMISSION_KEY_CHARS, "submission_key", "too_short")
    # A phone caller may say only that they are in danger, or only leave a voice message,
    # before the line drops: that is still a report. Otherwise at least one concern is needed.
    said_something = bool(
        submission.concerns
        or submission.in_danger_now
        or submission.someone_else_in_danger_now
        or submission.details
        or submission.has_voice_message
    )
    check(said_something, "concerns", "required")
    check(all(c in CONCERNS_BY_ID for c in submission.concerns), "concerns", "unknown_choice")
    check(submission.staff_involved in STAFF_INVOLVED_ANSWERS, "staff_involved", "unknown_choice")
    check(submission.when_happened in (None, *WHEN_ANSWERS), "when_happened", "unknown_choice")
    check(len(submission.details or "") <= MAX_DETAILS_CHARS, "details", "too_long")
    check(
        len(submission.reporter_identity or "") <= MAX_IDENTITY_CHARS,
        "reporter_identity",
        "too_long",
    )
    for person in submission.people:
        try:
            check_person(person)
        except InvalidSubmission as invalid:
            problems.extend(invalid.problems)
    establishment = session.get(Establishment, submission.establishment_id)
    check(establishment is not None, "establishment", "unknown")
    if establishment is not None:
        check(submission.language in establishment.language_codes, "language", "not_offered")
    if submission.location_id is not None:
        location = session.get(Location, submission.location_id)
        ok = location is not None and location.establishment_id == submission.establishment_id
        check(ok, "location", "unknown_choice")
    if problems:
        raise InvalidSubmission(problems)


def _write_report(
    session: Session,
    submission: ReportSubmission,
    key_hash: str,
    attempt: int,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> Report | None:
    """The report and everything that comes with it; None if its row was not inserted."""
    now = clock.now()
    concerns = list(dict.fromkeys(submission.concerns))  # keep order, drop repeats
    facts = _facts(submission, concerns)
    decision = decide(policy, facts, received_at=now)
    code = derive_code(secrets.code_pepper, submission.submission_key, attempt)
    row = _report_row(session, submission, facts, decision, now)
    row.update(code_hash=code_hash(secrets.code_pepper, code), code_attempt=attempt)
    report = insert_report_once(session, {**row, "submission_key_hash": key_hash})
    if report is None:
        return None
    actor = f"reporter:{submission.channel}"
    _write_first_rows(session, report, submission, concerns, actor)
    # Each sealed value is bound to the report's id (AES-GCM associated data): the row first.
    sealed = {
        field.attribute: field.sealed_text(secrets.vault, report.id, text)
        for field, text in (
            (REPORT_DETAILS, submission.details),
            (REPORTER_IDENTITY, submission.reporter_identity),
        )
        if text
    }
    write_new_report_seals(session, report, sealed)
    identity = submission.reporter_identity
    people = record_people(
        session, secrets, report, given=submission.people, reporter_identity=identity, actor=actor
    )
    # A new report: what it has is in hand, nothing is read back (issue 18).
    open_evidence_tasks(session, report, policy, new=True)
    open_checkins(session, report, policy, new_with_people=people)
    # Before the new-report alert, so that it carries a priority the rules raised.
    apply_cumulative_rules(session, report, policy, clock, new_with_people=people)
    _record_and_alert(session, report)
    return report


def _write_first_rows(
    session: Session,
    report: Report,
    submission: ReportSubmission,
    concerns: list[str],
    actor: str,
) -> None:
    """Answers, categories and the "received" event: one INSERT each, kept in memory as the
    report's collections (the rules below read its categories)."""
    answers = [("concern", c) for c in concerns] + sorted(submission.extra_answers.items())
    add_new_report_rows(
        session,
        report,
        answers=[ReportAnswer(report_id=report.id, question=q, answer=a) for q, a in answers],
        categories=[
            ReportCategory(report_id=report.id, category=c.value) for c in categories_for(concerns)
        ],
        events=[
            TimelineEvent(
                report_id=report.id, kind="received", actor=actor, at=report.created_at, summary=""
            )
        ],
    )


def _facts(submission: ReportSubmission, concerns: list[str]) -> ReportFacts:
    chosen = [CONCERNS_BY_ID[c] for c in concerns]
    staff_involved = "yes" if any(c.names_staff for c in chosen) else submission.staff_involved
    return ReportFacts(
        categories=frozenset(categories_for(concerns)),
        in_danger_now=submission.in_danger_now,
        self_harm_risk=any(c.self_harm_risk for c in chosen),
        staff_involved=staff_involved,
        injured=submission.injured,
        about_someone_else=submission.about_someone_else
        or submission.someone_else_in_danger_now
        or any(c.about_someone_else for c in chosen),
        someone_else_in_danger_now=submission.someone_else_in_danger_now,
    )


def _report_row(
    session: Session,
    submission: ReportSubmission,
    facts: ReportFacts,
    decision: Decision,
    now: datetime,
) -> dict[str, Any]:
    """The report's columns, as the door gave them and the policy decided."""
    return dict(
        establishment_id=submission.establishment_id,
        location_id=submission.location_id,
        kiosk_device_id=submission.kiosk_device_id,
        sent_from_location_id=_kiosk_location(session, submission.kiosk_device_id),
        phone_line_id=submission.phone_line_id,
        channel=submission.channel,
        language=submission.language,
        priority=decision.priority,
        priority_rank=decision.priority_rank,
        queue=decision.queue,
        status="new",
        in_danger_now=facts.in_danger_now,
        someone_else_in_danger_now=facts.someone_else_in_danger_now,
        self_harm_risk=facts.self_harm_risk,
        staff_involved=facts.staff_involved,
        about_someone_else=facts.about_someone_else,
        injured=facts.injured,
        when_happened=submission.when_happened,
        wants_contact=bool(submission.reporter_identity),
        acct_prompted=decision.acct_prompted,
        duty_to_notify_prompted=decision.duty_to_notify_prompted,
        created_at=now,
        acknowledge_due_at=decision.acknowledge_due_at,
        triage_due_at=decision.triage_due_at,
    )


def _kiosk_location(session: Session, device_id: int | None) -> int | None:
    """Where the kiosk stands, kept on the report: a device may be moved later."""
    device = session.get(KioskDevice, device_id) if device_id is not None else None
    return device.location_id if device is not None else None


def _record_and_alert(session: Session, report: Report) -> None:
    append_audit(
        session,
        at=report.created_at,
        actor=f"reporter:{report.channel}",
        action="report.submitted",
        report_id=report.id,
        establishment_id=report.establishment_id,  # known: no read of the report again
        detail={"priority": report.priority, "queue": report.queue, "channel": report.channel},
    )
    # Alerts carry the case number and priority only: SMS and email are not private.
    enqueue_message(
        session,
        kind="alert.new_report",
        dedupe_key=f"alert.new_report:{report.id}",
        payload={
            "report_id": report.id,
            "establishment_id": report.establishment_id,
            "priority": report.priority,
        },
        at=report.created_at,
    )
