"""Kiosk drafts: what a person has said so far, kept on the server, sealed, and short-lived.

The server side of one person's turn at a kiosk. The browser holds only a random token;
the database holds its keyed hash and the answers, sealed like a report. A draft expires
soon after the screen goes quiet and is deleted on Finish, quick exit or timeout. The token
is the submission key, so a second tap on Send finds the first tap's report."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from safeguarding.catalogue import (
    CONCERNS_BY_ID,
    MAX_DETAILS_CHARS,
    MAX_IDENTITY_CHARS,
    STAFF_INVOLVED_ANSWERS,
    WHEN_ANSWERS,
)
from safeguarding.clock import Clock
from safeguarding.codes import derive_code, keyed_hash
from safeguarding.errors import FieldProblem, InvalidSubmission
from safeguarding.intake import Receipt, ReportSubmission, submit_report
from safeguarding.kiosk_devices import check_submission_rate
from safeguarding.policy import Policy
from storage.crypto import Secrets, Vault
from storage.models import KioskDraft, Report
from storage.repositories.drafts import (
    add_draft,
    delete_draft,
    delete_expired_drafts,
    find_draft_for_update,
)
from storage.sealed_fields import KIOSK_DRAFT_STATE

# The inactivity warning gives this long to answer (WCAG 2.2.1 asks for at least 20 s).
WARNING_SECONDS = 30
# Slack for a slow network between the screen's own wipe and the server's.
GRACE_SECONDS = 15
TOKEN_BYTES = 32

# The questions, in the order the kiosk asks them. "identity" only follows "contact_me".
QUESTIONS = ("danger", "what", "who", "staff", "where", "when", "more", "contact", "identity")
# "Is anyone in danger right now?": the reporter ("yes"), someone else, or nobody ("no").
DANGER_ANSWERS = ("yes", "someone_else", "no")
SOMEONE_IN_DANGER = frozenset({"yes", "someone_else"})
WHO_ANSWERS = ("me", "someone_else")
CONTACT_ANSWERS = ("anonymous", "contact_me")
ELSEWHERE = "elsewhere"  # "somewhere else, or I am not sure" for where it happened
MAX_NAME_CHARS = 100
MAX_PRISON_NUMBER_CHARS = 20

Answer = str | list[str] | dict[str, str]
FormValues = Mapping[str, Sequence[str]]


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
    secrets_: Secrets,
    clock: Clock,
) -> OpenDraft:
    """A new, empty draft in ``language`` on this device. Expired drafts are cleared first."""
    if language not in offered_languages:
        raise InvalidSubmission([FieldProblem("language", "not_offered")])
    now = clock.now()
    delete_expired_drafts(session, now=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    state = DraftState()
    row = KioskDraft(
        token_hash=token_hash(secrets_.code_pepper, token),
        device_id=device_id,
        language=language,
        state_sealed=_seal(secrets_.vault, state),
        created_at=now,
        last_seen_at=now,
        expires_at=now + draft_lifetime(idle_seconds),
    )
    add_draft(session, row)
    return OpenDraft(row=row, token=token, state=state)


def open_draft(
    session: Session,
    *,
    token: str,
    device_id: int,
    idle_seconds: int,
    secrets_: Secrets,
    clock: Clock,
) -> OpenDraft | None:
    """The live draft for ``token`` on this device, kept alive for another idle period.

    An expired draft, or one from another device, is deleted and None returned.
    """
    if not token or len(token) > 128:
        return None
    row = find_draft_for_update(session, token_hash(secrets_.code_pepper, token))
    if row is None:
        return None
    now = clock.now()
    if row.device_id != device_id or row.expires_at <= now:
        session.delete(row)
        session.flush()
        return None
    row.last_seen_at = now
    row.expires_at = now + draft_lifetime(idle_seconds)
    state = DraftState.from_json(
        secrets_.vault.open_text(row.state_sealed, purpose=KIOSK_DRAFT_STATE.purpose)
    )
    return OpenDraft(row=row, token=token, state=state)


def save_draft(session: Session, draft: OpenDraft, vault: Vault) -> None:
    draft.row.state_sealed = _seal(vault, draft.state)
    session.flush()


def wipe_draft(session: Session, *, token: str, pepper: bytes) -> bool:
    """Delete the draft for ``token``: True when there was one."""
    return bool(token) and delete_draft(session, token_hash(pepper, token)) > 0


def purge_expired_drafts(session: Session, *, clock: Clock) -> int:
    return delete_expired_drafts(session, now=clock.now())


def _seal(vault: Vault, state: DraftState) -> bytes:
    return vault.seal_text(state.to_json(), purpose=KIOSK_DRAFT_STATE.purpose)


# --- answers -------------------------------------------------------------------------


def clean_answer(question: str, values: FormValues, *, location_ids: Sequence[int]) -> Answer:
    """The answer to ``question`` from submitted form values, or InvalidSubmission naming
    the problem. Choice questions submit ``answer``; "more" submits ``details``; "identity"
    submits ``name`` and ``prison_number``."""
    choices = [v for v in values.get("answer", []) if v]
    if question == "what":
        if not choices:
            raise _problem(question, "required")
        if not all(c in CONCERNS_BY_ID for c in choices):
            raise _problem(question, "unknown_choice")
        return list(dict.fromkeys(choices))
    if question == "more":
        details = _text(values, "details")
        if len(details) > MAX_DETAILS_CHARS:
            raise _problem(question, "too_long")
        return details
    if question == "identity":
        return _clean_identity(values)
    allowed = _choices_for(question, location_ids)
    if not choices:
        raise _problem(question, "required")
    if len(choices) != 1 or choices[0] not in allowed:
        raise _problem(question, "unknown_choice")
    return choices[0]


def _choices_for(question: str, location_ids: Sequence[int]) -> tuple[str, ...]:
    by_question: dict[str, tuple[str, ...]] = {
        "danger": DANGER_ANSWERS,
        "who": WHO_ANSWERS,
        "staff": STAFF_INVOLVED_ANSWERS,
        "where": (*(str(i) for i in location_ids), ELSEWHERE),
        "when": WHEN_ANSWERS,
        "contact": CONTACT_ANSWERS,
    }
    if question not in by_question:
        raise _problem(question, "unknown_question")
    return by_question[question]


def _clean_identity(values: FormValues) -> dict[str, str]:
    name = " ".join(_text(values, "name").split())
    number = "".join(_text(values, "prison_number").split()).upper()
    problems = []
    if not name:
        problems.append(FieldProblem("name", "required"))
    elif len(name) > MAX_NAME_CHARS:
        problems.append(FieldProblem("name", "too_long"))
    if len(number) > MAX_PRISON_NUMBER_CHARS:
        problems.append(FieldProblem("prison_number", "too_long"))
    if problems:
        raise InvalidSubmission(problems)
    return {"name": name, "prison_number": number}


def _text(values: FormValues, name: str) -> str:
    given = values.get(name, [])
    return given[0].strip() if given else ""


def _problem(question: str, code: str) -> InvalidSubmission:
    return InvalidSubmission([FieldProblem(question, code)])


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


# --- sending ---------------------------------------------------------------------------


def to_submission(
    state: DraftState,
    *,
    establishment_id: int,
    device_id: int,
    language: str,
    submission_key: str,
) -> ReportSubmission:
    answers = state.answers
    where = str(answers["where"])
    identity = answers.get("identity")
    concerns = answers["what"]
    return ReportSubmission(
        establishment_id=establishment_id,
        channel="kiosk",
        language=language,
        submission_key=submission_key,
        concerns=list(concerns),
        in_danger_now=answers["danger"] == "yes",
        someone_else_in_danger_now=answers["danger"] == "someone_else",
        staff_involved=str(answers["staff"]),
        about_someone_else=answers["who"] == "someone_else",
        location_id=None if where == ELSEWHERE else int(where),
        when_happened=str(answers["when"]),
        details=str(answers.get("more") or "") or None,
        reporter_identity=_identity_text(identity) if isinstance(identity, dict) else None,
        kiosk_device_id=device_id,
        extra_answers={"where": ELSEWHERE} if where == ELSEWHERE else {},
    )


def _identity_text(identity: dict[str, str]) -> str:
    name, number = identity.get("name", ""), identity.get("prison_number", "")
    text = f"name: {name}; prison number: {number}" if number else f"name: {name}"
    return text[:MAX_IDENTITY_CHARS]


def send_draft(
    session: Session,
    *,
    draft: OpenDraft,
    establishment_id: int,
    secrets_: Secrets,
    policy: Policy,
    clock: Clock,
) -> SentRecord:
    """Turn a complete draft into a report (in the caller's transaction) and forget the
    answers. Sending the same draft again returns the first report.

    Raises InvalidSubmission for an incomplete draft and KioskRateLimited when this device
    has sent its limit. The caller commits; only then may the code be shown.
    """
    state = draft.state
    if state.sent is not None:
        return state.sent
    missing = first_unanswered(state)
    if missing is not None:
        raise _problem(missing, "required")
    submission = to_submission(
        state,
        establishment_id=establishment_id,
        device_id=draft.row.device_id,
        language=draft.row.language,
        submission_key=draft.token,
    )
    check_submission_rate(session, device_id=draft.row.device_id, clock=clock)
    receipt: Receipt = submit_report(
        session, submission=submission, secrets=secrets_, policy=policy, clock=clock
    )
    state.sent = SentRecord(report_id=receipt.report_id, urgent=needs_urgent_help(state.answers))
    state.answers = {}  # the report holds them now; the draft keeps only what Sent shows
    save_draft(session, draft, secrets_.vault)
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
