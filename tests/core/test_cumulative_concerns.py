"""Cumulative concerns: reports that are each "standard" add up to action (issue 14).

As a table: each row is a story of reports, and whether the default policy's rule fires
(same person causing harm: 3 in 30 days, raised to high, the lead emailed; same wing and
category: 4 in 14 days, the lead emailed). Told the way a lead relies on it and a prisoner
would meet it: a bully named three times is acted on, and nothing fires twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeguarding.clock import FixedClock
from safeguarding.cumulative import apply_cumulative_rules
from safeguarding.people import CAUSING_HARM, PersonGiven, current_people, remove_person
from safeguarding.policy import PolicyError, load_policy
from safeguarding.services import Services
from storage.models import (
    AuditEvent,
    CumulativeFiring,
    Location,
    OnCallContact,
    OutboxMessage,
    Report,
    TimelineEvent,
)
from tests.conftest import START
from tests.factories import new_establishment, submit

BULLY = "Ozymandias Thornbury"


def harm(name: str = BULLY) -> tuple[PersonGiven, ...]:
    return (PersonGiven(CAUSING_HARM, "prisoner", "name", name),)


@dataclass(frozen=True)
class Story:
    """Reports sent ``gaps`` days apart (the first at the start); then does the rule fire?"""

    name: str
    gaps: tuple[int, ...]
    fires: bool
    elsewhere: tuple[int, ...] = ()  # which of the reports go to another establishment
    removed: tuple[int, ...] = ()  # which have the person removed (a correction) first
    other_person: tuple[int, ...] = ()  # which name someone else
    extra: dict[str, int] = field(default_factory=dict)


SAME_PERSON = [
    Story("three in a day: fires", (0, 0, 0), fires=True),
    Story("two: below the threshold", (0, 0), fires=False),
    Story("three within 30 days: fires", (0, 14, 15), fires=True),
    Story("the first is outside the window", (0, 20, 11), fires=False),
    Story("one at another prison is not counted", (0, 0, 0), fires=False, elsewhere=(1,)),
    Story("a removed person is not counted", (0, 0, 0), fires=False, removed=(0,)),
    Story("someone else is not counted", (0, 0, 0), fires=False, other_person=(2,)),
]


def _tell(services: Services, clock: FixedClock, story: Story, *, here: int, there: int) -> int:
    last = 0
    for number, gap in enumerate(story.gaps):
        clock.advance(timedelta(days=gap))
        place = there if number in story.elsewhere else here
        name = "Someone Different" if number in story.other_person else BULLY
        if number in story.removed:
            # Named, then corrected by staff before the next report: it must stop counting.
            last = submit(services, place, people=harm(name)).report_id
            with services.db.transaction() as session:
                (row,) = current_people(session, last)
                remove_person(session, row, actor="staff:1", at=clock.now())
            continue
        last = submit(services, place, people=harm(name)).report_id
    return last


def _add_lead(services: Services, establishment_id: int) -> None:
    with services.db.transaction() as session:
        session.add(
            OnCallContact(
                establishment_id=establishment_id, chain_position=1, role="lead",
                display_name="Lena Lead", email="lead@prison.example", phone=None,
                created_at=START,
            )
        )  # fmt: skip


@pytest.mark.parametrize("story", SAME_PERSON, ids=[s.name for s in SAME_PERSON])
def test_the_same_person_causing_harm(services: Services, clock: FixedClock, story: Story) -> None:
    here, there = new_establishment(services), new_establishment(services, name="HMP Other")
    _add_lead(services, here)
    newest = _tell(services, clock, story, here=here, there=there)
    with services.db.transaction() as session:
        report = session.get(Report, newest)
        assert report is not None
        emails = _cumulative_emails(session, newest)
        facts = _timeline(session, newest)
        if story.fires:
            assert report.priority == "high"  # three "standard" reports add up to action
            assert len(emails) == 1 and facts == ["cumulative_concern"]
            # The email says the case and the reason, never what anyone said or whom.
            assert set(emails[0]) == {
                "template", "contact_id", "report_id", "match", "reports", "days",
            }  # fmt: skip
            assert BULLY.split()[0] not in str(emails[0])
        else:
            assert report.priority == "standard"
            assert emails == [] and facts == []


def test_fires_once_per_group_and_evaluating_again_changes_nothing(
    services: Services, clock: FixedClock
) -> None:
    here = new_establishment(services)
    _add_lead(services, here)
    for _ in range(4):  # the fourth is still within the window of the firing
        newest = submit(services, here, people=harm()).report_id
    with services.db.transaction() as session:
        report = session.get(Report, newest)
        assert report is not None
        assert apply_cumulative_rules(session, report, services.policy, clock) == []
        firings = session.scalar(select(func.count(CumulativeFiring.id)))
        audits = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "report.cumulative_concern"
            )
        )
    assert (firings, audits) == (1, 1)
    # Once the window has passed, the same person named three more times is told again.
    clock.advance(timedelta(days=31))
    for _ in range(3):
        newest = submit(services, here, people=harm()).report_id
    with services.db.transaction() as session:
        assert len(_cumulative_emails(session, newest)) == 1


def test_never_lowers_an_immediate_report(services: Services) -> None:
    here = new_establishment(services)
    submit(services, here, people=harm())
    submit(services, here, people=harm())
    newest = submit(services, here, people=harm(), in_danger_now=True).report_id
    with services.db.transaction() as session:
        report = session.get(Report, newest)
        assert report is not None and report.priority == "immediate"
        assert _timeline(session, newest) == ["cumulative_concern"]


@pytest.mark.parametrize(
    ("gaps", "same_wing", "fires"),
    [
        ((0, 1, 1, 1), True, True),
        ((0, 1, 1), True, False),  # three: below the threshold of four
        ((0, 5, 5, 5), True, False),  # the first is 15 days before the last
        ((0, 1, 1, 1), False, False),  # one of them is about another wing
    ],
    ids=["four in 14 days", "three", "outside the window", "another wing"],
)
def test_the_same_wing_and_category(
    services: Services, clock: FixedClock, gaps: tuple[int, ...], same_wing: bool, fires: bool
) -> None:
    here = new_establishment(services)
    _add_lead(services, here)
    with services.db.transaction() as session:
        wings = list(
            session.scalars(
                select(Location.id).where(Location.establishment_id == here).order_by(Location.id)
            )
        )
    newest = 0
    for number, gap in enumerate(gaps):
        clock.advance(timedelta(days=gap))
        wing = wings[1] if number == 0 and not same_wing else wings[0]
        newest = submit(services, here, location_id=wing).report_id
    with services.db.transaction() as session:
        assert bool(_cumulative_emails(session, newest)) is fires
        report = session.get(Report, newest)
        assert report is not None and report.priority == "standard"  # this rule only alerts


def test_staff_adding_a_person_can_fire_the_rule(services: Services, clock: FixedClock) -> None:
    from safeguarding.people import FROM_STAFF, add_person

    here = new_establishment(services)
    submit(services, here, people=harm())
    submit(services, here, people=harm())
    third = submit(services, here).report_id  # the reporter gave no name
    with services.db.transaction() as session:
        report = session.get(Report, third)
        assert report is not None
        add_person(
            session, services.secrets, report_id=third, establishment_id=here,
            person=harm()[0], source=FROM_STAFF, actor="staff:1", at=clock.now(),
        )  # fmt: skip
        fired = apply_cumulative_rules(session, report, services.policy, clock)
        assert [f.report_id for f in fired] == [third]
        assert report.priority == "high"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('match = "same_wing"\ncount = 3\nwithin_days = 30\nalert = "lead"', "match"),
        ('match = "wing_and_category"\ncount = 1\nwithin_days = 30\nalert = "lead"', "count"),
        ('match = "wing_and_category"\ncount = 3\nwithin_days = 0\nalert = "lead"', "within_days"),
        (
            'match = "wing_and_category"\ncount = 3\nwithin_days = 9\nraise_to = "standard"',
            "raise_to",
        ),
        ('match = "wing_and_category"\ncount = 3\nwithin_days = 9', "does nothing"),
        ('match = "wing_and_category"\ncount = 3\nwithin_days = 9\nalert = "x"', "alert"),
        (
            'match = "wing_and_category"\ncount = 3\nwithin_days = 9\nalert = "lead"\nwhen = 1',
            "when",
        ),
    ],
)
def test_a_bad_rule_stops_start_up_naming_the_key(tmp_path: Path, rule: str, message: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(f"[[cumulative_concerns]]\n{rule}\n")
    with pytest.raises(PolicyError, match=message):
        load_policy(path)


def test_an_operator_may_turn_the_rules_off(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("cumulative_concerns = []\n")
    assert load_policy(path).cumulative == ()
    assert len(load_policy().cumulative) == 2


def _cumulative_emails(session: Session, report_id: int) -> list[dict[str, object]]:
    payloads = [json.loads(p) for p in session.scalars(select(OutboxMessage.payload))]
    return [
        p
        for p in payloads
        if p.get("template") == "cumulative_concern" and p["report_id"] == report_id
    ]


def _timeline(session: Session, report_id: int) -> list[str]:
    return list(
        session.scalars(
            select(TimelineEvent.kind).where(
                TimelineEvent.report_id == report_id, TimelineEvent.kind == "cumulative_concern"
            )
        )
    )
