"""What follows when a report's people change after it arrived (a kiosk or phone answer
given after Sent, or a correction on the case page): the same rules intake applies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from safeguarding.checkins import open_checkins
from safeguarding.conflicts import route_if_oversight_named
from safeguarding.policy import Policy
from storage.models import Report


def after_people_changed(
    session: Session, report: Report, *, policy: Policy, actor: str, at: datetime
) -> None:
    """A report that now names the lead or a governor goes to the independent queue, and
    one that now says who caused the harm gets its retaliation check-ins."""
    route_if_oversight_named(session, report, actor=actor, at=at)
    open_checkins(session, report, policy)
