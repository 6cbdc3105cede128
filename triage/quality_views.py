"""The quality-assurance dashboard and its CSV export for the Safeguarding Adults Board.

Charts are SVG drawn here on the server (triage.charts), each with its numbers in a table
beside it; the export uses the audit export's neutralisation so no cell runs as a formula.
Viewing and exporting are audit events.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from safeguarding.access import Permission, StaffPrincipal, allows, visible_queues
from safeguarding.agencies import AGENCY_LABELS
from safeguarding.policy import PRIORITIES
from safeguarding.quality import Timeliness
from safeguarding.reads import record_read
from storage.ids import parse_row_id
from storage.models import Establishment
from translations.i18n import _
from triage.charts import Chart, horizontal_bars, month_columns, small_multiples
from triage.guard import current_principal, services
from triage.labels import label, language_name
from triage.quality_data import DEFAULT_PERIOD, PERIODS, QualityData, gather
from triage.quality_export import board_csv, export_name

DIMENSION_ORDER = ("category", "channel", "language", "location")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/quality", "quality", dashboard)
    bp.add_url_rule("/quality/export.csv", "quality_export", export)


def _principal() -> StaffPrincipal:
    principal = current_principal()
    if not allows(principal.role, Permission.VIEW_DASHBOARD):
        abort(403)
    return principal


def _choices(principal: StaffPrincipal) -> tuple[frozenset[int], int]:
    wanted = parse_row_id(request.args.get("establishment", ""))
    chosen = (
        frozenset({wanted})
        if wanted is not None and wanted in principal.establishment_ids
        else principal.establishment_ids
    )
    period = request.args.get("months", "")
    months = next((p for p in PERIODS if str(p) == period), DEFAULT_PERIOD)
    return chosen, months


def _gather(principal: StaffPrincipal, action: str, extra: dict[str, object]) -> QualityData:
    establishment_ids, months = _choices(principal)
    svc = services()
    with svc.db.transaction() as session:
        data = gather(
            session,
            establishment_ids=establishment_ids,
            queues=visible_queues(principal),
            months=months,
            policy=svc.policy,
            now=svc.clock.now(),
        )
        record_read(
            session,
            at=svc.clock.now(),
            actor=principal.actor,
            action=action,
            detail={"establishments": sorted(establishment_ids), "months": months, **extra},
        )
    return data


def _export_query() -> dict[str, str]:
    """The dashboard's own filters for its download links: only those, so that an odd query
    (``?exact=1``, ``?endpoint=x``) cannot clash with url_for's own arguments."""
    return {k: v for k in ("establishment", "months") if (v := request.args.get(k, ""))}


def dashboard() -> ResponseReturnValue:
    principal = _principal()
    data = _gather(principal, "quality.viewed", {})
    return render_template(
        "triage/quality.html",
        data=data,
        periods=PERIODS,
        chosen_months=len(data.months),
        shows_restricted=allows(principal.role, Permission.VIEW_RESTRICTED),
        totals_chart=_totals_chart(data),
        dimensions=[_dimension(data, name) for name in DIMENSION_ORDER],
        timeliness=[
            (step, rows, _timeliness_chart(step, rows))
            for step, rows in (("acknowledge", data.acknowledge), ("triage", data.triage))
        ],
        overdue_chart=_overdue_chart(data),
        referrals=_referral_rows(data),
        referrals_chart=_referrals_chart(data),
        duration=duration_text,
        establishment_options=[(str(e.id), e.name) for e in _member_establishments(principal)],
        export_query=_export_query(),
        period_options=[
            # Translators: a choice of period on the dashboard.
            (str(months), _("Last %(count)d months", count=months))
            for months in PERIODS
        ],
        may_practice_audit=allows(principal.role, Permission.PRACTICE_AUDIT),
        errors={},
    )


def _member_establishments(principal: StaffPrincipal) -> list[Establishment]:
    with services().db.transaction() as session:
        return list(
            session.scalars(
                select(Establishment)
                .where(Establishment.id.in_(sorted(principal.establishment_ids)))
                .order_by(Establishment.name)
            )
        )


NOTHING = "\u2013"  # an en dash where there is no value


def duration_text(value: timedelta | None) -> str:
    if value is None:
        return NOTHING
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        # Translators: a response time on the quality dashboard, e.g. "12 min".
        return _("%(minutes)d min", minutes=minutes)
    if minutes < 48 * 60:
        # Translators: a response time on the quality dashboard, e.g. "3 h 05 min".
        return _("%(hours)d h %(minutes)02d min", hours=minutes // 60, minutes=minutes % 60)
    # Translators: a response time on the quality dashboard, e.g. "4 days 3 h".
    return _("%(days)d days %(hours)d h", days=minutes // 1440, hours=minutes % 1440 // 60)


def key_label(data: QualityData, dimension: str, key: str) -> str:
    if dimension == "language":
        return language_name(key)
    if dimension == "location":
        # Translators: on the quality dashboard: reports where no wing or place was given.
        return data.location_names.get(key) or _("Somewhere else or not given")
    return label(dimension, key)


def _totals_chart(data: QualityData) -> Chart:
    totals = data.totals
    busiest = max(data.months, key=lambda month: totals[month])
    # Translators: title of the chart of reports received each month.
    title = _("Reports received each month")
    # Translators: summary of the monthly reports chart for screen readers.
    description = _(
        "%(total)d reports from %(first)s to %(last)s. The most were in %(busiest)s: %(most)d.",
        total=sum(totals.values()), first=data.months[0], last=data.months[-1],
        busiest=busiest, most=totals[busiest],
    )  # fmt: skip
    return month_columns("chart-reports", title, description, list(totals.items()))


def _dimension(data: QualityData, dimension: str) -> dict[str, object]:
    table = data.by_dimension[dimension]
    rows = sorted(
        (
            (key_label(data, dimension, key), [by_month.get(m, 0) for m in data.months])
            for key, by_month in table.items()
        ),
        key=lambda row: (-sum(row[1]), row[0]),
    )
    headings = {
        # Translators: heading on the quality dashboard.
        "category": _("Reports by category"),
        # Translators: heading on the quality dashboard.
        "channel": _("Reports by how they were made"),
        # Translators: heading on the quality dashboard.
        "language": _("Reports by language"),
        # Translators: heading on the quality dashboard.
        "location": _("Reports by wing or place"),
    }
    if rows:
        # Translators: summary of a chart for screen readers; %(top)s is e.g. a category.
        description = _(
            "Each row is one month after another. The most often: %(top)s, %(count)d.",
            top=rows[0][0], count=sum(rows[0][1]),
        )  # fmt: skip
    else:
        # Translators: summary of an empty chart for screen readers.
        description = _("There were no reports in this period.")
    chart = small_multiples(
        f"chart-{dimension}", headings[dimension], description, data.months, rows
    )
    return {"name": dimension, "heading": headings[dimension], "chart": chart, "rows": rows}


def _timeliness_chart(step: str, rows: list[Timeliness]) -> Chart:
    if step == "acknowledge":
        # Translators: title of a chart on the quality dashboard.
        title = _("Share acknowledged in time, by priority")
    else:
        # Translators: title of a chart on the quality dashboard.
        title = _("Share triaged in time, by priority")
    bars = [
        (label("priority", row.priority), row.in_time_percent or 0.0, _percent(row)) for row in rows
    ]
    # Translators: summary of a chart for screen readers: percentages by priority.
    description = _(
        "Percent in time: %(values)s.",
        values="; ".join(f"{name} {shown}" for name, _value, shown in bars),
    )
    return horizontal_bars(f"chart-{step}", title, description, bars, maximum=100.0)


def _percent(row: Timeliness) -> str:
    share = row.in_time_percent
    return NOTHING if share is None else f"{share:.0f}%"


def _overdue_chart(data: QualityData) -> Chart:
    bars = [
        (label("priority", p), float(data.overdue.get(p, 0)), str(data.overdue.get(p, 0)))
        for p in PRIORITIES
    ]
    # Translators: title of a chart on the quality dashboard.
    title = _("Overdue now, by priority")
    # Translators: summary of a chart for screen readers.
    description = _("%(count)d reports are overdue now.", count=sum(data.overdue.values()))
    return horizontal_bars("chart-overdue", title, description, bars, tone="late")


def _referral_rows(data: QualityData) -> list[tuple[str, int, int]]:
    counts = {(agency, decision): count for agency, decision, count in data.referrals}
    return [
        (label("agency", a), counts.get((a, "met"), 0), counts.get((a, "not_met"), 0))
        for a in AGENCY_LABELS
    ]


def _referrals_chart(data: QualityData) -> Chart:
    made = [(name, met) for name, met, _not_met in _referral_rows(data)]
    # Translators: title of a chart on the quality dashboard.
    title = _("Referrals made (threshold met), by agency")
    # Translators: summary of a chart for screen readers.
    description = _(
        "%(count)d referrals made in this period.", count=sum(met for _name, met in made)
    )
    rows = [(name, float(met), str(met)) for name, met in made]
    return horizontal_bars("chart-referrals", title, description, rows)


# --- CSV for the Safeguarding Adults Board --------------------------------------------


def export() -> ResponseReturnValue:
    principal = _principal()
    exact = request.args.get("exact") == "1"
    data = _gather(principal, "quality.exported", {"exact": exact})
    response = Response(board_csv(data, exact=exact), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{export_name(data)}"'
    return response
