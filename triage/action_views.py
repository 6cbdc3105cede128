"""The case actions: one POST route per action, each checked against the exact report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from safeguarding import actions
from safeguarding.access import AccessDenied, Permission, StaffPrincipal, may, may_see_report
from safeguarding.actions import ActionContext, ActionRefused
from safeguarding.nrm_referral import record_duty_decision
from safeguarding.recategorise import recategorise
from storage.ids import parse_row_id
from storage.models import Report
from translations.i18n import _
from triage import (
    case_capacity,
    case_checkins,
    case_evidence,
    case_people,
    case_referrals,
    case_work,
)
from triage.case_referrals import form_date
from triage.case_views import fetch_accessible, render_case
from triage.guard import current_principal, services

P = Permission
Form = MultiDict[str, str]


@dataclass(frozen=True)
class ActionSpec:
    permission: Permission
    run: Callable[[ActionContext, Report, Form], None]
    text_field: str = ""  # where "text required / too long" errors point
    # The banner when the action hid the report from whoever did it (safeguarding.people_actions).
    hidden_banner: Callable[[StaffPrincipal, Report], str] = lambda p, r: "moved_to_restricted"


def _int(form: Form, name: str) -> int:
    value = parse_row_id(form.get(name, ""))
    if value is None:
        raise ActionRefused(f"{name}:invalid")
    return value


def _link(ctx: ActionContext, report: Report, form: Form) -> None:
    other = ctx.session.get(Report, _int(form, "link_report"))
    if other is None or not may(ctx.principal, P.LINK_REPORTS, other):
        raise ActionRefused("link_report:invalid")
    actions.link_reports(ctx, report, other)


def _duty_to_notify(ctx: ActionContext, report: Report, form: Form) -> None:
    record_duty_decision(
        ctx,
        report,
        route=form.get("dtn_route", ""),
        consent=form.get("dtn_consent", ""),
        referred_by=form.get("dtn_referred_by", ""),
        first_responder=form.get("dtn_first_responder", ""),
        referred_on=form_date(form, "dtn_referred_on"),
        reference=form.get("dtn_reference", ""),
        ms1_notified_on=form_date(form, "dtn_ms1_on"),
        reason=form.get("dtn_reason", ""),
    )


ACTIONS: dict[str, ActionSpec] = {
    "acknowledge": ActionSpec(P.ACKNOWLEDGE, lambda ctx, r, f: actions.acknowledge(ctx, r)),
    "assign": ActionSpec(
        P.ASSIGN, lambda ctx, r, f: actions.assign(ctx, r, staff_id=_int(f, "assign_staff"))
    ),
    "note": ActionSpec(
        P.ADD_NOTE,
        lambda ctx, r, f: actions.add_note(ctx, r, text=f.get("note_text", "")),
        "note_text",
    ),
    "status": ActionSpec(
        P.CHANGE_STATUS,
        lambda ctx, r, f: actions.change_status(ctx, r, status=f.get("status", "")),
    ),
    "escalate": ActionSpec(
        P.ESCALATE,
        lambda ctx, r, f: actions.escalate(ctx, r, reason=f.get("escalate_reason", "")),
        "escalate_reason",
    ),
    "referral": ActionSpec(P.RECORD_REFERRAL, case_referrals.referral, "referral_reason"),
    "referral_response": ActionSpec(
        P.RECORD_REFERRAL, case_referrals.referral_response, "referral_note"
    ),
    "evidence": ActionSpec(P.ADD_NOTE, case_evidence.evidence, "evidence_note"),
    "checkin": ActionSpec(P.ADD_NOTE, case_checkins.checkin, "checkin_note"),
    "task": ActionSpec(P.ADD_NOTE, case_work.add, "task_note"),
    "task_finish": ActionSpec(P.ADD_NOTE, case_work.finish, "task_finish_note"),
    "plan": ActionSpec(P.ADD_NOTE, case_work.plan, "plan_text"),
    "plan_review": ActionSpec(P.ADD_NOTE, case_work.review, "plan_review_note"),
    "recategorise": ActionSpec(
        P.RECATEGORISE,
        lambda ctx, r, f: recategorise(
            ctx,
            r,
            categories=f.getlist("categories"),
            reason=f.get("recategorise_reason", ""),
            policy=services().policy,
        ),
        "recategorise_reason",
    ),
    "message": ActionSpec(
        P.MESSAGE_REPORTER,
        lambda ctx, r, f: actions.message_reporter(ctx, r, message_id=f.get("message_id", "")),
    ),
    "link": ActionSpec(P.LINK_REPORTS, _link),
    "duty_to_notify": ActionSpec(P.RECORD_REFERRAL, _duty_to_notify, "dtn_reason"),
    "close": ActionSpec(P.CLOSE, case_capacity.close, "close_note"),
    "capacity": ActionSpec(P.ADD_NOTE, case_capacity.capacity),
    "person_add": ActionSpec(P.RECATEGORISE, case_people.add, "person_reason", case_people.hidden),
    "person_correct": ActionSpec(
        P.RECATEGORISE, case_people.correct, "fix_reason", case_people.hidden
    ),
    "person_remove": ActionSpec(
        P.RECATEGORISE, case_people.remove, "fix_reason", case_people.hidden
    ),
}


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports/<int:report_id>/<action>", "act", act, methods=["POST"])


def act(report_id: int, action: str) -> ResponseReturnValue:
    spec = ACTIONS.get(action)
    if spec is None:
        abort(404)
    svc = services()
    # One transaction, run again when PostgreSQL rolls it back to end a deadlock (with a
    # door's report, or another member of staff's action): the lead sees the action done,
    # not an error page after pressing "Acknowledge".
    outcome = svc.db.retrying(partial(_apply, spec, report_id))
    if not outcome.found:
        abort(404)
    if outcome.refusal is not None:
        field, message = _refusal_message(outcome.refusal, spec)
        chosen = request.form.getlist("categories") if action == "recategorise" else None
        body = render_case(
            report_id,
            errors={field: message},
            form=request.form.to_dict(),
            chosen_categories=chosen,
        )
        return (body, 400) if body is not None else abort(404)
    if outcome.hidden_banner is not None:
        # A deputy who marks a report as staff misconduct sends it where deputies cannot look;
        # naming a lead, or oneself, hides it from whoever named them.
        flash(outcome.hidden_banner)
        return redirect(url_for("triage.queue"))
    flash(action)
    return redirect(url_for("triage.case", report_id=report_id, _anchor="timeline"))


@dataclass(frozen=True)
class _Outcome:
    found: bool  # the report exists and this person may act on it
    refusal: str | None = None  # why the action was refused (nothing of it was kept)
    hidden_banner: str | None = None  # set when the action hid the report from whoever did it


def _apply(spec: ActionSpec, report_id: int) -> _Outcome:
    principal = current_principal()
    svc = services()
    with svc.db.transaction() as session:
        report = fetch_accessible(session, principal, report_id, spec.permission)
        if report is None:
            return _Outcome(found=False)
        ctx = ActionContext(session, principal, svc.clock, svc.secrets.vault)
        try:
            # A refused action leaves nothing behind; the audit of a denial stays.
            with session.begin_nested():
                spec.run(ctx, report, request.form)
        except ActionRefused as refused:
            return _Outcome(found=True, refusal=refused.code)
        except AccessDenied:
            abort(404)
        if may_see_report(principal, report):
            return _Outcome(found=True)
        return _Outcome(found=True, hidden_banner=spec.hidden_banner(principal, report))


def _refusal_message(code: str, spec: ActionSpec) -> tuple[str, str]:
    if code in ("text_required", "text_too_long"):
        if code == "text_required":
            # Translators: error on a case action form when the text box was left empty.
            return spec.text_field, _("Write something in the box.")
        # Translators: error on a case action form when the text is too long.
        return spec.text_field, _("The text is too long. Use fewer than 5,000 characters.")
    messages: dict[str, tuple[str, str]] = {
        # Translators: error on the case page.
        "already_acknowledged": ("actions", _("This report is already acknowledged.")),
        # Translators: error on the case page.
        "closed": ("status", _("This report is closed. Change its status to reopen it first.")),
        # Translators: error on the case page when assigning.
        "assignee_not_allowed": ("assign_staff", _("Choose someone who may see this report.")),
        "assign_staff:invalid": ("assign_staff", _("Choose someone who may see this report.")),
        # Translators: error on the case page when changing status.
        "unknown_status": ("status", _("Choose a status.")),
        # Translators: error on the case page when changing status.
        "unchanged": ("status", _("The report already has that status.")),
        # Translators: error on the referral form.
        "unknown_agency": ("referral_agency", _("Choose who the referral is to.")),
        # Translators: error on the referral form.
        "unknown_decision": ("referral_decision", _("Choose the threshold decision.")),
        "nrm:with_duty_to_notify": (
            "referral_agency",
            # Translators: error on the referral form of a possible modern slavery case: the
            # NRM referral is recorded once, on the duty to notify form, which tracks it too.
            _(
                "Record this NRM referral on the duty to notify form below. "
                "It adds the referral here too."
            ),
        ),
        "nrm_needs_consent": (
            "referral_consent",
            # Translators: error on the referral form: Modern Slavery Act consent rule.
            _("An NRM referral needs the person's consent. Without it, make an MS1 notification."),
        ),
        # Translators: error on the message form.
        "unknown_message": ("message_id", _("Choose a message.")),
        # Translators: error on the form that changes a report's safeguarding categories.
        "categories:required": ("categories", _("Choose at least one category.")),
        # Translators: error on the form that changes a report's safeguarding categories.
        "categories:invalid": ("categories", _("Choose categories from the list.")),
        # Translators: error on the form that changes a report's safeguarding categories.
        "categories:unchanged": ("categories", _("The report already has those categories.")),
        # Translators: error on the link form.
        "link_report:invalid": ("link_report", _("Enter the number of a report you can see.")),
        # Translators: error on the link form.
        "same_report": ("link_report", _("Enter the number of a different report.")),
        # Translators: error on the link form.
        "already_linked": ("link_report", _("These reports are already linked.")),
        # Translators: error on the close form.
        "unknown_outcome": ("close_outcome", _("Choose an outcome.")),
        "acct_decision_missing": (
            "close_outcome",
            # Translators: error on the close form: the ACCT decision is a statutory duty.
            _("Record the ACCT decision (opened or not, and why) before closing this case."),
        ),
        "duty_to_notify_decision_missing": (
            "close_outcome",
            # Translators: error on the close form: Modern Slavery Act duty to notify.
            _("Record the duty to notify decision (NRM, MS1 or neither) before closing."),
        ),
        # Translators: error on the duty to notify form.
        "dtn_route:invalid": ("dtn_route", _("Choose what was done.")),
        "dtn_consent:not_given": (
            "dtn_consent",
            # Translators: error on the duty to notify form: Modern Slavery Act consent rule.
            _("An NRM referral needs the person's consent. Without it, make an MS1 notification."),
        ),
        # Translators: error on the duty to notify form.
        "dtn_consent:invalid": ("dtn_consent", _("Choose the person's answer about consent.")),
        # Translators: error on the duty to notify form.
        "dtn_referred_by:invalid": ("dtn_referred_by", _("Enter who made the referral.")),
        "dtn_first_responder:invalid": (
            "dtn_first_responder",
            # Translators: error on the duty to notify form.
            _("Choose the First Responder Organisation."),
        ),
        "dtn_referred_on:invalid": (
            "dtn_referred_on",
            # Translators: error on the duty to notify form; the date must not be in the future.
            _("Enter the date of the referral, like 2026-11-28."),
        ),
        "dtn_reference:invalid": (
            "dtn_reference",
            # Translators: error on the duty to notify form.
            _("Enter the referral's reference (letters, numbers, / and -)."),
        ),
        "dtn_ms1_on:invalid": (
            "dtn_ms1_on",
            # Translators: error on the duty to notify form; the date must not be in the future.
            _("Enter the date the MS1 was sent, like 2026-11-28."),
        ),
    }
    messages.update(case_referrals.refusal_messages())
    messages.update(case_evidence.refusal_messages())
    messages.update(case_checkins.refusal_messages())
    messages.update(case_work.refusal_messages())
    messages.update(case_capacity.refusal_messages())
    messages.update(case_people.refusal_messages())
    # Translators: error on the case page when the action could not be done for another reason.
    return messages.get(code, ("actions", _("That could not be done.")))
