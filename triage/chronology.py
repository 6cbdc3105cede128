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
from flask_babel import get_locale

from safeguarding.access import Permission, StaffPrincipal
from safeguarding.reads import record_read
from storage.models import Establishment, Report
from triage.audit_views import neutralise_cell
from triage.case_content import CaseContent, case_content
from triage.case_views import fetch_accessible
from triage.chronology_pdf import font_urls, pdf_of
from triage.guard import current_principal, services
from triage.labels import label

KINDS = {"pdf": "application/pdf", "csv": "text/csv"}


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
        body = _pdf(report, content, stamp) if kind == "pdf" else _csv(content, stamp)
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


def _pdf(report: Report, content: CaseContent, stamp: ExportStamp) -> bytes:
    html = render_template(
        "triage/chronology.html",
        report=report,
        content=content,
        stamp=stamp,
        fonts=font_urls(),
        current_language=str(get_locale() or "en"),
    )
    return pdf_of(html)


def _csv(content: CaseContent, stamp: ExportStamp) -> str:
    """The timeline oldest first, one event a row, after three rows saying whose copy it is."""
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
    return buffer.getvalue()
