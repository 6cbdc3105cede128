"""The patterns section of the lead's daily summary (issue 14): each wing and category with
two or more reports in the last 14 days, by wing, category and count, never a case or what
was said; restricted reports counted only for a recipient whose role may see them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from safeguarding.breaches import queue_daily_digests
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.notify.messages import compose
from storage.models import OnCallContact, OutboxMessage
from tests.triage.test_patterns import report

SECRET = "He takes my canteen every Friday"


def contact(services: Services, establishment: int, role: str) -> int:
    with services.db.transaction() as session:
        found = OnCallContact(
            establishment_id=establishment, chain_position=1, role=role,
            display_name=f"On call {role}", email=f"{role}@prison.example",
            created_at=datetime(2026, 1, 1, tzinfo=UTC),
        )  # fmt: skip
        session.add(found)
        session.flush()
        return found.id


def digest_body(services: Services, establishment: int, contact_id: int, now: datetime) -> str:
    payload = {
        "template": "daily_digest", "establishment_id": establishment,
        "contact_id": contact_id, "day": now.date().isoformat(), "at": now.isoformat(),
    }  # fmt: skip
    with services.db.transaction() as session:
        _recipient, text = compose(session, payload, base_url="https://sr.example")
    return text.body


def section(body: str) -> list[str]:
    [part] = [block for block in body.split("\n\n") if block.startswith("Patterns")]
    return part.splitlines()


def test_the_digest_lists_wings_and_categories_with_two_or_more_reports(
    services: Services, establishment: int, other_establishment: int, clock: FixedClock
) -> None:
    now = clock.now()
    for days_ago in (1, 13):
        report(services, establishment, "fake_friend", now - timedelta(days=days_ago), "B Wing")
    report(services, establishment, "fake_friend", now - timedelta(days=15), "B Wing")  # too old
    report(services, establishment, "sexual", now - timedelta(days=2), "A Wing")  # only one
    for _ in range(2):
        report(services, establishment, "no_care", now - timedelta(days=3), None)
        report(services, establishment, "staff_bad", now - timedelta(days=3), "A Wing")
        report(services, other_establishment, "sexual", now - timedelta(days=3), "A Wing")
    lead = contact(services, establishment, "lead")
    body = digest_body(services, establishment, lead, now)
    assert section(body) == [
        "Patterns: wings with 2 or more reports in one category in the last 14 days:",
        "A Wing, Organisational abuse: 2 reports",
        "A Wing, Staff misconduct: 2 reports",
        "B Wing, Exploitation and grooming: 2 reports",
        "Not known, Neglect and acts of omission: 2 reports",
    ]
    assert SECRET not in body
    deputy = contact(services, establishment, "deputy")
    assert section(digest_body(services, establishment, deputy, now)) == [
        "Patterns: wings with 2 or more reports in one category in the last 14 days:",
        "B Wing, Exploitation and grooming: 2 reports",
        "Not known, Neglect and acts of omission: 2 reports",
    ]


def test_a_quiet_fortnight_says_so_and_the_queued_digest_carries_the_section(
    services: Services, establishment: int, clock: FixedClock
) -> None:
    report(services, establishment, "sexual", clock.now() - timedelta(days=1), "A Wing")
    lead = contact(services, establishment, "lead")
    with services.db.transaction() as session:
        assert queue_daily_digests(session, clock=clock, digest_hour_utc=7) == 1
        queued = select(OutboxMessage.payload).where(OutboxMessage.dedupe_key.like("digest:%"))
        payload = json.loads(session.scalars(queued).one())
        _recipient, text = compose(session, payload, base_url="https://sr.example")
    assert payload["contact_id"] == lead
    assert section(text.body) == [
        "Patterns: no wing had 2 or more reports in one category in the last 14 days."
    ]
