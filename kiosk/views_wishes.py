"""What the person wants to happen, asked after Sent, and how it went, asked when they come
back with their code (issue 15.1, Making Safeguarding Personal).

Both are optional and come only after the report is safe: skipping is Finish, as before.
The choices of the first screen live in the sealed draft (``DraftState.wishing``) until the
last screen saves them once, so Leave now and the idle wipe discard a half-answered wish
with the draft; what was saved stays.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from kiosk import wishes_words
from kiosk.context import current_draft, needs_draft, reopen_draft, services
from kiosk.forms import csrf_ok
from kiosk.text import form_expired_message
from kiosk.views_safe_now import safe_now_asked
from safeguarding.codes import keyed_hash
from safeguarding.drafts import OpenDraft, save_draft
from safeguarding.errors import InvalidSubmission
from safeguarding.kiosk_wishes import save_kiosk_feelings, save_kiosk_wishes
from safeguarding.wishes import DID_WE, SAFER, SHARING, chosen_wants

# First in ``DraftState.wishing`` once the first screen of either set is answered or
# skipped: the last screen saves only then, so a double tap saves once.
ASKED = "#asked"


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/report/wishes", view_func=wants, methods=["GET", "POST"])
    bp.add_url_rule("/report/wishes/share", view_func=sharing, methods=["GET", "POST"])
    bp.add_url_rule("/report/wishes/thanks", view_func=wishes_thanks, methods=["GET"])
    bp.add_url_rule("/code/did-we", view_func=did_we, methods=["GET", "POST"])
    bp.add_url_rule("/code/safer", view_func=safer, methods=["GET", "POST"])
    bp.add_url_rule("/code/thanks", view_func=feelings_thanks, methods=["GET"])


def _draft() -> OpenDraft:
    draft = current_draft()
    assert draft is not None
    return draft


def _choices(draft: OpenDraft) -> list[str]:
    """What was chosen on the first screen and is not saved yet."""
    return [item for item in draft.state.wishing if item != ASKED]


def _to_start() -> Response:
    return redirect(url_for("kiosk.start"), 303)


def feelings_marker(report_id: int) -> str:
    return keyed_hash(services().secrets.code_pepper, "kiosk-feelings", str(report_id))


def feelings_asked(draft: OpenDraft) -> bool:
    """Whether "Did we do what you wanted?" was already asked in this visit."""
    report_id = draft.state.followup_report_id
    return report_id is not None and feelings_marker(report_id) in draft.state.added


@needs_draft
def wants() -> ResponseReturnValue:
    draft = _draft()
    if draft.state.sent is None:
        return _to_start()
    if request.method == "GET":
        return _render_wants(_choices(draft))
    ticked = request.form.getlist("answer")
    if not csrf_ok():
        return _render_wants(ticked, form_expired_message()), 400
    skipped = bool(request.form.get("skip"))
    try:
        chosen = [] if skipped else list(chosen_wants(ticked))
    except InvalidSubmission:
        # Nothing is lost: the boxes stay ticked as they were sent, the draft unchanged.
        return _render_wants(ticked, wishes_words.just_know_alone()), 400
    if not _remember(chosen, after_sent=True):
        return _to_start()
    return redirect(url_for("kiosk.sharing"), 303)


def _remember(choices: list[str], *, after_sent: bool) -> bool:
    """Keep the first screen's choices in the sealed draft. False when the turn is over."""
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        if fresh is None:
            return False
        reachable = fresh.state.sent if after_sent else fresh.state.followup_report_id
        if reachable is None:
            return False
        fresh.state.wishing = [ASKED, *choices]
        save_draft(session, fresh, svc.secrets.vault)
    return True


def _render_wants(chosen: list[str], error: str | None = None) -> str:
    return render_template(
        "kiosk/wishes_wants.html",
        said=wishes_words.wants(),
        choices=wishes_words.labels("wants"),
        icons=wishes_words.ICONS["wants"],
        chosen=chosen,
        error=error,
        back_url=url_for("kiosk.sent"),
    )


def _answer(allowed: dict[str, str]) -> str | None:
    """The answer touched, "" for Skip, None for anything else."""
    if request.form.get("skip"):
        return ""
    answer = request.form.get("answer", "")
    return answer if answer in allowed else None


@needs_draft
def sharing() -> ResponseReturnValue:
    draft = _draft()
    if draft.state.sent is None:
        return _to_start()
    if ASKED not in draft.state.wishing and request.method == "GET":
        return redirect(url_for("kiosk.wants"), 303)
    if request.method == "GET":
        return _render_one("sharing")
    answer = _answer(SHARING)
    if not csrf_ok() or answer is None:
        return _render_one("sharing", form_expired_message()), 400
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        sent = fresh.state.sent if fresh is not None else None
        if fresh is None or sent is None:
            return _to_start()
        if ASKED in fresh.state.wishing:  # else saved already (a double tap)
            save_kiosk_wishes(
                session,
                report_id=sent.report_id,
                wants=_choices(fresh),
                sharing=answer or None,
                vault=svc.secrets.vault,
                clock=svc.clock,
            )
            fresh.state.wishing = []
            save_draft(session, fresh, svc.secrets.vault)
    return redirect(url_for("kiosk.wishes_thanks"), 303)


_BACK = {
    "sharing": "kiosk.wants",
    "did_we": "kiosk.report_status",
    "safer": "kiosk.did_we",
}


def _render_one(question: str, error: str | None = None) -> str:
    """A question answered by touching one choice, with Skip."""
    return render_template(
        "kiosk/wishes_one.html",
        screen_id=f"wishes_{question}" if question == "sharing" else f"feelings_{question}",
        question=question,
        said=wishes_words.QUESTIONS[question](),
        choices=wishes_words.labels(question),
        icons=wishes_words.ICONS[question],
        error=error,
        back_url=url_for(_BACK[question]),
    )


@needs_draft
def wishes_thanks() -> ResponseReturnValue:
    if _draft().state.sent is None:
        return _to_start()
    return render_template(
        "kiosk/wishes_thanks.html", screen_id="wishes_thanks", back_url=url_for("kiosk.sent")
    )


def _may_ask_feelings(draft: OpenDraft) -> bool:
    return draft.state.followup_report_id is not None and not feelings_asked(draft)


def _to_status() -> Response:
    return redirect(url_for("kiosk.report_status"), 303)


@needs_draft
def did_we() -> ResponseReturnValue:
    draft = _draft()
    if draft.state.followup_report_id is None:
        return redirect(url_for("kiosk.enter_code"), 303)
    if not _may_ask_feelings(draft):
        return _to_status()  # asked once per visit
    if request.method == "GET":
        return _render_one("did_we")
    answer = _answer(DID_WE)
    if not csrf_ok() or answer is None:
        return _render_one("did_we", form_expired_message()), 400
    if not _remember([answer] if answer else [], after_sent=False):
        return _to_start()
    if safe_now_asked(draft):
        # "Are you safe now?" was just asked: "Do you feel safer?" would ask it twice.
        if not _save_feelings(None):
            return _to_start()
        return redirect(url_for("kiosk.feelings_thanks"), 303)
    return redirect(url_for("kiosk.safer"), 303)


@needs_draft
def safer() -> ResponseReturnValue:
    draft = _draft()
    if draft.state.followup_report_id is None:
        return redirect(url_for("kiosk.enter_code"), 303)
    if not _may_ask_feelings(draft):
        return redirect(url_for("kiosk.feelings_thanks"), 303)  # saved already
    if ASKED not in draft.state.wishing:
        return redirect(url_for("kiosk.did_we"), 303)
    if request.method == "GET":
        return _render_one("safer")
    answer = _answer(SAFER)
    if not csrf_ok() or answer is None:
        return _render_one("safer", form_expired_message()), 400
    if not _save_feelings(answer or None):
        return _to_start()
    return redirect(url_for("kiosk.feelings_thanks"), 303)


def _save_feelings(answer: str | None) -> bool:
    svc = services()
    with svc.db.transaction() as session:
        fresh = reopen_draft(session)
        report_id = fresh.state.followup_report_id if fresh is not None else None
        if fresh is None or report_id is None:
            return False
        if not feelings_asked(fresh) and ASKED in fresh.state.wishing:
            chosen = _choices(fresh)
            save_kiosk_feelings(
                session,
                report_id=report_id,
                did_we=chosen[0] if chosen else None,
                safer=answer,
                vault=svc.secrets.vault,
                policy=svc.policy,
                clock=svc.clock,
            )
            fresh.state.added.append(feelings_marker(report_id))
            fresh.state.wishing = []
            save_draft(session, fresh, svc.secrets.vault)
    return True


@needs_draft
def feelings_thanks() -> ResponseReturnValue:
    if _draft().state.followup_report_id is None:
        return redirect(url_for("kiosk.enter_code"), 303)
    return render_template(
        "kiosk/wishes_thanks.html",
        screen_id="feelings_thanks",
        back_url=url_for("kiosk.report_status"),
    )
