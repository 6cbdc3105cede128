"""Phone-line rules: a call becomes a report as soon as the caller gives anything.

A caller on a wing phone may be cut off at any moment, so the report is created the
moment there is something to act on (a danger flag, a concern, a voice message) and is
updated as the call goes on. Priority is recomputed by the same policy as the kiosk's;
while nobody on the team has touched the report it follows the caller's answers, and
after that it can only go up. A call that stops before the end is marked so on the
report's timeline.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from safeguarding.access import INDEPENDENT_QUEUE
from safeguarding.call_report import alert_priority_raised, sync_answers
from safeguarding.call_wing import place_report
from safeguarding.catalogue import CONCERNS_BY_ID, STAFF_INVOLVED_ANSWERS, categories_for
from safeguarding.clock import Clock
from safeguarding.codes import derive_code
from safeguarding.followup import ADDED_INFORMATION_KIND
from safeguarding.intake import ReportSubmission, take_report
from safeguarding.new_information import note_new_information
from safeguarding.policy import Policy, ReportFacts, decide
from storage.crypto import Secrets
from storage.models import CallSession, Recording, Report
from storage.repositories.audit import append_audit
from storage.repositories.calls import find_recording_by_provider_sid, outbox_message_exists
from storage.repositories.outbox import enqueue_message
from storage.repositories.reports import add_timeline_event
from storage.sealed_fields import CALL_NONCE, RECORDING_SOURCE_URL

CHANNEL = "phone"
RECORDING_FETCH_KIND = "recording.fetch"
CALL_ENDED_EARLY_KIND = "call_ended_early"
RECORDING_KIND = "voice_message"
NAME_RECORDING_KIND = "name_recording"  # the caller's name and cell, said after "in danger"
MESSAGE, NAME = "message", "name"  # Recording.kind
RECORDING_KINDS = (MESSAGE, NAME)
MODES = ("report", "follow_up")
DANGER_WHO_ANSWERS = ("me", "someone_else")


@dataclass
class CallAnswers:
    """What the caller has chosen so far: catalogue ids and flags, never free text."""

    in_danger_now: bool = False  # someone is in danger now: the caller, unless danger_who says
    danger_who: str | None = None  # me | someone_else; None until asked (then: the caller)
    concerns: list[str] = field(default_factory=list)
    about_someone_else: bool | None = None
    staff_involved: str | None = None  # yes | no | not_sure; None until asked
    injured: bool | None = None  # "Is anyone hurt?"; None until asked
    location_id: int | None = None  # the wing chosen after "in danger": where help goes

    def has_anything(self) -> bool:
        return bool(self.in_danger_now or self.concerns)

    @property
    def caller_in_danger(self) -> bool:
        return self.in_danger_now and self.danger_who != "someone_else"

    @property
    def someone_else_in_danger(self) -> bool:
        return self.in_danger_now and self.danger_who == "someone_else"

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> CallAnswers:
        data = json.loads(raw or "{}")
        concerns = [c for c in data.get("concerns", []) if c in CONCERNS_BY_ID]
        staff = data.get("staff_involved")
        who = data.get("danger_who")
        return cls(
            in_danger_now=bool(data.get("in_danger_now", False)),
            danger_who=who if who in DANGER_WHO_ANSWERS else None,
            concerns=concerns,
            about_someone_else=data.get("about_someone_else"),
            staff_involved=staff if staff in STAFF_INVOLVED_ANSWERS else None,
            injured=data.get("injured") if isinstance(data.get("injured"), bool) else None,
            location_id=_whole_number(data.get("location_id")),
        )


def _whole_number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def answers_of(call: CallSession) -> CallAnswers:
    return CallAnswers.from_json(call.answers)


def save_call_answers(
    session: Session,
    *,
    call: CallSession,
    answers: CallAnswers,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> Report | None:
    """Keep the answers on the call and in its report, creating the report once there is
    something to act on. Returns the report (None while the caller has given nothing)."""
    report = _report_with(session, call, answers, secrets, policy, clock)
    # Changed after the report's statements: the call is then written once, at the end of
    # the webhook, not also by the autoflush before the report's first query.
    call.answers = answers.to_json()
    call.updated_at = clock.now()
    return report


def _report_with(
    session: Session,
    call: CallSession,
    answers: CallAnswers,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> Report | None:
    if call.mode != "report":
        return None
    if call.report_id is None:
        if not answers.has_anything():
            return None
        return _create_report(session, call, answers, secrets, policy, clock)
    report = session.get(Report, call.report_id)
    assert report is not None
    _update_report(session, report, answers, policy, clock)
    return report


def _create_report(
    session: Session,
    call: CallSession,
    answers: CallAnswers,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
    *,
    has_voice_message: bool = False,
) -> Report:
    assert call.language is not None
    receipt, report = take_report(
        session,
        submission=ReportSubmission(
            establishment_id=call.establishment_id,
            channel=CHANNEL,
            language=call.language,
            submission_key=CALL_NONCE.open_text(secrets.vault, call) or "",
            concerns=list(answers.concerns),
            in_danger_now=answers.caller_in_danger,
            someone_else_in_danger_now=answers.someone_else_in_danger,
            staff_involved=answers.staff_involved or "not_sure",
            about_someone_else=bool(answers.about_someone_else),
            injured=bool(answers.injured),
            phone_line_id=call.phone_line_id,
            location_id=answers.location_id,
            has_voice_message=has_voice_message,
        ),
        secrets=secrets,
        policy=policy,
        clock=clock,
    )
    call.report_id = receipt.report_id
    return report


def _facts(answers: CallAnswers) -> ReportFacts:
    chosen = [CONCERNS_BY_ID[c] for c in answers.concerns]
    staff = answers.staff_involved or "not_sure"
    if any(c.names_staff for c in chosen):
        staff = "yes"
    return ReportFacts(
        categories=frozenset(categories_for(answers.concerns)),
        in_danger_now=answers.caller_in_danger,
        someone_else_in_danger_now=answers.someone_else_in_danger,
        self_harm_risk=any(c.self_harm_risk for c in chosen),
        staff_involved=staff,
        injured=bool(answers.injured),
        about_someone_else=bool(answers.about_someone_else)
        or answers.someone_else_in_danger
        or any(c.about_someone_else for c in chosen),
    )


def _update_report(
    session: Session, report: Report, answers: CallAnswers, policy: Policy, clock: Clock
) -> None:
    facts = _facts(answers)
    decision = decide(policy, facts, received_at=report.created_at)
    untouched = report.status == "new"
    raised = decision.priority_rank < report.priority_rank
    if untouched or raised:
        report.priority = decision.priority
        report.priority_rank = decision.priority_rank
        report.acknowledge_due_at = decision.acknowledge_due_at
        report.triage_due_at = decision.triage_due_at
    # Never out of the independent queue: the caller may have named the lead already.
    if (untouched or decision.queue == "restricted") and report.queue != INDEPENDENT_QUEUE:
        report.queue = decision.queue
    # "Someone is in danger" is stored at once as the caller; the next key may say it is
    # someone else. Untouched, the flags follow the caller; after that they only add up.
    if untouched:
        report.in_danger_now = facts.in_danger_now
        report.someone_else_in_danger_now = facts.someone_else_in_danger_now
    else:
        report.in_danger_now = report.in_danger_now or facts.in_danger_now
        report.someone_else_in_danger_now = (
            report.someone_else_in_danger_now or facts.someone_else_in_danger_now
        )
    report.self_harm_risk = report.self_harm_risk or facts.self_harm_risk
    report.injured = facts.injured if untouched else report.injured or facts.injured
    report.staff_involved = facts.staff_involved if untouched else report.staff_involved
    report.about_someone_else = facts.about_someone_else
    report.acct_prompted = report.acct_prompted or decision.acct_prompted
    report.duty_to_notify_prompted = (
        report.duty_to_notify_prompted or decision.duty_to_notify_prompted
    )
    sync_answers(report, answers)
    now = clock.now()
    if answers.location_id is not None:
        place_report(session, report=report, location_id=answers.location_id, at=now)
    append_audit(
        session,
        at=now,
        actor=f"reporter:{CHANNEL}",
        action="report.updated_by_caller",
        report_id=report.id,
        establishment_id=report.establishment_id,
        detail={"priority": report.priority, "queue": report.queue},
    )
    if raised:
        alert_priority_raised(session, report, now)
    session.flush()


def code_for_call(call: CallSession, report: Report, secrets: Secrets) -> str:
    """The follow-up code of the report this call made (derived again, never stored)."""
    nonce = CALL_NONCE.open_text(secrets.vault, call) or ""
    return derive_code(secrets.code_pepper, nonce, report.code_attempt)


@dataclass(frozen=True)
class VoiceMessage:
    provider_sid: str
    source_url: str
    duration_seconds: int


def take_voice_message(
    session: Session,
    *,
    call: CallSession,
    message: VoiceMessage,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
    kind: str = MESSAGE,
) -> Recording:
    """Attach a recording to the call's report (creating the report if the message is the
    first thing the caller gave) and queue its download. Idempotent on the provider's id."""
    existing = find_recording_by_provider_sid(session, message.provider_sid)
    if existing is not None:
        return existing
    if call.report_id is None:
        _create_report(
            session, call, answers_of(call), secrets, policy, clock, has_voice_message=True
        )
    report = session.get(Report, call.report_id)
    assert report is not None
    now = clock.now()
    recording = Recording(
        report_id=report.id,
        call_session_id=call.id,
        provider_sid=message.provider_sid,
        duration_seconds=message.duration_seconds,
        status="pending",
        created_at=now,
        kind=kind if kind in RECORDING_KINDS else MESSAGE,
    )
    session.add(recording)
    session.flush()
    RECORDING_SOURCE_URL.seal_text(secrets.vault, recording, message.source_url)
    add_timeline_event(
        session,
        report,
        kind=_event_kind(call, recording),
        actor=f"reporter:{CHANNEL}",
        at=now,
    )
    append_audit(
        session,
        at=now,
        actor=f"reporter:{CHANNEL}",
        action="report.name_recording_added" if kind == NAME else "report.voice_message_added",
        report_id=report.id,
        establishment_id=report.establishment_id,
        detail={"recording_id": recording.id},
    )
    enqueue_recording_fetch(session, recording, at=now)
    if call.mode == "follow_up":
        note_new_information(session, report=report, channel=CHANNEL, policy=policy, clock=clock)
    if call.ended_at is not None and call.mode == "report":
        mark_ended_early(session, call=call, clock=clock)
    session.flush()
    return recording


def _event_kind(call: CallSession, recording: Recording) -> str:
    if recording.kind == NAME:
        return NAME_RECORDING_KIND
    return ADDED_INFORMATION_KIND if call.mode == "follow_up" else RECORDING_KIND


def enqueue_recording_fetch(session: Session, recording: Recording, *, at: datetime) -> None:
    """Ids only: the worker finds the sealed URL on the recording itself."""
    dedupe = f"{RECORDING_FETCH_KIND}:{recording.id}"
    if outbox_message_exists(session, dedupe):
        return
    enqueue_message(
        session,
        kind=RECORDING_FETCH_KIND,
        dedupe_key=dedupe,
        payload={"recording_id": recording.id, "report_id": recording.report_id},
        at=at,
    )


def replace_voice_message(session: Session, *, recording: Recording, clock: Clock) -> None:
    """The caller chose to record again. The first message is kept for the team, marked."""
    if recording.replaced:
        return
    recording.replaced = True
    append_audit(
        session,
        at=clock.now(),
        actor=f"reporter:{CHANNEL}",
        action="report.voice_message_replaced",
        report_id=recording.report_id,
        detail={"recording_id": recording.id},
    )


def mark_voice_message_absent(session: Session, *, recording: Recording) -> None:
    """Twilio kept no audio (too short or silent): the report must not wait for it."""
    if recording.status == "pending":
        recording.status = "absent"


def mark_ended_early(session: Session, *, call: CallSession, clock: Clock) -> None:
    """Say on the report's timeline that the caller did not reach the end of the call."""
    if call.report_id is None or call.mode != "report":
        return
    report = session.get(Report, call.report_id)
    assert report is not None
    if any(event.kind == CALL_ENDED_EARLY_KIND for event in report.events):
        return
    now = clock.now()
    add_timeline_event(
        session,
        report,
        kind=CALL_ENDED_EARLY_KIND,
        actor=f"reporter:{CHANNEL}",
        at=now,
    )
    append_audit(
        session,
        at=now,
        actor=f"reporter:{CHANNEL}",
        action="call.ended_early",
        report_id=report.id,
        establishment_id=report.establishment_id,
    )


def finalise_call(session: Session, *, call: CallSession, finished: bool, clock: Clock) -> None:
    """The call is over (status callback). Idempotent: a repeated callback changes nothing."""
    if call.ended_at is not None:
        return
    call.ended_at = clock.now()
    call.updated_at = call.ended_at
    call.status = "completed" if finished else "ended-early"
    if not finished:
        mark_ended_early(session, call=call, clock=clock)
