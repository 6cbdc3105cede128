"""The counts per wing, category, day and queue that the case page's "N reports about B wing
and bullying in 14 days" adds up (migration 0037, kept by database triggers).

They must stay true however a report changes: a prisoner's report arriving at the kiosk, a
caller naming the wing after the report is saved, a lead re-categorising, a report moving
to the restricted or independent queue, a report purged after its retention time. And the
numbers shown must be the numbers a report-by-report count gives, under the same access
tests: a deputy, or an officer a report names, sees those reports as a bare count only.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from safeguarding.access import Role, StaffPrincipal, may_see_report, visible_queues
from safeguarding.actions import ActionContext
from safeguarding.call_wing import place_report
from safeguarding.clock import FixedClock
from safeguarding.conflicts import name_indexes, named_indexes
from safeguarding.people import CAUSING_HARM, PersonGiven
from safeguarding.recategorise import recategorise
from safeguarding.retention import purge_expired_batch
from safeguarding.services import Services
from safeguarding.suggestions import Scope
from storage.models import Location, PlaceDayCount, Report
from storage.repositories import suggestions as repo
from tests.factories import new_establishment, submit

Key = tuple[int, str, str, str, int]  # wing, category, day, queue, establishment


def stored(session: Session) -> Counter[Key]:
    return Counter(
        {
            (row.location_id, row.category, row.day.isoformat(), row.queue, row.establishment_id):
            row.reports
            for row in session.scalars(select(PlaceDayCount))
        }
    )  # fmt: skip


def recounted(session: Session) -> Counter[Key]:
    """The same counts, one report at a time, in Python."""
    counts: Counter[Key] = Counter()
    for report in session.scalars(select(Report).where(Report.location_id.is_not(None))):
        assert report.location_id is not None
        day = report.created_at.astimezone(UTC).date().isoformat()
        for category in report.categories:
            key = (report.location_id, category.category, day, report.queue)
            counts[(*key, report.establishment_id)] += 1
    return counts


def assert_true(services: Services) -> None:
    with services.db.transaction() as session:
        kept = stored(session)
        assert kept == recounted(session)
        assert all(number > 0 for number in kept.values())  # no row left at zero


def wings(services: Services, establishment_id: int) -> list[int]:
    with services.db.transaction() as session:
        return list(
            session.scalars(
                select(Location.id)
                .where(Location.establishment_id == establishment_id)
                .order_by(Location.id)
            )
        )


def lead_of(establishment_id: int) -> StaffPrincipal:
    return StaffPrincipal(1, Role.LEAD, frozenset({establishment_id}), "Lena Lead")


def test_kept_true_through_a_reports_life(services: Services, clock: FixedClock) -> None:
    here = new_establishment(services)
    a_wing, b_wing = wings(services, here)[:2]
    bullied = submit(services, here, location_id=a_wing).report_id
    assert_true(services)
    with services.db.transaction() as session:
        assert sum(stored(session).values()) == 2  # bullying or debt, and psychological
    # A caller names the wing after the report is saved: counted from then.
    by_phone = submit(services, here, channel="phone", concerns=["sexual"]).report_id
    assert_true(services)
    with services.db.transaction() as session:
        report = session.get(Report, by_phone)
        assert report is not None
        place_report(session, report=report, location_id=b_wing, at=clock.now())
    assert_true(services)
    with services.db.transaction() as session:
        assert stored(session)[(b_wing, "sexual", clock.now().date().isoformat(), "general", here)]
    # A lead re-categorises: the old categories stop counting, the new ones start; staff
    # misconduct moves the report to the restricted queue in the same step.
    with services.db.transaction() as session:
        report = session.get(Report, bullied)
        assert report is not None
        ctx = ActionContext(session, lead_of(here), clock, services.secrets.vault)
        recategorise(
            ctx, report, categories=["staff_misconduct"], reason="He said it was an officer.",
            policy=services.policy,
        )  # fmt: skip
    assert_true(services)
    with services.db.transaction() as session:
        day = clock.now().date().isoformat()
        assert stored(session)[(a_wing, "staff_misconduct", day, "restricted", here)] == 1
        assert not stored(session)[(a_wing, "bullying_debt", day, "general", here)]


def test_kept_true_when_a_report_moves_queue_wing_or_day(
    services: Services, clock: FixedClock
) -> None:
    here = new_establishment(services)
    a_wing, b_wing = wings(services, here)[:2]
    first = submit(services, here, location_id=a_wing).report_id
    submit(services, here, location_id=a_wing)
    for change in (
        {"queue": "independent"},
        {"location_id": b_wing},
        {"created_at": clock.now() - timedelta(days=3)},
        {"location_id": None},
        {"location_id": a_wing, "queue": "restricted"},
    ):
        with services.db.transaction() as session:
            session.execute(update(Report).where(Report.id == first).values(**change))
        assert_true(services)


def test_a_purged_report_leaves_nothing_behind(services: Services, clock: FixedClock) -> None:
    here = new_establishment(services)
    a_wing = wings(services, here)[0]
    old = submit(services, here, location_id=a_wing, concerns=["sexual"]).report_id
    clock.advance(timedelta(days=1))
    submit(services, here, location_id=a_wing)  # the newest report is always kept
    with services.db.transaction() as session:
        long_ago = clock.now().replace(year=clock.now().year - 10)
        session.execute(
            update(Report).where(Report.id == old).values(status="closed", closed_at=long_ago)
        )
    with services.db.transaction() as session:
        batch = purge_expired_batch(session, policy=services.policy, clock=services.clock)
    assert [item.report_id for item in batch.purged] == [old]
    assert_true(services)
    with services.db.transaction() as session:
        assert {key[1] for key in stored(session)} == {"bullying_debt", "psychological"}


def by_hand(
    session: Session, place: repo.Place, leave_out: int, principal: StaffPrincipal
) -> dict[str, tuple[int, int]]:
    """Report by report, in Python, with the access rule itself (may_see_report)."""
    counts: dict[str, tuple[int, int]] = {}
    for report in session.scalars(select(Report).where(Report.location_id == place.location_id)):
        if report.id == leave_out or not place.since <= report.created_at <= place.until:
            continue
        scope = Scope(report.establishment_id, report.queue, named_indexes(session, report.id))
        readable = may_see_report(principal, scope)
        for category in report.categories:
            if category.category in place.categories:
                seen, hidden = counts.get(category.category, (0, 0))
                counts[category.category] = (seen + readable, hidden + (not readable))
    return counts


def set_clock(clock: FixedClock, at: datetime) -> None:
    clock.advance(at - clock.now())


def test_the_counts_are_what_counting_one_by_one_gives(
    services: Services, clock: FixedClock
) -> None:
    """Over part-days, exact midnights, restricted reports and a report naming the reader."""
    here = new_establishment(services)
    elsewhere = new_establishment(services)
    a_wing, b_wing = wings(services, here)[:2]
    there = wings(services, elsewhere)[0]
    officer = "Olwen Officer"
    started = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    ids = []
    for hours in range(0, 24 * 12, 9):
        set_clock(clock, started + timedelta(hours=hours))
        ids.append(submit(services, here, location_id=a_wing).report_id)
        if hours % 2 == 0:
            submit(services, here, location_id=a_wing, staff_involved="yes")
        if hours % 5 == 0:
            named = (PersonGiven(CAUSING_HARM, "staff", "name", officer),)
            submit(services, here, location_id=a_wing, people=named, staff_involved="no")
        if hours % 11 == 0:
            submit(services, here, location_id=b_wing)
            submit(services, elsewhere, location_id=there)
    windows = (
        timedelta(days=5),
        timedelta(days=1),
        timedelta(hours=11),
        timedelta(days=2, hours=3),
    )
    with services.db.transaction() as session:
        for case_id, window, role, name in itertools.product(
            (ids[0], ids[len(ids) // 2], ids[-1]), windows, (Role.LEAD, Role.DEPUTY),
            (officer, "Lena Lead"),
        ):  # fmt: skip
            case = session.get(Report, case_id)
            assert case is not None and case.location_id is not None
            categories = frozenset(c.category for c in case.categories)
            principal = StaffPrincipal(
                1, role, frozenset({here}), name, name_indexes(session, name)
            )
            reader = repo.Visibility(
                principal.establishment_ids, visible_queues(principal), principal.name_indexes
            )
            left = repo.LeftOut(
                case.id, case.establishment_id, case.location_id, case.queue, case.created_at,
                categories,
            )  # fmt: skip
            for centre in (case.created_at, started + timedelta(days=6)):
                place = repo.Place(case.location_id, categories, centre - window, centre + window)
                got = repo.place_counts(session, place, leave_out=left, open_to=reader)
                assert got == by_hand(session, place, case.id, principal)
                if window >= timedelta(days=1) and (role == Role.DEPUTY or name == officer):
                    # Restricted reports, and those naming the reader: a number only.
                    assert any(hidden for _seen, hidden in got.values())


def test_midnight_to_midnight_uses_only_whole_days(services: Services, clock: FixedClock) -> None:
    here = new_establishment(services)
    a_wing = wings(services, here)[0]
    midnight = datetime(2026, 3, 1, tzinfo=UTC)
    for at in (midnight - timedelta(microseconds=1), midnight, midnight + timedelta(days=2)):
        set_clock(clock, at)
        submit(services, here, location_id=a_wing, concerns=["sexual"])
    reader = repo.Visibility(frozenset({here}), visible_queues(lead_of(here)), frozenset())
    place = repo.Place(a_wing, frozenset({"sexual"}), midnight, midnight + timedelta(days=2))
    nobody = repo.LeftOut(0, here, None, "general", midnight, frozenset())
    with services.db.transaction() as session:
        got = repo.place_counts(session, place, leave_out=nobody, open_to=reader)
    assert got == {"sexual": (2, 0)}  # the first is a microsecond too early
