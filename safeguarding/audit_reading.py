"""Which audit events a member of staff may read (the audit log page and its CSV export).

Only events of the reader's establishments, and of those only events about reports the
reader may find in lists (``reading_scope``): so the restricted queue stays restricted
here too, and a report that names the reader is as absent here as from their queue
(conflict of interest). A purged report keeps its audit trail (safeguarding/retention.py):
its events are read by those whose establishments and queues held it. Events of the
installation's own chain (sign-ins, refused requests) are read when the person who acted
works at one of the reader's establishments.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, String, and_, cast, literal, or_, select

from safeguarding.access import StaffPrincipal
from safeguarding.conflicts import reading_scope
from storage.models import AuditEvent, PurgedReport, Report, StaffMembership
from storage.repositories.queue import in_scope


@dataclass(frozen=True)
class AuditFilters:
    """What the reader narrowed the log to; empty means no narrowing."""

    report_id: int | None = None
    action: str = ""
    actor: str = ""


def readable_events(
    principal: StaffPrincipal, filters: AuditFilters = AuditFilters()
) -> Select[AuditEvent]:
    """The events ``principal`` may read, newest first, narrowed by ``filters``."""
    scope = reading_scope(principal)
    establishments = sorted(scope.establishment_ids)
    visible = select(Report.id).where(*in_scope(scope))
    purged = select(PurgedReport.report_id).where(
        PurgedReport.establishment_id.in_(establishments), PurgedReport.queue.in_(scope.queues)
    )
    colleagues = select(literal("staff:") + cast(StaffMembership.staff_id, String)).where(
        StaffMembership.establishment_id.in_(establishments)
    )
    statement = select(AuditEvent).where(
        or_(
            and_(
                AuditEvent.establishment_id.in_(establishments),
                or_(
                    AuditEvent.report_id.is_(None),
                    AuditEvent.report_id.in_(visible),
                    AuditEvent.report_id.in_(purged),
                ),
            ),
            and_(AuditEvent.establishment_id.is_(None), AuditEvent.actor.in_(colleagues)),
        )
    )
    if filters.report_id is not None:
        statement = statement.where(AuditEvent.report_id == filters.report_id)
    if filters.action:
        statement = statement.where(AuditEvent.action == filters.action)
    if filters.actor:
        statement = statement.where(AuditEvent.actor == filters.actor)
    return statement.order_by(AuditEvent.id.desc())
