"""A kiosk draft that ends without Send: wiped, unless the person said someone is in danger.

The phone line keeps a report when a caller who said they are in danger hangs up. The kiosk
does the same: when a draft whose danger answer is "yes" or "someone_else" is wiped by quick
exit, by the screen clearing itself after a quiet spell, or because it expired, the answers
it holds become an immediate report before the draft is deleted. The person has gone, so no
follow-up code is shown or kept: the report's submission key is random and thrown away, and
the screen goes blank exactly as it always does, so whoever made them leave learns nothing.

Quick exit, the idle wipe and expiry go through here; Finish (after Send), the start
screen (a person going back on purpose) and a token shown by another device delete a draft
without filing. A draft is deleted in the same transaction that files its report, with the
row locked, so a second exit, or an exit racing the worker's sweep, finds no draft and
files nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime
from secrets import token_urlsafe

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.clock import Clock
from safeguarding.draft_answers import SOMEONE_IN_DANGER
from safeguarding.drafts import DraftState, to_submission, token_hash
from safeguarding.errors import InvalidSubmission
from safeguarding.intake import ReportSubmission, submit_report
from safeguarding.kiosk_voice import LEFT as VOICE_LEFT
from safeguarding.kiosk_voice import attach_to_report
from safeguarding.policy import Policy
from storage.crypto import Secrets
from storage.db import rolled_back_for_another
from storage.models import Establishment, KioskDevice, KioskDraft, Report
from storage.repositories.audit import append_audit
from storage.repositories.drafts import find_draft_for_update
from storage.repositories.reports import add_timeline_event
from storage.sealed_fields import KIOSK_DRAFT_STATE

log = logging.getLogger("safereport.kiosk")

LEFT_BEFORE_SENDING_KIND = "kiosk_left_before_sending"
# Why the draft ended, kept as the timeline event's summary (an id, never a sentence).
LEFT = "left"  # quick exit, or the screen cleared itself after the inactivity warning
EXPIRED = "expired"  # nobody came back: the server's own expiry
_KEY_BYTES = 32


def leave_draft(
    session: Session,
    *,
    token: str,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> bool:
    """The person left (quick exit or the idle wipe): file what a danger answer holds, then
    delete the draft. True when there was a draft. Safe to call any number of times."""
    if not token or len(token) > 128:
        return False
    row = find_draft_for_update(session, token_hash(secrets.code_pepper, token))
    if row is None:
        return False
    reason = EXPIRED if row.expires_at <= clock.now() else LEFT
    _end(session, row, reason=reason, secrets=secrets, policy=policy, clock=clock)
    return True


def purge_expired_drafts(
    session: Session, *, secrets: Secrets, policy: Policy, clock: Clock
) -> int:
    """Delete every expired draft, filing a report first for each that holds a danger
    answer. Returns how many drafts were deleted."""
    rows = _expired_drafts(session, now=clock.now())
    ended = [
        _end(session, row, reason=EXPIRED, secrets=secrets, policy=policy, clock=clock)
        for row in rows
    ]
    return sum(ended)


def _expired_drafts(session: Session, *, now: datetime) -> list[KioskDraft]:
    # SKIP LOCKED: a draft a request is working on is left to that request (PostgreSQL;
    # SQLite's write lock already runs the two one after the other).
    query = (
        select(KioskDraft)
        .where(KioskDraft.expires_at <= now)
        .order_by(KioskDraft.id)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))


def _end(
    session: Session,
    row: KioskDraft,
    *,
    reason: str,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> bool:
    """Delete the draft, filing its danger answer first. If filing fails the draft is kept
    (sealed, expired, opened by nobody) for the worker's next sweep: a danger answer is never
    lost, and a failure here never stops a kiosk screen from working.

    Except when PostgreSQL chose this transaction as a deadlock's victim: then it is raised,
    so that the whole transaction is rolled back and run again (every caller runs it under
    Database.retrying) and the answer filed now. Kept for the sweep instead, the draft's row
    lock, which the other transaction waits for, would be held to the end, and the on-call
    chain paged minutes later. (Three deadlocks in a row would reach the caller: Leave now
    still blanks the screen, a page view shows the kiosk's error page, the sweep tries again.)"""
    state = DraftState.from_json(KIOSK_DRAFT_STATE.open_text(secrets.vault, row) or "{}")
    if state.sent is None and state.answers.get("danger") in SOMEONE_IN_DANGER:
        try:
            with session.begin_nested():
                file_left_draft(
                    session,
                    row,
                    state,
                    reason=reason,
                    secrets=secrets,
                    policy=policy,
                    clock=clock,
                )
        except Exception as exc:  # anything else: keep the draft and try again later
            if rolled_back_for_another(exc):
                raise
            log.error("kiosk: a left draft was not filed, kept for later (%s)", type(exc).__name__)
            return False
    session.delete(row)
    session.flush()
    return True


def file_left_draft(
    session: Session,
    row: KioskDraft,
    state: DraftState,
    *,
    reason: str,
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> int | None:
    """File an immediate report from a left draft's answers; its id, or None when the
    kiosk itself has been removed. The device's limit of reports is not applied: the person
    has gone and cannot be pointed to the phone line, so refusing would lose the answer
    without anyone knowing (a flood of danger answers is itself for the on-call chain)."""
    device = session.get(KioskDevice, row.device_id)
    if device is None:
        return None
    report_id = _submit(session, _submissions(session, row, state, device), secrets, policy, clock)
    report = session.get(Report, report_id)
    assert report is not None
    now = clock.now()
    actor = "reporter:kiosk"
    add_timeline_event(
        session, report, kind=LEFT_BEFORE_SENDING_KIND, actor=actor, at=now, summary=reason
    )
    # A voice message they recorded is part of what they said: it stays with the report.
    attach_to_report(session, row, report, origin=VOICE_LEFT, vault=secrets.vault, at=now)
    append_audit(
        session,
        at=now,
        actor=actor,
        action="report.left_before_sending",
        report_id=report.id,
        detail={"reason": reason},
    )
    return report_id


def _submissions(
    session: Session, row: KioskDraft, state: DraftState, device: KioskDevice
) -> list[ReportSubmission]:
    """What to file: every answer given; failing that (a place or language removed since),
    the danger answer alone, which is never refused."""
    key = token_urlsafe(_KEY_BYTES)  # thrown away: nobody can ever derive the code
    establishment = session.get(Establishment, device.establishment_id)
    assert establishment is not None
    offered = establishment.language_codes
    language = row.language if row.language in offered else (offered[0] if offered else "en")
    full = to_submission(
        state,
        establishment_id=device.establishment_id,
        device_id=device.id,
        language=language,
        submission_key=key,
    )
    danger_only = ReportSubmission(
        establishment_id=device.establishment_id,
        channel="kiosk",
        language=language,
        submission_key=key,
        concerns=[],
        in_danger_now=full.in_danger_now,
        someone_else_in_danger_now=full.someone_else_in_danger_now,
        kiosk_device_id=device.id,
    )
    return [full, danger_only]


def _submit(
    session: Session,
    submissions: list[ReportSubmission],
    secrets: Secrets,
    policy: Policy,
    clock: Clock,
) -> int:
    for submission in submissions[:-1]:
        try:
            return submit_report(
                session, submission=submission, secrets=secrets, policy=policy, clock=clock
            ).report_id
        except InvalidSubmission as invalid:
            # Refused before anything was written: fall back to less.
            log.warning("kiosk: a left draft refused: %s", [p.code for p in invalid.problems])
    last = submissions[-1]
    return submit_report(
        session, submission=last, secrets=secrets, policy=policy, clock=clock
    ).report_id
