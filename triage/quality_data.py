"""The numbers behind the quality dashboard and its CSV export, gathered once for both.

For a person, only reports they may see are counted (their establishments; the restricted
queue only for the lead and the governor), like the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguarding.actions import DEADLINE_RULES
from safeguarding.policy import Policy
from safeguarding.quality import REFERRAL_EVENT_KIND, TRIAGE_EVENTS, Timeliness, timeliness
from storage.models import Establishment, Location
from storage.repositories.closing_stats import closing_counts
from storage.repositories.stats import (
    StatsScope,
    counts_by_month,
    overdue_by_priority,
    referral_counts,
    step_summaries,
)

PERIODS = (3, 6, 12, 24)  # months the dashboard can look back over
DEFAULT_PERIOD = 12


@dataclass(frozen=True)
class QualityData:
    establishments: list[Establishment]
    months: list[str]  # YYYY-MM, oldest first
    since: datetime
    until: datetime
    # dimension -> key -> month -> count ("" key: not given, e.g. no location)
    by_dimension: dict[str, dict[str, dict[str, int]]]
    acknowledge: list[Timeliness]
    triage: list[Timeliness]
    overdue: dict[str, int]
    referrals: list[tuple[str, str, int]]  # agency, decision, count
    closing: dict[str, dict[str, int]]  # Safeguarding Adults Collection closing figures
    location_names: dict[str, str]

    @property
    def totals(self) -> dict[str, int]:
        """Reports per month: every report has exactly one channel, so this is their sum."""
        return {
            month: sum(by_month.get(month, 0) for by_month in self.by_dimension["channel"].values())
            for month in self.months
        }


def month_window(now: datetime, months: int) -> tuple[list[str], datetime, datetime]:
    """The last ``months`` calendar months (UTC) up to and including this one."""
    year, month = now.year, now.month
    names = []
    for _ in range(months):
        names.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    names.reverse()
    first_year, first_month = (int(part) for part in names[0].split("-"))
    since = datetime(first_year, first_month, 1, tzinfo=UTC)
    next_year, next_month = (now.year, now.month + 1) if now.month < 12 else (now.year + 1, 1)
    return names, since, datetime(next_year, next_month, 1, tzinfo=UTC)


def gather(
    session: Session,
    *,
    establishment_ids: frozenset[int],
    queues: tuple[str, ...],
    months: int,
    policy: Policy,
    now: datetime,
) -> QualityData:
    """The numbers for ``queues`` (for a person: the queues they may see) at these places."""
    names, since, until = month_window(now, months)
    scope = StatsScope(establishment_ids, queues, since, until)
    by_dimension: dict[str, dict[str, dict[str, int]]] = {}
    for dimension, counts in counts_by_month(session, scope=scope).items():
        table: dict[str, dict[str, int]] = {}
        for found in counts:
            table.setdefault(found.key, {})[found.month] = found.count
        by_dimension[dimension] = table
    summaries = step_summaries(session, scope=scope, events=TRIAGE_EVENTS, now=now)
    return QualityData(
        establishments=list(
            session.scalars(
                select(Establishment)
                .where(Establishment.id.in_(sorted(establishment_ids)))
                .order_by(Establishment.name)
            )
        ),
        months=names,
        since=since,
        until=until,
        by_dimension=by_dimension,
        acknowledge=timeliness(summaries, step="acknowledge", policy=policy),
        triage=timeliness(summaries, step="triage", policy=policy),
        overdue=overdue_by_priority(
            session,
            establishment_ids=establishment_ids,
            queues=queues,
            rules=DEADLINE_RULES,
            now=now,
        ),
        referrals=referral_counts(session, scope=scope, kind=REFERRAL_EVENT_KIND),
        closing=closing_counts(session, scope=scope),
        location_names={
            str(location_id): name
            for location_id, name in session.execute(
                select(Location.id, Location.name).where(
                    Location.establishment_id.in_(sorted(establishment_ids))
                )
            )
        },
    )


def hours(value: object) -> str:
    """A duration in hours with two decimals, for the CSV ("" when there is none)."""
    seconds = getattr(value, "total_seconds", None)
    return f"{seconds() / 3600:.2f}" if seconds is not None else ""
