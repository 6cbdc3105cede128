"""Kiosk drafts: what a person has said so far, kept on the server, sealed, and short-lived.

The server side of one person's turn at a kiosk. The browser holds only a random token;
the database holds its keyed hash and the answers, sealed like a report. A draft expires
soon after the screen goes quiet and is deleted on Finish, quick exit or timeout (through
safeguarding.draft_leaving, which first files a report for a draft that says someone is in
danger). The token is the submission key, so a second tap on Send finds the first tap's
report."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from secrets import token_urlsafe
from typing import Any

from sqlalchemy.orm import Session

from safeguarding.bsl_videos import SIGNED_ANSWER
from safeguarding.catalogue import (
    CONCERNS_BY_ID,
    MAX_IDENTITY_CHARS,
)
from safeguarding.clock import Clock
from safeguarding.codes import keyed_hash
from safeguarding.draft_answers import (  # re-exported: the kiosk imports them from here
    CONTACT_ANSWERS as CONTACT_ANSWERS,
)
from safeguarding.draft_answers import (
    DANGER_ANSWERS as DANGER_ANSWERS,
)
from safeguarding.draft_answers import (
    ELSEWHERE as ELSEWHERE,
)
from safeguarding.draft_answers import (
    MAX_NAME_CHARS as MAX_NAME_CHARS,
)
from safeguarding.draft_answers import (
    MAX_PRISON_NUMBER_CHARS as MAX_PRISON_NUMBER_CHARS,
)
from safeguarding.draft_answers import (
    QUESTIONS as QUESTIONS,
)
from safeguarding.draft_answers import (
    SOMEONE_IN_DANGER,
)
from safeguarding.draft_answers import (
    WHO_ANSWERS as WHO_ANSWERS,
)
from safeguarding.draft_answers import (
    Answer as Answer,
)
from safeguarding.draft_answers import (
    FormValues as FormValues,
)
from safeguarding.draft_answers import (
    clean_answer as clean_answer,
)
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.intake import ReportSubmission
from storage.crypto import Secrets, Vault
from storage.models import KioskDraft
from storage.repositories.drafts import (
    add_draft,
    delete_draft,
    find_draft_for_update,
)
from storage.sealed_fields import KIOSK_DRAFT_STATE

# The inactivity warning gives this long to answer (WCAG 2.2.1 asks for at least 20 s).
WARNING_SECONDS = 30
# Slack for a slow network between the screen's own wipe and the server's.
GRACE_SECONDS = 15
TOKEN_BYTES = 32
# A draft's last-seen time is written at most this often, so a page view seldom writes (on
# SQLite each write is an fsync under the one write lock). A draft then expires between
# idle + 35 s and idle + 45 s after the last screen, always after the screen's own wipe.
TOUCH_EVERY = timedelta(seconds=10)


@dataclass
class SentRecord:
    report_id: int
    urgent: bool  # in danger now or thinking of self-harm: say what to do right now


@dataclass
class DraftState:
    answers: dict[str, Answer] = field(default_factory=dict)
    reviewing: bool = False  # has reached "check your answers": changes return there
    sent: SentRecord | None = None
    followup_report_id: int | None = None  # a report opened with its code
    added: list[str] = field(default_factory=list)  # keyed hashes of information added to it
    # Issue 17.3: the report whose code was typed and now needs its pictures or PIN, and
    # the pictures or numbers touched so far on the screen that sets or asks for them.
    pending_report_id: int | None = None
    keeping: list[str] = field(default_factory=list)
    wishing: list[str] = field(default_factory=list)  # issue 15.1: choices not yet saved
    naming: dict[str, str] = field(default_factory=dict)  # issue 14: who, not yet saved
    signing: bool = False  # issue 17.2: chose BSL (English words, each screen's video)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DraftState:
        data: dict[str, Any] = json.loads(text)
        sent = data.get("sent")
        return cls(
            answers=dict(data.get("answers", {})),
            reviewing=bool(data.get("reviewing", False)),
            sent=SentRecord(**sent) if sent else None,
            followup_report_id=data.get("followup_report_id"),
            added=list(data.get("added", [])),
            pending_report_id=data.get("pending_report_id"),
            keeping=list(data.get("keeping", [])),
            wishing=list(data.get("wishing", [])),
            naming=dict(data.get("naming", {})),
            signing=bool(data.get("signing", False)),
        )


@dataclass
class OpenDraft:
    """A draft a door is working with in this request: the row, its token, its state."""

    row: KioskDraft
    token: str
    state: DraftState


def draft_lifetime(idle_seconds: int) -> timedelta:
    """How long a quiet draft lives: the establishment's idle time, the warning, some slack."""
    return timedelta(seconds=idle_seconds + WARNING_SECONDS + GRACE_SECONDS)


def token_hash(pepper: bytes, token: str) -> str:
    return keyed_hash(pepper, "kiosk-draft", token)


def start_draft(
    session: Session,
    *,
    device_id: int,
    language: str,
    offered_languages: Sequence[str],
    idle_seconds: int,
    secrets: Secrets,
    clock: Clock,
    signing: bool = False,
) -> OpenDraft:
    """A new, empty draft in ``language`` (``signing``: BSL) on this device. (Expired drafts
    are cleared by safeguarding.draft_leaving.purge_expired_drafts, on every kiosk request.)"""
    if language not in offered_languages:
        raise InvalidSubmission([FieldProblem("language", "not_offered")])
    now = clock.now()
    token = token_urlsafe(TOKEN_BYTES)
    state = DraftState(signing=signing)
    row = KioskDraft(
        token_hash=token_hash(secrets.code_pepper, token),
        device_id=device_id,
        language=language,
        state_sealed=b"",  # sealed once the row has its id (bound to it)
        created_at=now,
        last_seen_at=now,
        expires_at=now + draft_lifetime(idle_seconds),
    )
    add_draft(session, row)
    KIOSK_DRAFT_STATE.seal_text(secrets.vault, row, state.to_json())
    return OpenDraft(row=row, token=token, state=state)


def open_draft(
    session: Session,
    *,
    token: str,
    device_id: int,
    idle_seconds: int,
    secrets: Secrets,
    clock: Clock,
) -> OpenDraft | None:
    """The live draft for ``token`` on this device, locked, and kept alive for another idle
    period when it was last kept alive ``TOUCH_EVERY`` ago or more.

    One from another device is deleted and None returned. An expired one is left for
    safeguarding.draft_leaving.purge_expired_drafts, which may have to file it first.
    """
    if not token or len(token) > 128:
        return None
    row = find_draft_for_update(session, token_hash(secrets.code_pepper, token))
    if row is None:
        return None
    now = clock.now()
    if row.expires_at <= now:
        return None
    if row.device_id != device_id:
        session.delete(row)
        session.flush()
        return None
    if touch_due(row, now):
        row.last_seen_at = now
        row.expires_at = now + draft_lifetime(idle_seconds)
    return opened_draft(row, token, secrets.vault)


def touch_due(row: KioskDraft, now: datetime) -> bool:
    return now - row.last_seen_at >= TOUCH_EVERY


def opened_draft(row: KioskDraft, token: str, vault: Vault) -> OpenDraft:
    state = DraftState.from_json(KIOSK_DRAFT_STATE.open_text(vault, row) or "")
    return OpenDraft(row=row, token=token, state=state)


def save_draft(session: Session, draft: OpenDraft, vault: Vault) -> None:
    KIOSK_DRAFT_STATE.seal_text(vault, draft.row, draft.state.to_json())
    session.flush()


def wipe_draft(session: Session, *, token: str, pepper: bytes) -> bool:
    """Delete the draft for ``token``: True when there was one. Only for Finish and the
    start screen; leaving goes through safeguarding.draft_leaving.leave_draft."""
    return bool(token) and delete_draft(session, token_hash(pepper, token)) > 0


def questions_for(state: DraftState) -> list[str]:
    """The questions this person is asked: "identity" only when they want contact."""
    wants_contact = state.answers.get("contact") == "contact_me"
    return [q for q in QUESTIONS if q != "identity" or wants_contact]


def first_unanswered(state: DraftState) -> str | None:
    return next((q for q in questions_for(state) if q not in state.answers), None)


def record_answer(state: DraftState, question: str, answer: Answer) -> str:
    """Keep ``answer`` and return where to go next: the next question, or "check"."""
    state.answers[question] = answer
    if question == "contact" and answer != "contact_me":
        state.answers.pop("identity", None)  # they chose not to be named: forget the name
    missing = first_unanswered(state)
    if state.reviewing:
        return missing or "check"
    asked = questions_for(state)
    following = asked[asked.index(question) + 1 :]
    return following[0] if following else "check"


def previous_question(state: DraftState, question: str) -> str | None:
    asked = questions_for(state)
    if question == "check":
        return asked[-1]
    index = asked.index(question)
    return asked[index - 1] if index > 0 else None


def may_ask(state: DraftState, question: str) -> bool:
    """A question can be shown once every question before it has an answer."""
    missing = first_unanswered(state)
    if question not in questions_for(state):
        return False
    return missing is None or QUESTIONS.index(question) <= QUESTIONS.index(missing)


def needs_urgent_help(answers: Mapping[str, Answer]) -> bool:
    """In danger now, or thinking of self-harm: the person is told what to do right now."""
    concerns = answers.get("what", [])
    self_harm = isinstance(concerns, list) and any(
        CONCERNS_BY_ID[c].self_harm_risk for c in concerns if c in CONCERNS_BY_ID
    )
    return answers.get("danger") in SOMEONE_IN_DANGER or self_harm


def may_send_now(state: DraftState) -> bool:
    """Someone in danger (or thinking of self-harm) may send what they have said so far,
    from any question: help comes first, the rest can follow with their code."""
    return state.sent is None and needs_urgent_help(state.answers)


# --- sending ---------------------------------------------------------------------------


def to_submission(
    state: DraftState,
    *,
    establishment_id: int,
    device_id: int,
    language: str,
    submission_key: str,
) -> ReportSubmission:
    """The report a draft's answers make. Send needs every answer; a draft left with a
    danger answer (safeguarding.draft_leaving) may have only some, so each is optional."""
    answers = state.answers
    where = str(answers.get("where", ELSEWHERE))
    identity = answers.get("identity")
    concerns = answers.get("what", [])
    when = answers.get("when")
    return ReportSubmission(
        establishment_id=establishment_id,
        channel="kiosk",
        language=language,
        submission_key=submission_key,
        concerns=list(concerns) if isinstance(concerns, list) else [],
        in_danger_now=answers.get("danger") == "yes",
        someone_else_in_danger_now=answers.get("danger") == "someone_else",
        injured=answers.get("hurt") == "yes",
        staff_involved=str(answers.get("staff", "not_sure")),
        about_someone_else=answers.get("who") == "someone_else",
        location_id=None if where == ELSEWHERE else int(where),
        when_happened=str(when) if when else None,
        details=str(answers.get("more") or "") or None,
        reporter_identity=_identity_text(identity) if isinstance(identity, dict) else None,
        kiosk_device_id=device_id,
        extra_answers=_own_answers(answers) | (dict([SIGNED_ANSWER]) if state.signing else {}),
    )


def _own_answers(answers: Mapping[str, object]) -> dict[str, str]:
    """The reporter's own choices, kept as given (only those given: a draft left in danger
    may lack some). The report's columns may say more: a concern about staff makes
    staff_involved "yes" even when they answered "not sure"."""
    own = {"staff_involved": answers.get("staff"), "about": answers.get("who")}
    kept = {question: str(value) for question, value in own.items() if value is not None}
    return kept | ({"where": ELSEWHERE} if answers.get("where") == ELSEWHERE else {})


def _identity_text(identity: dict[str, str]) -> str:
    name, number = identity.get("name", ""), identity.get("prison_number", "")
    text = f"name: {name}; prison number: {number}" if number else f"name: {name}"
    return text[:MAX_IDENTITY_CHARS]
