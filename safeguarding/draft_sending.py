"""Sending a kiosk draft: the report it becomes, and what the Sent screen shows
(safeguarding.drafts keeps the draft itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.codes import derive_code
from safeguarding.draft_answers import answer_problem
from safeguarding.drafts import (
    OpenDraft,
    SentRecord,
    first_unanswered,
    may_send_now,
    needs_urgent_help,
    save_draft,
    to_submission,
)
from safeguarding.intake import take_report
from safeguarding.kiosk_devices import check_kiosk_rate
from safeguarding.kiosk_voice import WITH_REPORT, attach_to_report
from safeguarding.policy import Policy
from storage.crypto import Secrets
from storage.models import Establishment, KioskDevice, Report


def send_draft(
    session: Session,
    *,
    draft: OpenDraft,
    establishment_id: int,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> SentRecord:
    """Turn a draft into a report (in the caller's transaction) and forget the answers.
    Sending the same draft again returns the first report. A draft must be complete, unless
    it says someone is in danger (``may_send_now``): then it is sent as it is.

    Raises InvalidSubmission for an incomplete draft and KioskRateLimited when this device
    has sent its limit, unless the draft says someone needs help now (``needs_urgent_help``):
    the limit stops a flood burying real reports, and must never be what turns away the one
    report that matters most. The caller commits; only then may the code be shown.
    """
    state = draft.state
    if state.sent is not None:
        return state.sent
    missing = first_unanswered(state)
    if missing is not None and not may_send_now(state):
        raise answer_problem(missing, "required")
    submission = to_submission(
        state,
        establishment_id=establishment_id,
        device_id=draft.row.device_id,
        language=draft.row.language,
        submission_key=draft.token,
    )
    # Held for the whole send: the session's identity map keeps rows only while something
    # refers to them, and intake reads both again (issue 18: two SELECTs saved).
    held = (
        session.get(Establishment, establishment_id),
        session.get(KioskDevice, draft.row.device_id),
    )
    if not needs_urgent_help(state.answers):
        check_kiosk_rate(session, draft.row.device_id, establishment_id, policy.kiosk, clock)
    receipt, report = take_report(
        session, submission=submission, secrets=secrets, policy=policy, clock=clock
    )
    del held
    attach_to_report(
        session, draft.row, report, origin=WITH_REPORT, vault=secrets.vault, at=clock.now()
    )
    state.sent = SentRecord(report_id=receipt.report_id, urgent=needs_urgent_help(state.answers))
    state.answers = {}  # the report holds them now; the draft keeps only what Sent shows
    save_draft(session, draft, secrets.vault)
    return state.sent


@dataclass(frozen=True)
class SentReceipt:
    code: str
    urgent: bool
    respond_within: timedelta  # the policy's clock for this report: acknowledge, else triage


def sent_receipt(session: Session, draft: OpenDraft, pepper: bytes) -> SentReceipt | None:
    """What the Sent screen shows, read from the committed report. The code is derived
    again from the draft's token rather than stored anywhere."""
    sent = draft.state.sent
    report = session.get(Report, sent.report_id) if sent is not None else None
    if sent is None or report is None:
        return None
    due = report.acknowledge_due_at or report.triage_due_at
    return SentReceipt(
        code=derive_code(pepper, draft.token, report.code_attempt),
        urgent=sent.urgent,
        respond_within=due - report.created_at,
    )
