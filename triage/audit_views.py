"""The audit log for those who check the work: filter it, and export it as CSV.

Which events a reader may see is decided in safeguarding/audit_reading.py.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Select
from sqlalchemy.orm import Session

from safeguarding.access import Permission, StaffPrincipal, allows
from safeguarding.audit_reading import AuditFilters, readable_events
from safeguarding.reads import record_read
from storage.ids import parse_row_id
from storage.models import AuditEvent
from triage.guard import current_principal, services

PAGE_LIMIT = 200
EXPORT_LIMIT = 50_000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/audit", "audit_log", audit_log)
    bp.add_url_rule("/audit/export.csv", "audit_export", audit_export)


def neutralise_cell(value: object) -> str:
    """A spreadsheet must never run a cell as a formula: prefix risky starts with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _events(principal: StaffPrincipal) -> Select[AuditEvent]:
    filters = AuditFilters(
        report_id=parse_row_id(request.args.get("report", "")),
        action=_filter("action", 48),
        actor=_filter("actor", 80),
    )
    return readable_events(principal, filters)


def _filter(name: str, limit: int) -> str:
    """A text filter as typed, without NUL: no stored value holds one, and PostgreSQL
    refuses it in a query."""
    return request.args.get(name, "").replace("\x00", "").strip()[:limit]


def _require_auditor() -> StaffPrincipal:
    principal = current_principal()
    if not allows(principal.role, Permission.VIEW_AUDIT):
        abort(403)
    return principal


def audit_log() -> ResponseReturnValue:
    principal = _require_auditor()
    svc = services()
    with svc.db.transaction() as session:
        events = list(session.scalars(_events(principal).limit(PAGE_LIMIT)))
        record_read(
            session,
            at=svc.clock.now(),
            actor=principal.actor,
            action="audit.viewed",
            detail={"filters": _filters_used()},
        )
        return render_template(
            "triage/audit.html",
            events=events,
            limit=PAGE_LIMIT,
            errors={},
            readable_detail=readable_detail,
        )


def readable_detail(detail: str) -> str:
    """The stored JSON with a space after each comma and colon, so that a long entry can
    wrap on screen (the stored, hash-chained text is not changed); nothing for "{}"."""
    try:
        parsed = json.loads(detail)
    except ValueError:
        return detail
    if parsed == {}:
        return ""
    return json.dumps(parsed, ensure_ascii=False, separators=(", ", ": "))


def _filters_used() -> dict[str, str]:
    return {k: _filter(k, 80) for k in ("report", "action", "actor") if _filter(k, 80)}


def audit_export() -> ResponseReturnValue:
    principal = _require_auditor()
    svc = services()
    with svc.db.transaction() as session:
        body = _csv(session, principal)
        record_read(
            session,
            at=svc.clock.now(),
            actor=principal.actor,
            action="audit.exported",
            detail={"filters": _filters_used()},
        )
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="safereport-audit.csv"'
    return response


def _csv(session: Session, principal: StaffPrincipal) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "at_utc", "actor", "action", "report_id", "detail", "hash"])
    for event in session.scalars(_events(principal).limit(EXPORT_LIMIT)):
        writer.writerow(
            [
                neutralise_cell(cell)
                for cell in (
                    event.id,
                    _iso(event.at),
                    event.actor,
                    event.action,
                    event.report_id,
                    event.detail,
                    event.hash,
                )
            ]
        )
    return buffer.getvalue()


def _iso(value: datetime) -> str:
    return value.isoformat()
