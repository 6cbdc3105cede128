"""A case's whole chronology as a file: PDF to print and CSV to sort, for inquests, the
Prisons and Probation Ombudsman, Safeguarding Adults Reviews, subject access requests and
inspectors. Exporting is a read on record (committed before the file is handed over), and
every page and the CSV's first rows name who exported it and when: a copy found later can
be traced to the person who took it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Response, abort, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import Permission, StaffPrincipal
from safeguarding.reads import record_read
from storage.models import AuditEvent, Establishment, Report, StaffUser
from translations.i18n import current_language_code
from triage.audit_views import neutralise_cell
from triage.case_content import CaseContent, case_content, is_staff_actor
from triage.case_views import fetch_accessible
from triage.chronology_pdf import font_urls, pdf_of
from triage.guard import current_principal, services
from triage.labels import label

KINDS = {"pdf": "application/pdf", "csv": "text/csv"}


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str


@dataclass(frozen=True)
class ExportStamp:
    case_number: str
    by: str
    role: str
    at: datetime


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports/<int:report_id>/chronology.pdf", "chronology_pdf", chronology_pdf)
    bp.add_url_rule("/reports/<int:report_id>/chronology.csv", "chronology_csv", chronology_csv)


def chronology_pdf(report_id: int) -> ResponseReturnValue:
    return _download(report_id, "pdf")


def chronology_csv(report_id: int) -> ResponseReturnValue:
    return _download(report_id, "csv")


def _download(report_id: int, kind: str) -> ResponseReturnValue:
    exported = _export(report_id, kind)
    if exported is None:
        abort(404)  # after the transaction: the refusal stays on record
    body, stamp = exported
    response = Response(body, mimetype=KINDS[kind])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="chronology-{stamp.case_number}.{kind}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _export(report_id: int, kind: str) -> tuple[bytes | str, ExportStamp] | None:
    principal = current_principal()
    svc = services()
    with svc.db.transaction() as session:
        report = fetch_accessible(session, principal, report_id, Permission.EXPORT_CASE)
        if report is None:
            return None
        content = case_content(session, report, principal, svc.secrets.vault)
        establishment = session.get(Establishment, report.establishment_id)
        stamp = _stamp(establishment, report, principal, svc.clock.now())
        trail = _audit_trail(session, report.id)
        body = _pdf(report, content, trail, stamp) if kind == "pdf" else _csv(content, trail, stamp)
        record_read(
            session, at=stamp.at, actor=principal.actor, action="report.exported",
            report_id=report.id, detail={"format": kind},
        )  # fmt: skip
    return body, stamp


def _stamp(
    establishment: Establishment | None, report: Report, principal: StaffPrincipal, at: datetime
) -> ExportStamp:
    code = establishment.code if establishment is not None else "case"
    name = principal.display_name or principal.actor
    return ExportStamp(f"{code}-{report.id}", name, label("role", principal.role), at)


def _audit_trail(session: Session, report_id: int) -> list[AuditRow]:
    """Who opened, played, exported or changed the case, and when: its audit events, the
    staff named (the chain itself is checked by ``safereport audit verify``)."""
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.report_id == report_id).order_by(AuditEvent.id)
    ).all()
    ids = {int(e.actor.split(":", 1)[1]) for e in events if is_staff_actor(e.actor)}
    rows = session.execute(
        select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(ids))
    )
    names = {staff_id: name for staff_id, name in rows}
    return [AuditRow(event.at, _actor_name(event.actor, names), event.action) for event in events]


def _actor_name(actor: str, names: dict[int, str]) -> str:
    if is_staff_actor(actor):
        staff_id = int(actor.split(":", 1)[1])
        return f"{names.get(staff_id, actor)} ({actor})"
    return actor


def _pdf(report: Report, content: CaseContent, trail: list[AuditRow], stamp: ExportStamp) -> bytes:
    html = render_template(
        "triage/chronology.html",
        report=report,
        content=content,
        trail=trail,
        stamp=stamp,
        fonts=font_urls(),
        current_language=current_language_code() or "en",
    )
    return pdf_of(html)


def _csv(content: CaseContent, trail: list[AuditRow], stamp: ExportStamp) -> str:
    """Three rows saying whose copy it is; the timeline oldest first, one event a row; then,
    after an empty row, the audit trail."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in (
        ("case", stamp.case_number),
        ("exported_by", f"{stamp.by} ({stamp.role})"),
        ("exported_at_utc", stamp.at.isoformat(timespec="seconds")),
        (),
        ("at_utc", "event", "by", "what_happened", "words"),
    ):
        writer.writerow([neutralise_cell(cell) for cell in row])
    for entry in reversed(content.timeline):  # the case page shows newest first
        cells = (
            entry.at.isoformat(timespec="seconds"), entry.title, entry.actor, entry.text,
            entry.body,
        )  # fmt: skip
        writer.writerow([neutralise_cell(cell) for cell in cells])
    writer.writerow([])
    writer.writerow(["audit_at_utc", "actor", "action"])
    for audited in trail:
        said = (audited.at.isoformat(timespec="seconds"), audited.actor, audited.action)
        writer.writerow([neutralise_cell(cell) for cell in said])
    return buffer.getvalue()
