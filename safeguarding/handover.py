"""Handing over between shifts: what a member of staff must know as they sign in.

Since they were last here: reports received, cases where the reporter added information,
deadlines due in the next HANDOVER_HORIZON, and who is first on call at each of their
establishments (issue 15.6). Counted only over reports they may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.access import StaffPrincipal, visible_queues
from safeguarding.actions import OPEN_STATUSES, next_deadline
from safeguarding.alerts import on_call_chain
from safeguarding.checkins import CheckInDue, checkins_due
from safeguarding.conflicts import reading_scope
from storage.models import Establishment, Report
from storage.repositories.handover import HandoverCounts, handover_counts, last_seen_before

HANDOVER_HORIZON = timedelta(hours=12)  # a shift: what falls due before the next one
DIGEST_HORIZON = timedelta(hours=24)  # the lead's daily summary: the day ahead


@dataclass(frozen=True)
class FirstOnCall:
    establishment: str
    name: str
    role: str  # lead | deputy | duty_governor


@dataclass(frozen=True)
class Handover:
    last_here: datetime | None  # None: their first sign-in, nothing to compare with
    counts: HandoverCounts | None
    on_call: list[FirstOnCall]
    checkins: list[CheckInDue]  # retaliation check-ins due now, closed cases included


def handover_for(
    session: Session, principal: StaffPrincipal, *, signed_in_at: datetime, now: datetime
) -> Handover:
    last_here = last_seen_before(session, staff_id=principal.staff_id, signed_in_at=signed_in_at)
    counts = None
    if last_here is not None:
        counts = handover_counts(
            session, scope=reading_scope(principal), since=last_here, now=now,
            horizon=now + HANDOVER_HORIZON,
        )  # fmt: skip
    checkins = checkins_due(
        session, principal.establishment_ids, visible_queues(principal), until=now,
        hidden_indexes=principal.name_indexes,
    )  # fmt: skip
    return Handover(
        last_here, counts, _first_on_call(session, principal.establishment_ids), checkins
    )


def _first_on_call(session: Session, establishment_ids: frozenset[int]) -> list[FirstOnCall]:
    found = []
    places = session.scalars(
        select(Establishment)
        .where(Establishment.id.in_(sorted(establishment_ids)))
        .order_by(Establishment.name)
    )
    for place in places:
        chain = on_call_chain(session, place.id)
        if chain:
            found.append(FirstOnCall(place.name, chain[0].display_name, chain[0].role))
    return found


def cases_due(
    session: Session, establishment_id: int, *, until: datetime
) -> list[tuple[Report, datetime]]:
    """Open cases whose running deadline has passed or falls by ``until``, soonest first."""
    open_reports = session.scalars(
        select(Report).where(
            Report.establishment_id == establishment_id, Report.status.in_(OPEN_STATUSES)
        )
    )
    due = [(report, deadline) for report in open_reports if (deadline := next_deadline(report))]
    return sorted((pair for pair in due if pair[1] <= until), key=lambda pair: pair[1])
