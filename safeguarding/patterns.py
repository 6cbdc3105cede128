"""Patterns: how many reports about each wing and category, week by week (issue 14).

The rules, free of Flask, for the patterns page and the daily digest's patterns section:
- the window: the current ISO week (UTC) and the weeks before it, DEFAULT_WEEKS unless the
  reader asks for MIN_WEEKS to MAX_WEEKS;
- which reports count: those received in the window, at the reader's establishments, in
  the queues the reader may see (safeguarding.access.visible_queues: the restricted queue
  only for the lead and the governor), once in each of their categories;
- how a count is shaded (5 steps, 0 for none) and when a wing, category and week is hot;
- the digest's pairs: a wing and category with DIGEST_MIN_COUNT or more reports in the
  last DIGEST_DAYS.
Counts only: nothing a report says is read, and no report is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from safeguarding.access import (
    QUEUES,
    Permission,
    Role,
    StaffPrincipal,
    require_permission,
    visible_queues,
)
from safeguarding.catalogue import Category
from storage.repositories.patterns import (
    PlaceCount,
    counts_by_place_category,
    counts_by_place_category_week,
    establishment_names,
    place_names,
)
from storage.repositories.stats import StatsScope

DEFAULT_WEEKS = 12
MIN_WEEKS = 4
MAX_WEEKS = 26
# A wing, category and week with this many reports or more is hot: three reports about one
# wing and one category in a week is worth a look, whatever each report's priority.
HOT_WEEK_COUNT = 3
SHADES = 5  # 0 (none) to 4 (the most in the drawing)
DIGEST_DAYS = 14
DIGEST_MIN_COUNT = 2
DIGEST_MOST = 10  # pairs listed in an email; the page has the rest
CATEGORY_ORDER = tuple(category.value for category in Category)


@dataclass(frozen=True)
class Place:
    """A row of the patterns: a location, or "not known" at one establishment."""

    key: str  # "<establishment id>:<location id>" or "<establishment id>:-"
    establishment_id: int
    establishment: str
    location_id: int | None
    name: str | None  # None: no place given (the door says so in the reader's language)


@dataclass(frozen=True)
class HotSpot:
    place: Place
    category: str
    week: date
    count: int


@dataclass(frozen=True)
class Patterns:
    weeks: list[date]  # the Mondays, oldest first
    since: datetime
    until: datetime
    places: list[Place]
    categories: list[str]  # with a report in the window (or the one asked for), in order
    counts: dict[tuple[str, str, date], int]  # (place key, category, week) -> reports
    restricted_counted: bool

    def count(self, place: Place, category: str, week: date) -> int:
        return self.counts.get((place.key, category, week), 0)

    def total(self, place: Place, category: str) -> int:
        return sum(self.count(place, category, week) for week in self.weeks)

    def category_total(self, category: str) -> int:
        return sum(self.total(place, category) for place in self.places)

    def hot_spots(self) -> list[HotSpot]:
        """Every wing, category and week with HOT_WEEK_COUNT reports or more, most first."""
        by_key = {place.key: place for place in self.places}
        hot = [
            HotSpot(by_key[key], category, week, count)
            for (key, category, week), count in self.counts.items()
            if count >= HOT_WEEK_COUNT and key in by_key
        ]
        return sorted(hot, key=lambda h: (-h.count, -h.week.toordinal(), h.place.key, h.category))


def clamp_weeks(asked: str | int | None) -> int:
    """The number of weeks to show: DEFAULT_WEEKS, or what was asked within the limits."""
    try:
        weeks = int(asked) if asked not in (None, "") else DEFAULT_WEEKS
    except (TypeError, ValueError):
        return DEFAULT_WEEKS
    return min(max(weeks, MIN_WEEKS), MAX_WEEKS)


def week_window(now: datetime, weeks: int) -> tuple[list[date], datetime, datetime]:
    """The last ``weeks`` ISO weeks (UTC) up to and including this one: their Mondays, the
    first Monday's midnight, and the next Monday's midnight."""
    today = now.astimezone(UTC).date()
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    since = datetime.combine(mondays[0], datetime.min.time(), tzinfo=UTC)
    until = datetime.combine(this_monday + timedelta(weeks=1), datetime.min.time(), tzinfo=UTC)
    return mondays, since, until


def shade_bounds(top: int) -> tuple[int, ...]:
    """The smallest count of each shade from 1 to SHADES - 1, for a drawing whose largest
    count is ``top``: the range 1..top cut into equal bands, and small counts one a shade."""
    bounds = [1]
    for step in range(1, SHADES - 1):
        even = 1 + -(-(max(top, 1) - 1) * step // (SHADES - 1))
        bounds.append(max(even, bounds[-1] + 1))
    return tuple(bounds)


def shade(count: int, bounds: Sequence[int]) -> int:
    """0 for no report, else the darkest shade whose smallest count this reaches."""
    return sum(1 for bound in bounds if count >= bound)


def category_or_none(asked: str | None) -> str | None:
    return asked if asked in CATEGORY_ORDER else None


def gather_patterns(
    session: Session,
    *,
    principal: StaffPrincipal,
    establishment_ids: frozenset[int],
    weeks: int,
    category: str | None,
    now: datetime,
) -> Patterns:
    """The counts ``principal`` may see at these establishments (only theirs are kept)."""
    require_permission(principal, Permission.VIEW_DASHBOARD)
    places_in = establishment_ids & principal.establishment_ids
    queues = visible_queues(principal)
    mondays, since, until = week_window(now, clamp_weeks(weeks))
    found = counts_by_place_category_week(
        session, scope=StatsScope(places_in, queues, since, until), category=category
    )
    places = _places(session, places_in, found)
    known = {p.location_id for p in places if p.location_id is not None}
    counts: dict[tuple[str, str, date], int] = {}
    for c in found:
        where = c.location_id if c.location_id in known else "-"
        key = (f"{c.establishment_id}:{where}", c.category, date.fromisoformat(c.week))
        counts[key] = counts.get(key, 0) + c.count
    shown = {c.category for c in found} | ({category} if category else set())
    return Patterns(
        weeks=mondays,
        since=since,
        until=until,
        places=places,
        categories=[c for c in CATEGORY_ORDER if c in shown],
        counts=counts,
        restricted_counted=set(queues) == set(QUEUES),
    )


def _places(
    session: Session, establishment_ids: frozenset[int], found: list[PlaceCount]
) -> list[Place]:
    """Every location of the establishments (a quiet wing is worth seeing too), then "not
    known" for an establishment with reports that gave no place."""
    names = establishment_names(session, establishment_ids=establishment_ids)
    places = [
        Place(f"{p.establishment_id}:{p.location_id}", p.establishment_id, p.establishment,
              p.location_id, p.name)
        for p in place_names(session, establishment_ids=establishment_ids)
    ]  # fmt: skip
    known = {p.location_id for p in places}
    unplaced = sorted({c.establishment_id for c in found if c.location_id not in known})
    places += [Place(f"{e}:-", e, names.get(e, ""), None, None) for e in unplaced]
    return places


def queues_of_role(role: str) -> tuple[str, ...]:
    """The queues someone in ``role`` may see (an on-call contact's role, e.g. "lead"); a
    role that is not a staff role (e.g. "duty_governor" on the on-call chain) sees none."""
    try:
        known = Role(role)
    except ValueError:
        return ()
    return visible_queues(StaffPrincipal(0, known, frozenset()))


def _place_order(pair: tuple[str | None, str]) -> tuple[bool, str, str]:
    """Named places by name, then no place given; then the category."""
    place, category = pair
    return place is None, place or "", category


@dataclass(frozen=True)
class DigestPattern:
    location_name: str | None  # None: no place given
    category: str
    count: int


def digest_patterns(
    session: Session, *, establishment_id: int, queues: tuple[str, ...], now: datetime
) -> tuple[list[DigestPattern], int]:
    """For the daily digest: the wing and category pairs with DIGEST_MIN_COUNT reports or
    more received in the last DIGEST_DAYS, most first (at most DIGEST_MOST), and how many
    such pairs there are in all. ``queues``: those the digest's recipient may see."""
    scope = StatsScope(
        frozenset({establishment_id}), queues, now - timedelta(days=DIGEST_DAYS), now
    )
    found = counts_by_place_category(session, scope=scope, at_least=DIGEST_MIN_COUNT)
    names = {
        p.location_id: p.name
        for p in place_names(session, establishment_ids=frozenset({establishment_id}))
    }
    pairs: dict[tuple[str | None, str], int] = {}
    for c in found:
        place = names.get(c.location_id) if c.location_id is not None else None
        pairs[(place, c.category)] = pairs.get((place, c.category), 0) + c.count
    listed = sorted(pairs.items(), key=lambda item: (-item[1], *_place_order(item[0])))
    return [DigestPattern(p, c, n) for (p, c), n in listed[:DIGEST_MOST]], len(listed)
