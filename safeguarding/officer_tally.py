"""The officer tally: how many reports name each member of staff, by quarter and category.

For the safeguarding lead and the governor only (Permission.VIEW_OFFICER_TALLY): a pattern
of low-level concerns about one officer is what a single report never shows. Reports are
grouped by the blind index of the identifier that names the officer (any role: at risk or
causing the harm), so the same name written differently counts once; nothing is opened to
group them. Each group is shown by the identifier opened from one of its rows.

What is counted is what the viewer may read, and nothing else:
- reports at their establishments, in the queues their role reads (general and restricted);
  reports in the independent queue name a lead or governor, so they are never counted here;
- not a report that names the viewer, and never a group for the viewer's own name
  (conflict of interest: they would learn how often they are accused).
While a blind-index key is being rotated, one officer may show as two groups until the
re-indexing finishes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy.orm import Session

from safeguarding.access import Permission, StaffPrincipal, require_permission, visible_queues
from storage.crypto import Vault
from storage.models import ReportPerson
from storage.repositories.officer_tally import (
    StaffMention,
    fetch_categories,
    fetch_staff_mentions,
)
from storage.sealed_fields import PERSON_IDENTIFIER

QUARTERS_SHOWN = 4  # the last twelve months, the current quarter last


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1..4

    def start(self, tz: tzinfo | None) -> datetime:
        return datetime(self.year, 3 * self.number - 2, 1, tzinfo=tz)


@dataclass(frozen=True)
class TallyGroup:
    identifier_kind: str | None
    identifier: str | None  # opened from one row of the group
    total: int  # reports naming them in the period
    by_quarter: tuple[int, ...]  # in the order of OfficerTally.quarters
    by_category: tuple[tuple[str, int], ...]  # most reports first


@dataclass(frozen=True)
class OfficerTally:
    quarters: tuple[Quarter, ...]
    groups: tuple[TallyGroup, ...]  # most named first


def quarters_to(now: datetime) -> tuple[Quarter, ...]:
    """The last QUARTERS_SHOWN quarters, oldest first, ending with the one ``now`` is in."""
    index = now.year * 4 + (now.month - 1) // 3
    return tuple(Quarter(i // 4, i % 4 + 1) for i in range(index - QUARTERS_SHOWN + 1, index + 1))


def officer_tally(
    session: Session, principal: StaffPrincipal, vault: Vault, *, now: datetime
) -> OfficerTally:
    """The tally as ``principal`` may see it (AccessDenied for any other role)."""
    require_permission(principal, Permission.VIEW_OFFICER_TALLY)
    quarters = quarters_to(now)
    mentions = fetch_staff_mentions(
        session,
        establishment_ids=principal.establishment_ids,
        queues=visible_queues(principal),
        since=quarters[0].start(now.tzinfo),
        hidden_indexes=principal.name_indexes,
    )
    categories = fetch_categories(session, [m.report_id for m in mentions])
    by_index: dict[str, list[StaffMention]] = {}
    for mention in mentions:
        if mention.blind_index not in principal.name_indexes:
            by_index.setdefault(mention.blind_index, []).append(mention)
    groups = [_group(session, vault, group, quarters, categories) for group in by_index.values()]
    groups.sort(key=lambda g: (-g.total, g.identifier or ""))
    return OfficerTally(quarters, tuple(groups))


def _group(
    session: Session,
    vault: Vault,
    mentions: list[StaffMention],
    quarters: tuple[Quarter, ...],
    categories: dict[int, list[str]],
) -> TallyGroup:
    shown = session.get(ReportPerson, min(m.person_id for m in mentions))
    counted = Counter(_quarter_of(m.created_at) for m in mentions)
    per_category = Counter(c for m in mentions for c in categories.get(m.report_id, []))
    return TallyGroup(
        identifier_kind=shown.identifier_kind if shown is not None else None,
        identifier=PERSON_IDENTIFIER.open_text(vault, shown) if shown is not None else None,
        total=len(mentions),
        by_quarter=tuple(counted.get(q, 0) for q in quarters),
        by_category=tuple(sorted(per_category.items(), key=lambda item: (-item[1], item[0]))),
    )


def _quarter_of(at: datetime) -> Quarter:
    return Quarter(at.year, (at.month - 1) // 3 + 1)
