"""Where to send help: the wing a caller chose after "in danger" becomes the report's place.

The wing goes into ``Report.location_id``, the field the kiosk's "where" answer fills and
the alerts, queue and case page already read as "where": the caller tells us where the
danger is. ``sent_from_location_id`` stays the kiosk's own place, a fact about a device the
phone does not have. When the first page for an immediate report may have gone out
without the wing, the person paged is told the wing too (where the establishment names
wings in immediate alerts: on by default; never what was reported).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.alerts import NOTIFY_EMAIL, NOTIFY_SMS, paged_at_step
from storage.models import AlertEscalation, Establishment, Location, Report
from storage.repositories.audit import append_audit
from storage.repositories.outbox import enqueue_once
from storage.repositories.reports import add_timeline_event

WING_CHOSEN_KIND = "wing_chosen"
WING_TEMPLATE = "immediate_wing"


def wings_of(session: Session, establishment_id: int) -> list[int]:
    """The establishment's own places, in its order, as location ids."""
    statement = (
        select(Location.id)
        .where(Location.establishment_id == establishment_id)
        .order_by(Location.position, Location.id)
    )
    return list(session.scalars(statement))


def wing_names(session: Session, establishment_id: int, ids: list[int]) -> list[str | None]:
    """The names of these places (None for one removed since the call began)."""
    names = []
    for location_id in ids:
        location = session.get(Location, location_id)
        known = location is not None and location.establishment_id == establishment_id
        names.append(location.name if known and location is not None else None)
    return names


def place_report(session: Session, *, report: Report, location_id: int, at: datetime) -> None:
    """The caller chose a wing: it becomes the report's place (idempotent)."""
    location = session.get(Location, location_id)
    if location is None or location.establishment_id != report.establishment_id:
        return  # removed since the call began: the report keeps what it has
    if report.location_id == location_id:
        return
    report.location_id = location_id
    add_timeline_event(session, report, kind=WING_CHOSEN_KIND, actor="reporter:phone", at=at)
    append_audit(
        session, at=at, actor="reporter:phone", action="report.wing_chosen",
        report_id=report.id, detail={"location_id": location_id},
    )  # fmt: skip
    _tell_whoever_was_paged(session, report, at)


def _tell_whoever_was_paged(session: Session, report: Report, at: datetime) -> None:
    """Pages compose their words when sent, so a page still waiting names the wing by
    itself; one already sent did not. Text and email (no second call) to the person paged."""
    establishment = session.get(Establishment, report.establishment_id)
    if establishment is None or not establishment.immediate_alert_names_wing:
        return
    escalation = session.scalars(
        select(AlertEscalation).where(AlertEscalation.report_id == report.id)
    ).one_or_none()
    contact = paged_at_step(session, report, escalation.step) if escalation else None
    if contact is None:
        return  # nobody paged yet: the first page will name the wing
    channels = ([NOTIFY_SMS] if contact.phone else []) + ([NOTIFY_EMAIL] if contact.email else [])
    for kind in channels:
        enqueue_once(
            session,
            kind=kind,
            dedupe_key=f"{kind}:wing:{report.id}:{report.location_id}:{contact.id}",
            payload={"template": WING_TEMPLATE, "report_id": report.id, "contact_id": contact.id},
            at=at,
        )
