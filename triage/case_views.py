"""The case page and recordings: every read of a report's content is an audit event, and
every request names one report that is checked against the reader's access first."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import Blueprint, Response, abort, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from safeguarding.access import Permission, StaffPrincipal, may
from safeguarding.actions import (
    OUTCOME_LABELS,
    SETTABLE_STATUSES,
    THRESHOLD_LABELS,
    next_deadline,
)
from safeguarding.agencies import AGENCY_LABELS, RESPONSE_LABELS
from safeguarding.alerts import duty_governor_on_call
from safeguarding.catalogue import Category
from safeguarding.duties import closing_blockers
from safeguarding.messages import STANDARD_MESSAGES
from safeguarding.reads import record_read
from safeguarding.statutory import (
    CONSENT_LABELS,
    FIRST_RESPONDER_LABELS,
    ROUTE_LABELS,
    SHARING_BASIS_LABELS,
    decisions_of,
)
from speech.sniff import sniff_audio
from storage.models import Recording, Report
from storage.sealed_fields import RECORDING_AUDIO
from triage.case_capacity import capacity_rows
from triage.case_capacity import options as capacity_options
from triage.case_checkins import checkin_rows
from triage.case_checkins import outcome_options as checkin_outcomes
from triage.case_content import case_content
from triage.case_evidence import evidence_rows, outcome_options
from triage.case_people import people_panel
from triage.case_referrals import referral_rows
from triage.case_work import options as work_options
from triage.case_work import plan_box, task_rows
from triage.guard import current_principal, services
from triage.labels import label, message_text

P = Permission
_ACTION_PERMISSIONS = (
    P.ACKNOWLEDGE,
    P.ASSIGN,
    P.ADD_NOTE,
    P.CHANGE_STATUS,
    P.ESCALATE,
    P.RECORD_REFERRAL,
    P.RECATEGORISE,
    P.MESSAGE_REPORTER,
    P.LINK_REPORTS,
    P.CLOSE,
    P.EXPORT_CASE,
    P.REISSUE_CODE,
)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports/<int:report_id>", "case", case)
    bp.add_url_rule(
        "/reports/<int:report_id>/recordings/<int:recording_id>", "recording", recording
    )


def fetch_accessible(
    session: Session, principal: StaffPrincipal, report_id: int, permission: Permission
) -> Report | None:
    """The report if ``principal`` may do ``permission`` to it; otherwise None, and the
    attempt is audited. Callers answer 404 either way, so existence is not revealed; and the
    audit event is the same whether the report is hidden or missing (the installation's
    chain, no report id), so the log is no oracle for whoever can read it either."""
    report = session.get(Report, report_id)
    if report is not None and may(principal, permission, report):
        return report
    record_read(
        session,
        at=services().clock.now(),
        actor=principal.actor,
        action="report.access_denied",
        detail={"requested": report_id, "permission": permission.value},
    )
    return None


def case(report_id: int) -> ResponseReturnValue:
    body = render_case(report_id)
    if body is None:
        abort(404)
    return body


def render_case(
    report_id: int,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    chosen_categories: list[str] | None = None,
) -> str | None:
    """The case page (None when the reader may not see it). Rendering it is a read."""
    principal = current_principal()
    svc = services()
    with svc.db.transaction() as session:
        report = fetch_accessible(session, principal, report_id, P.READ_REPORT)
        if report is None:
            return None
        content = case_content(session, report, principal, svc.secrets.vault)
        record_read(
            session,
            at=svc.clock.now(),
            actor=principal.actor,
            action="report.viewed",
            report_id=report.id,
        )
        allowed = {
            permission.value: may(principal, permission, report)
            for permission in _ACTION_PERMISSIONS
        }
        return render_template(
            "triage/case.html",
            report=report,
            content=content,
            overdue=_overdue(report, svc.clock.now()),
            allowed=allowed,
            errors=errors or {},
            form=form or {},
            options=_action_options(),
            categories=sorted(c.category for c in report.categories),
            chosen_categories=chosen_categories,
            duty_decisions=decisions_of(session, report.id),
            referrals=referral_rows(session, report.id, svc.clock.now().date()),
            evidence=evidence_rows(session, report.id, svc.clock.now()),
            evidence_outcomes=outcome_options(),
            checkins=checkin_rows(session, report.id, svc.clock.now()),
            checkin_outcomes=checkin_outcomes(),
            tasks=task_rows(session, report.id, svc.clock.now().date()),
            plan=plan_box(session, report.id, svc.clock.now().date()),
            work_options=work_options(),
            capacity_records=capacity_rows(session, report.id),
            capacity_options=capacity_options(),
            people=people_panel(session, report, svc.secrets),
            closing_blockers=closing_blockers(session, report),
            duty_governor_on_call=duty_governor_on_call(session, report.establishment_id),
        )


def _overdue(report: Report, now: datetime) -> bool:
    deadline = next_deadline(report)
    return deadline is not None and deadline < now


def _action_options() -> dict[str, list[tuple[str, str]]]:
    return {
        "messages": [(m.id, message_text(m.id)) for m in STANDARD_MESSAGES],
        "agencies": [(a, label("agency", a)) for a in AGENCY_LABELS],
        "thresholds": [(t, label("threshold", t)) for t in THRESHOLD_LABELS],
        "responses": [(r, label("referral_response", r)) for r in RESPONSE_LABELS],
        "statuses": [(s, label("status", s)) for s in SETTABLE_STATUSES],
        "outcomes": [(o, label("outcome", o)) for o in OUTCOME_LABELS],
        "categories": [(c.value, label("category", c.value)) for c in Category],
        "consents": [(c, label("consent", c)) for c in CONSENT_LABELS],
        "dtn_routes": [(r, label("dtn_route", r)) for r in ROUTE_LABELS],
        "first_responders": [(o, label("first_responder", o)) for o in FIRST_RESPONDER_LABELS],
        "sharing_bases": [(b, label("sharing_basis", b)) for b in SHARING_BASIS_LABELS],
    }


def recording(report_id: int, recording_id: int) -> ResponseReturnValue:
    principal = current_principal()
    svc = services()
    with svc.db.transaction() as session:
        report = fetch_accessible(session, principal, report_id, P.READ_REPORT)
        found = session.get(Recording, recording_id) if report is not None else None
        if (
            report is None
            or found is None
            or found.report_id != report.id
            or not found.audio_sealed
        ):
            audio = None
        else:
            audio = RECORDING_AUDIO.open(svc.secrets.vault, found)
            record_read(
                session,
                at=svc.clock.now(),
                actor=principal.actor,
                action="recording.played",
                report_id=report.id,
                detail={"recording_id": found.id},
            )
    if audio is None:
        abort(404)
    return _recording_response(audio)


def _recording_response(audio: bytes) -> Response:
    """The bytes decide the type, never what was stored: recordings kept before the worker
    sniffed them could say text/html. Not audio: a download nothing can run."""
    kind = sniff_audio(audio)
    response = Response(audio, mimetype=kind.mime if kind else "application/octet-stream")
    response.headers["Content-Disposition"] = (
        "inline" if kind else f'attachment; filename="recording-{secrets.token_hex(4)}.bin"'
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
