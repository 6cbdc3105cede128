"""Who the report is about (issue 14), asked after Sent like the wishes (issue 15.1).

"Who is being hurt?" and "Who is doing it?", each one touch on a picture or Skip, and for a
person the reporter can name, a name or prison number (or Skip). Everything is optional and
comes only after the report is safe: Finish on Sent skips it all in one touch. The answers
wait in the sealed draft (``DraftState.naming``) until the last screen saves them once, so
Leave now and the idle wipe discard a half-answered step with the draft; what was saved
stays.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from kiosk import people_words
from kiosk.context import current_draft, needs_draft, reopen_draft, services
from kiosk.forms import csrf_ok
from kiosk.text import form_expired_message
from safeguarding.drafts import OpenDraft, save_draft
from safeguarding.errors import InvalidSubmission
from safeguarding.identifiers import NAME
from safeguarding.kiosk_people import (
    ANSWERS,
    identifier_kinds,
    kiosk_person,
    people_from,
    save_kiosk_people,
)
from safeguarding.people import AT_RISK, CAUSING_HARM

ASKED = "#asked"  # the first screen was answered or skipped: the last one saves
SAVED = "#saved"  # saved in this turn: a double tap or Back does not add the people twice
_NEXT = {AT_RISK: "kiosk.people_causing_harm", CAUSING_HARM: "kiosk.people_thanks"}
_NAME_VIEW = {AT_RISK: "kiosk.people_at_risk_name", CAUSING_HARM: "kiosk.people_causing_name"}
_QUESTION_VIEW = {AT_RISK: "kiosk.people_at_risk", CAUSING_HARM: "kiosk.people_causing_harm"}


def register(bp: Blueprint) -> None:
    bp.add_url_rule(
        "/report/people", "people_at_risk", _question, methods=["GET", "POST"],
        defaults={"role": AT_RISK},
    )  # fmt: skip
    bp.add_url_rule(
        "/report/people/name", "people_at_risk_name", _name, methods=["GET", "POST"],
        defaults={"role": AT_RISK},
    )  # fmt: skip
    bp.add_url_rule(
        "/report/people/doing", "people_causing_harm", _question, methods=["GET", "POST"],
        defaults={"role": CAUSING_HARM},
    )  # fmt: skip
    bp.add_url_rule(
        "/report/people/doing/name", "people_causing_name", _name, methods=["GET", "POST"],
        defaults={"role": CAUSING_HARM},
    )  # fmt: skip
    bp.add_url_rule("/report/people/thanks", "people_thanks", people_thanks, methods=["GET"])


def _draft() -> OpenDraft:
    draft = current_draft()
    assert draft is not None
    return draft


def _to_start() -> Response:
    return redirect(url_for("kiosk.start"), 303)


def _go(endpoint: str) -> Response:
    return redirect(url_for(endpoint), 303)


def _after(role: str, answers: dict[str, str]) -> str:
    """The screen after ``role``'s question: its name box if the person can be named."""
    if identifier_kinds(role, answers.get(role, "")):
        return _NAME_VIEW[role]
    return _NEXT[role]


def _not_yet(draft: OpenDraft, role: str) -> Response | None:
    """Where to go instead when this screen is not the one to show now."""
    naming = draft.state.naming
    if draft.state.sent is None:
        return _to_start()
    if SAVED in naming:
        return _go("kiosk.people_thanks")
    if role == CAUSING_HARM and ASKED not in naming:
        return _go("kiosk.people_at_risk")
    return None


@needs_draft
def _question(role: str) -> ResponseReturnValue:
    draft = _draft()
    elsewhere = _not_yet(draft, role)
    if elsewhere is not None:
        return elsewhere
    if request.method == "GET":
        return _render_question(role)
    skipped = bool(request.form.get("skip"))
    answer = "" if skipped else request.form.get("answer", "")
    if not csrf_ok() or (answer not in ANSWERS[role] and not skipped):
        return _render_question(role, form_expired_message()), 400
    changes = {role: answer}
    if draft.state.naming.get(role) != answer:  # a new answer: a name typed before goes
        changes |= {f"{role}.kind": "", f"{role}.id": ""}
    naming = _remember(changes)
    if naming is None:
        return _to_start()
    following = _after(role, naming)
    if following == "kiosk.people_thanks" and not _save():
        return _to_start()
    return _go(following)


def _render_question(role: str, error: str | None = None) -> str:
    return render_template(
        "kiosk/wishes_one.html",
        screen_id=f"people_{role}",
        question=role,
        said=people_words.QUESTIONS[role](),
        choices=people_words.labels(role),
        icons=people_words.ICONS[role],
        error=error,
        back_url=url_for("kiosk.sent" if role == AT_RISK else "kiosk.people_at_risk"),
    )


@needs_draft
def _name(role: str) -> ResponseReturnValue:
    draft = _draft()
    elsewhere = _not_yet(draft, role)
    if elsewhere is not None:
        return elsewhere
    answer = draft.state.naming.get(role, "")
    kinds = identifier_kinds(role, answer)
    if not kinds:
        return _go(_QUESTION_VIEW[role])
    if request.method == "GET":
        naming = draft.state.naming
        return _render_name(role, kinds, naming.get(f"{role}.kind") or NAME, "")
    chosen = request.form.get("kind", NAME)
    typed = "" if request.form.get("skip") else request.form.get("identifier", "").strip()
    if not csrf_ok() or chosen not in kinds:
        return _render_name(role, kinds, NAME, typed, form_expired_message()), 400
    try:
        kiosk_person(role, answer, chosen if typed else None, typed or None)
    except InvalidSubmission as refused:
        problem = refused.problems[0].code if refused.problems else ""
        message = people_words.problems().get(problem, form_expired_message())
        return _render_name(role, kinds, chosen, typed, message), 400
    if _remember({f"{role}.kind": chosen if typed else "", f"{role}.id": typed}) is None:
        return _to_start()
    if role == CAUSING_HARM and not _save():
        return _to_start()
    return _go(_NEXT[role])


def _render_name(
    role: str, kinds: tuple[str, ...], chosen: str, typed: str, error: str | None = None
) -> str:
    labels = people_words.identifier_labels()
    return render_template(
        "kiosk/people_name.html",
        screen_id=f"people_{role}_name",
        said=people_words.name_screen(role),
        kinds={kind: labels[kind] for kind in kinds},
        chosen=chosen,
        typed=typed,
        error=error,
        back_url=url_for(_QUESTION_VIEW[role]),
    )


def _remember(changes: dict[str, str]) -> dict[str, str] | None:
    """Keep answers in the sealed draft. None when the turn is over."""
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        if fresh is None or fresh.state.sent is None or SAVED in fresh.state.naming:
            return None
        naming = {**fresh.state.naming, ASKED: "1", **changes}
        fresh.state.naming = {key: value for key, value in naming.items() if value}
        save_draft(session, fresh, svc.secrets.vault)
        return dict(fresh.state.naming)


def _save() -> bool:
    """Save the people once (a double tap finds them saved). False when the turn is over."""
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        sent = fresh.state.sent if fresh is not None else None
        if fresh is None or sent is None:
            return False
        if ASKED in fresh.state.naming:
            save_kiosk_people(
                session,
                report_id=sent.report_id,
                people=people_from(fresh.state.naming),
                secrets=svc.secrets,
                clock=svc.clock,
                policy=svc.policy,
            )
            fresh.state.naming = {SAVED: "1"}
            save_draft(session, fresh, svc.secrets.vault)
    return True


@needs_draft
def people_thanks() -> ResponseReturnValue:
    if _draft().state.sent is None:
        return _to_start()
    return render_template(
        "kiosk/wishes_thanks.html", screen_id="people_thanks", back_url=url_for("kiosk.sent")
    )
