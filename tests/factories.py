"""Factory functions: ``make_x(session, **overrides)`` builds a valid x with sensible defaults."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from sqlalchemy.orm import Session

from safeguarding.followup import MESSAGE_EVENT_KIND
from safeguarding.intake import Receipt, ReportSubmission, submit_report
from safeguarding.services import Services
from storage.models import Establishment, KioskDevice, Location, PhoneLine, Report
from storage.repositories.reports import add_timeline_event
from tests.conftest import START

_unique = itertools.count(1)  # codes and numbers unique within a test run


def make_establishment(session: Session, **overrides: Any) -> Establishment:
    values: dict[str, Any] = {
        "code": f"T{next(_unique):05d}",
        "name": "HMP Testing",
        "languages": "en,cy,ar",
        "created_at": START,
    }
    values.update(overrides)
    establishment = Establishment(**values)
    session.add(establishment)
    session.flush()
    session.add_all(
        Location(establishment_id=establishment.id, name=name, position=i)
        for i, name in enumerate(("A Wing", "B Wing", "Healthcare"))
    )
    session.add(
        KioskDevice(establishment_id=establishment.id, label="A Wing kiosk", created_at=START)
    )
    session.add(
        PhoneLine(
            establishment_id=establishment.id,
            # 01632 is Ofcom's drama area code: a number of a real UK length, never dialled.
            number=f"+441632{next(_unique):06d}",
            created_at=START,
        )
    )
    session.flush()
    return establishment


def make_submission(establishment_id: int, **overrides: Any) -> ReportSubmission:
    values: dict[str, Any] = {
        "establishment_id": establishment_id,
        "channel": "kiosk",
        "language": "en",
        "submission_key": secrets.token_urlsafe(16),
        "concerns": ["bullied"],
        "staff_involved": "no",
    }
    values.update(overrides)
    return ReportSubmission(**values)


def submit(services: Services, establishment_id: int, **overrides: Any) -> Receipt:
    """Submit in a transaction of its own, as a door does, and return the receipt."""
    submission = make_submission(establishment_id, **overrides)
    with services.db.transaction() as session:
        return submit_report(
            session,
            submission=submission,
            secrets=services.secrets,
            policy=services.policy,
            clock=services.clock,
        )


def new_establishment(services: Services, **overrides: Any) -> int:
    with services.db.transaction() as session:
        return make_establishment(session, **overrides).id


def send_standard_message(
    services: Services, report_id: int, message_id: str, *, status: str | None = None
) -> None:
    """What the case page's "send a standard message" leaves on a report (and a new status)."""
    with services.db.transaction() as session:
        report = session.get(Report, report_id)
        assert report is not None
        if status is not None:
            report.status = status
        add_timeline_event(
            session,
            report,
            kind=MESSAGE_EVENT_KIND,
            actor="staff:1",
            at=services.clock.now(),
            summary=message_id,
        )
