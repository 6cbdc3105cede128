"""Practice audits: draw closed cases at random, then record what was found for each.

Every route checks the exact sample (the reader's establishment) and, for a finding, the
exact report (the reader may see it: restricted cases stay with the lead and governor).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeguarding.access import Permission, StaffPrincipal, allows, may_see_report
from safeguarding.actions import ActionRefused
from safeguarding.quality import (
    AUDIT_OUTCOME_LABELS,
    AUDIT_QUESTIONS,
    MAX_SAMPLE_SIZE,
    TRIAGE_EVENTS,
    AuditFindings,
    draw_practice_audit,
    record_findings,
)
from storage.ids import parse_row_id
from storage.models import Establishment, PracticeAuditCase, PracticeAuditSample, Report
from storage.repositories.stats import CaseClock, case_clocks
from translations.i18n import _
from triage.case_views import fetch_accessible
from triage.guard import current_principal, services

WINDOWS = (1, 3, 6, 12)  # draw from cases closed in the last so many months
DEFAULT_WINDOW = 3
DEFAULT_SIZE = 10


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/quality/audits", "practice_audits", practice_audits, methods=["GET", "POST"])
    bp.add_url_rule("/quality/audits/<int:sample_id>", "practice_audit", practice_audit)
    bp.add_url_rule(
        "/quality/audits/<int:sample_id>/cases/<int:case_id>",
        "practice_audit_record",
        record,
        methods=["POST"],
    )


def _principal() -> StaffPrincipal:
    principal = current_principal()
    if not allows(principal.role, Permission.PRACTICE_AUDIT):
        abort(403)
    return principal


def practice_audits() -> ResponseReturnValue:
    principal = _principal()
    svc = services()
    form = request.form.to_dict() if request.method == "POST" else {}
    errors: dict[str, str] = {}
    with svc.db.transaction() as session:
        if request.method == "POST":
            drawn, errors = _draw(session, principal, form)
            if drawn is not None:
                return redirect(url_for("triage.practice_audit", sample_id=drawn))
        page = render_template(
            "triage/practice_audits.html",
            samples=_samples(session, principal),
            establishment_options=[
                (str(e.id), e.name) for e in _establishments(session, principal)
            ],
            windows=[
                # Translators: a choice on the practice audit form.
                (str(months), _("Closed in the last %(count)d months", count=months))
                for months in WINDOWS
            ],
            form=form,
            defaults={"size": str(DEFAULT_SIZE), "window": str(DEFAULT_WINDOW)},
            errors=errors,
        )
    return page, (400 if errors else 200)


def _draw(
    session: Session, principal: StaffPrincipal, form: dict[str, str]
) -> tuple[int | None, dict[str, str]]:
    size = parse_row_id(form.get("size", ""))
    window = next((w for w in WINDOWS if str(w) == form.get("window", "")), None)
    place = parse_row_id(form.get("establishment", ""))
    if len(principal.establishment_ids) == 1:
        place = next(iter(principal.establishment_ids))
    errors = {}
    if size is None or size > MAX_SAMPLE_SIZE:
        # Translators: error on the practice audit form.
        errors["size"] = _("Enter a number from 1 to %(most)d.", most=MAX_SAMPLE_SIZE)
    if window is None:
        # Translators: error on the practice audit form.
        errors["window"] = _("Choose which cases to draw from.")
    if place is None:
        # Translators: error on the practice audit form.
        errors["establishment"] = _("Choose an establishment.")
    if size is None or window is None or place is None:
        return None, errors
    now = services().clock.now()
    try:
        sample = draw_practice_audit(
            session, principal=principal, establishment_id=place, size=size,
            closed_since=now - timedelta(days=30 * window), closed_before=now,
            clock=services().clock,
        )  # fmt: skip
    except ActionRefused as refused:
        if refused.code == "establishment":
            return None, {"establishment": _("Choose an establishment.")}
        # Translators: error on the practice audit form when nothing can be drawn.
        return None, {"window": _("No cases you can see were closed in that period.")}
    return sample.id, {}


def _establishments(session: Session, principal: StaffPrincipal) -> list[Establishment]:
    return list(
        session.scalars(
            select(Establishment)
            .where(Establishment.id.in_(sorted(principal.establishment_ids)))
            .order_by(Establishment.name)
        )
    )


def _samples(
    session: Session, principal: StaffPrincipal
) -> list[tuple[PracticeAuditSample, str, int, int]]:
    """Recent samples in the reader's establishments: cases, and how many have findings."""
    rows = session.execute(
        select(
            PracticeAuditSample,
            Establishment.name,
            func.count(PracticeAuditCase.id),
            func.count(PracticeAuditCase.outcome),
        )
        .join(Establishment, Establishment.id == PracticeAuditSample.establishment_id)
        .outerjoin(PracticeAuditCase, PracticeAuditCase.sample_id == PracticeAuditSample.id)
        .where(PracticeAuditSample.establishment_id.in_(sorted(principal.establishment_ids)))
        .group_by(PracticeAuditSample.id, Establishment.name)
        .order_by(PracticeAuditSample.id.desc())
        .limit(50)
    ).all()
    return [(sample, name, int(cases), int(done)) for sample, name, cases, done in rows]


def _sample(session: Session, principal: StaffPrincipal, sample_id: int) -> PracticeAuditSample:
    sample = session.get(PracticeAuditSample, sample_id)
    if sample is None or sample.establishment_id not in principal.establishment_ids:
        abort(404)
    return sample


def practice_audit(sample_id: int) -> ResponseReturnValue:
    principal = _principal()
    with services().db.transaction() as session:
        sample = _sample(session, principal, sample_id)
        return render_sample(session, principal, sample, errors={}, status=200)


def render_sample(
    session: Session,
    principal: StaffPrincipal,
    sample: PracticeAuditSample,
    *,
    errors: dict[str, str],
    status: int,
    failed_case: int | None = None,
) -> ResponseReturnValue:
    rows = session.execute(
        select(PracticeAuditCase, Report)
        .join(Report, Report.id == PracticeAuditCase.report_id)
        .where(PracticeAuditCase.sample_id == sample.id)
        .order_by(PracticeAuditCase.position)
    ).all()
    visible = [(case, report) for case, report in rows if may_see_report(principal, report)]
    clocks = case_clocks(session, report_ids=[r.id for _c, r in visible], events=TRIAGE_EVENTS)
    body = render_template(
        "triage/practice_audit.html",
        sample=sample,
        cases=[
            (case, report, facts, _selected(case, facts, case.id == failed_case))
            for case, report in visible
            for facts in (clocks[report.id],)
        ],
        hidden=len(rows) - len(visible),
        outcomes=[(key, _(text)) for key, text in AUDIT_OUTCOME_LABELS.items()],
        questions=[(key, _(text)) for key, text in AUDIT_QUESTIONS.items()],
        errors=errors,
    )
    return body, status


def _selected(case: PracticeAuditCase, facts: CaseClock, failed: bool) -> dict[str, str]:
    """What each question shows chosen: the answers just sent (when they had a problem),
    else the finding recorded, else for timeliness what the records say."""
    if failed:
        return {key: request.form.get(key, "") for key in (*AUDIT_QUESTIONS, "outcome")}
    chosen = {"outcome": case.outcome or ""}
    for key in AUDIT_QUESTIONS:
        recorded = getattr(case, key)
        chosen[key] = "" if recorded is None else ("yes" if recorded else "no")
    if case.responded_in_time is None and facts.triaged_in_time is not None:
        on_time = facts.triaged_in_time and facts.acknowledged_in_time is not False
        chosen["responded_in_time"] = "yes" if on_time else "no"
    return chosen


def record(sample_id: int, case_id: int) -> ResponseReturnValue:
    principal = _principal()
    svc = services()
    with svc.db.transaction() as session:
        sample = _sample(session, principal, sample_id)
        case = session.get(PracticeAuditCase, case_id)
        if case is None or case.sample_id != sample.id:
            abort(404)
        report = fetch_accessible(session, principal, case.report_id, Permission.PRACTICE_AUDIT)
        refused = (
            None if report is None else _record_or_refuse(session, principal, sample, case, report)
        )
    if report is None:
        abort(404)  # after the transaction: the refusal fetch_accessible audited stays
    if refused is not None:
        return refused
    flash("practice_audit")
    anchor = f"case-{case_id}"
    return redirect(url_for("triage.practice_audit", sample_id=sample_id, _anchor=anchor))


def _record_or_refuse(
    session: Session,
    principal: StaffPrincipal,
    sample: PracticeAuditSample,
    case: PracticeAuditCase,
    report: Report,
) -> ResponseReturnValue | None:
    """Record the findings (None), or the sample page naming what is wrong with them."""
    findings, problems = _findings()
    if findings is None:
        errors = {f"case-{case.id}-{field}": text for field, text in problems.items()}
        return render_sample(
            session, principal, sample, errors=errors, status=400, failed_case=case.id
        )
    record_findings(
        session, principal=principal, case=case, report=report, findings=findings,
        clock=services().clock,
    )  # fmt: skip
    return None


def _findings() -> tuple[AuditFindings | None, dict[str, str]]:
    form = request.form
    errors = {}
    outcome = form.get("outcome", "")
    if outcome not in AUDIT_OUTCOME_LABELS:
        # Translators: error on a practice audit finding.
        errors["outcome"] = _("Choose the overall finding.")
    answers: dict[str, bool] = {}
    for question in AUDIT_QUESTIONS:
        answer = form.get(question, "")
        if answer not in ("yes", "no"):
            # Translators: error on a practice audit finding.
            errors[question] = _("Answer yes or no.")
        answers[question] = answer == "yes"
    if errors:
        return None, errors
    return AuditFindings(outcome=outcome, answers=answers), {}
