"""The patterns page: how many reports about each wing and category, week by week (issue 14).

Two drawings a safeguarding lead can read at a glance, each a heat map (triage.heatmap)
with the same numbers in a table: categories against wings over the whole window, then
for each category with reports (or the one chosen) its wings week by week. The rules (the
window, which reports count, shading, hot cells) are in safeguarding.patterns. Counts
only; reading the page is on record (``patterns.viewed``).
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from safeguarding.access import Permission, StaffPrincipal, allows
from safeguarding.patterns import (
    CATEGORY_ORDER,
    DEFAULT_WEEKS,
    HOT_WEEK_COUNT,
    MAX_WEEKS,
    MIN_WEEKS,
    Patterns,
    Place,
    category_or_none,
    clamp_weeks,
    gather_patterns,
    shade_bounds,
)
from safeguarding.reads import record_read
from storage.ids import parse_row_id
from storage.models import Establishment
from translations.i18n import _, current_language_code
from triage.guard import current_principal, services
from triage.heatmap import HeatMap, heat_map
from triage.labels import label

WEEK_CHOICES = (MIN_WEEKS, 8, DEFAULT_WEEKS, 16, MAX_WEEKS)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/patterns", "patterns", patterns_page)


def _principal() -> StaffPrincipal:
    principal = current_principal()
    if not allows(principal.role, Permission.VIEW_DASHBOARD):
        abort(403)
    return principal


def _establishments(principal: StaffPrincipal) -> frozenset[int]:
    wanted = parse_row_id(request.args.get("establishment", ""))
    if wanted is not None and wanted in principal.establishment_ids:
        return frozenset({wanted})
    return principal.establishment_ids


def patterns_page() -> ResponseReturnValue:
    principal = _principal()
    establishment_ids = _establishments(principal)
    weeks = clamp_weeks(request.args.get("weeks"))
    category = category_or_none(request.args.get("category"))
    data = _gather(principal, establishment_ids, weeks, category)
    options = _establishment_options(principal)
    many = len(establishment_ids) > 1
    names = {p.key: place_name(p, with_establishment=many) for p in data.places}
    return render_template(
        "triage/patterns.html",
        data=data,
        names=names,
        week_names=[week_name(w) for w in data.weeks],
        matrix=_matrix(data, names),
        by_week=[(c, _weekly(data, names, c)) for c in data.categories],
        hot=data.hot_spots(),
        hot_at=HOT_WEEK_COUNT,
        long_week=long_week,
        scope_names=[name for i, name in options if int(i) in establishment_ids],
        weeks=weeks,
        category=category or "",
        week_options=_week_options(),
        category_options=[(c, label("category", c)) for c in CATEGORY_ORDER],
        establishment_options=options,
        errors={},
    )


def _gather(
    principal: StaffPrincipal, establishment_ids: frozenset[int], weeks: int, category: str | None
) -> Patterns:
    """The counts, and the read on record in the same transaction."""
    svc = services()
    with svc.db.transaction() as session:
        data = gather_patterns(
            session, principal=principal, establishment_ids=establishment_ids,
            weeks=weeks, category=category, now=svc.clock.now(),
        )  # fmt: skip
        record_read(
            session, at=svc.clock.now(), actor=principal.actor, action="patterns.viewed",
            detail={"establishments": sorted(establishment_ids), "weeks": weeks,
                    "category": category or ""},
        )  # fmt: skip
    return data


def _week_options() -> list[tuple[str, str]]:
    return [
        # Translators: a choice of period on the patterns page.
        (str(n), _("Last %(count)d weeks", count=n))
        for n in WEEK_CHOICES
    ]


def _establishment_options(principal: StaffPrincipal) -> list[tuple[str, str]]:
    with services().db.transaction() as session:
        found = session.execute(
            select(Establishment.id, Establishment.name)
            .where(Establishment.id.in_(sorted(principal.establishment_ids)))
            .order_by(Establishment.name)
        )
        return [(str(i), str(name)) for i, name in found]


def place_name(place: Place, *, with_establishment: bool) -> str:
    # Translators: on the patterns page: reports where no wing or place was given.
    name = place.name if place.name is not None else _("Not known")
    if not with_establishment:
        return name
    # Translators: a wing or place and its establishment, e.g. "A Wing, HMP Alpha".
    return _("%(place)s, %(establishment)s", place=name, establishment=place.establishment)


def week_name(monday: date) -> str:
    """A week by its Monday, e.g. "16 Nov", in the reader's language."""
    return format_date(monday, "d MMM", locale=current_language_code() or "en")


def long_week(monday: date) -> str:
    """A week by its Monday with the year, e.g. "16 Nov 2026"."""
    return format_date(monday, "d MMM yyyy", locale=current_language_code() or "en")


def _matrix(data: Patterns, names: dict[str, str]) -> HeatMap:
    rows = [label("category", c) for c in data.categories]
    columns = [names[p.key] for p in data.places]
    counts = [[data.total(p, c) for p in data.places] for c in data.categories]
    # Translators: title of the heat map of reports by category and wing on the patterns page.
    title = _("Reports by category and wing, last %(weeks)d weeks", weeks=len(data.weeks))
    return heat_map(
        "heat-matrix", title, _summary(counts, rows, columns),
        rows=rows, columns=columns, counts=counts,
        bounds=shade_bounds(max((n for row in counts for n in row), default=0)),
        hot_at=None, cell_title=_matrix_title, widest=110,
    )  # fmt: skip


def _matrix_title(row: str, column: str, count: int) -> str:
    # Translators: tooltip of one cell of the patterns heat map: a category, a wing, and
    # the number of reports, e.g. "Bullying and debt, B Wing: 3".
    return _("%(category)s, %(place)s: %(count)d", category=row, place=column, count=count)


def _weekly(data: Patterns, names: dict[str, str], category: str) -> HeatMap:
    rows = [names[p.key] for p in data.places]
    columns = [week_name(w) for w in data.weeks]
    counts = [[data.count(p, category, w) for w in data.weeks] for p in data.places]
    # Translators: title of a heat map on the patterns page: one category, wing by week.
    title = _("%(category)s: reports by wing, each week", category=label("category", category))

    def cell_title(row: str, column: str, count: int) -> str:
        # Translators: tooltip of one cell of the patterns heat map: a wing, the week (by
        # its Monday, e.g. "16 Nov") and the number of reports.
        return _("%(place)s, week of %(week)s: %(count)d", place=row, week=column, count=count)

    top = max((n for row in counts for n in row), default=0)
    return heat_map(
        f"heat-{category}", title, _summary(counts, rows, columns),
        rows=rows, columns=columns, counts=counts, bounds=shade_bounds(top),
        hot_at=HOT_WEEK_COUNT, cell_title=cell_title,
    )  # fmt: skip


def _summary(counts: list[list[int]], rows: list[str], columns: list[str]) -> str:
    found = [(n, r, c) for r, row in enumerate(counts) for c, n in enumerate(row) if n]
    if not found:
        # Translators: summary of an empty heat map for screen readers.
        return _("There were no reports in this period.")
    most, r, c = max(found, key=lambda item: (item[0], -item[1], -item[2]))
    # Translators: summary of a heat map for screen readers: the total and the busiest cell.
    return _(
        "%(total)d reports. The most: %(row)s, %(column)s, %(most)d.",
        total=sum(n for n, _r, _c in found), row=rows[r], column=columns[c], most=most,
    )  # fmt: skip
