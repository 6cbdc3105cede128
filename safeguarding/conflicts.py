"""Conflict of interest: nobody reads, or is woken for, a report that names them.

A member of staff is "named" when a person on the report carries the blind index of their
account's name (safeguarding.identifiers normalises both alike), whatever role the report
gives that person. Such a report is hidden from them as if it did not exist, and they are
left out of its alert chain. A report that names a safeguarding lead or a governor of the
establishment goes to the independent queue: neither of them reads it; an independent
reviewer for the establishment group does (safeguarding.access, Role.REVIEWER).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding import timeline_facts as facts
from safeguarding.access import INDEPENDENT_QUEUE, Role, StaffPrincipal, visible_queues
from safeguarding.identifiers import NAME, normalise
from storage.blind_index import session_indexes
from storage.models import OnCallContact, Report, ReportPerson, StaffMembership, StaffUser
from storage.repositories.audit import append_audit
from storage.repositories.queue import QueueScope
from storage.repositories.reports import add_timeline_event

# Who may not read the cases that accuse them, and whose cases go to an independent reviewer.
OVERSIGHT_ROLES = (Role.LEAD.value, Role.GOVERNOR.value)
OVERSIGHT_ON_CALL_ROLES = ("lead", "duty_governor")


def reading_scope(principal: StaffPrincipal) -> QueueScope:
    """The reports ``principal`` may find in lists (queue, handover, audit log): their
    establishments' reports in the queues their role reads, none that names them."""
    return QueueScope(
        principal.establishment_ids, visible_queues(principal), principal.name_indexes
    )


def name_indexes(session: Session, display_name: str) -> frozenset[str]:
    normal = normalise(NAME, display_name)
    return session_indexes(session, NAME, normal) if normal else frozenset()


def named_indexes(session: Session, report_id: int) -> frozenset[str]:
    """Every blind index the report's people carry, removed ones too: for conflict of
    interest a correction never un-names anyone (Report.named_indexes says why)."""
    rows = session.scalars(
        select(ReportPerson.blind_index).where(
            ReportPerson.report_id == report_id,
            ReportPerson.blind_index.is_not(None),
        )
    )
    return frozenset(index for index in rows if index)


def names(session: Session, report_id: int, display_name: str) -> bool:
    return bool(name_indexes(session, display_name) & named_indexes(session, report_id))


def without_the_named(
    session: Session, report: Report, contacts: Sequence[OnCallContact]
) -> list[OnCallContact]:
    """The on-call contacts that ``report`` does not name: nobody is woken about, or told
    of, a report that accuses them."""
    named = named_indexes(session, report.id)
    if not named:
        return list(contacts)
    return [c for c in contacts if not name_indexes(session, c.display_name) & named]


def route_if_oversight_named(
    session: Session,
    report: Report,
    *,
    actor: str,
    at: datetime,
    named: frozenset[str] | None = None,
) -> bool:
    """Move ``report`` to the independent queue if it names a lead or governor of its
    establishment (an account or an on-call contact). Never moves it back: True if moved.
    ``named``: every index its people carry, when the caller has them all in hand (a new
    report), so they are not read back."""
    if report.queue == INDEPENDENT_QUEUE:
        return False
    if named is None:
        named = named_indexes(session, report.id)
    if not named or not _oversight_named(session, report.establishment_id, named):
        return False
    report.queue = INDEPENDENT_QUEUE
    add_timeline_event(
        session, report, kind="queue_changed", actor=actor, at=at, summary=facts.queue_independent()
    )
    append_audit(
        session,
        at=at,
        actor=actor,
        action="report.queue_independent",
        report_id=report.id,
        detail={"queue": INDEPENDENT_QUEUE},
    )
    return True


def _oversight_named(session: Session, establishment_id: int, named: frozenset[str]) -> bool:
    return any(
        name_indexes(session, name) & named for name in _oversight_names(session, establishment_id)
    )


def _oversight_names(session: Session, establishment_id: int) -> Iterable[str]:
    accounts = (
        select(StaffUser.display_name)
        .join(StaffMembership, StaffMembership.staff_id == StaffUser.id)
        .where(
            StaffMembership.establishment_id == establishment_id,
            StaffUser.role.in_(OVERSIGHT_ROLES),
            StaffUser.active,
        )
    )
    contacts = select(OnCallContact.display_name).where(
        OnCallContact.establishment_id == establishment_id,
        OnCallContact.role.in_(OVERSIGHT_ON_CALL_ROLES),
        OnCallContact.active,
    )
    yield from session.scalars(accounts)
    yield from session.scalars(contacts)
