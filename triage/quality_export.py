"""The quality numbers as CSV for the Safeguarding Adults Board, from the dashboard's
download or ``safereport export``.

Long format, one number a row (establishments, section, item, period, value), so it
pivots in any spreadsheet; items are ids (category, channel, language code) or a place's
name, never translated, so files from different months and readers line up. Counts from
1 to 4 are shown as "<5" unless exact numbers are asked for; every cell goes through the
audit export's neutralisation, so none runs as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from safeguarding.actions import THRESHOLD_LABELS
from safeguarding.policy import PRIORITIES
from safeguarding.quality import shown_count
from triage.audit_views import neutralise_cell
from triage.quality_data import QualityData, hours

HEADER = ("establishments", "section", "item", "period", "value")
DIMENSION_ORDER = ("category", "channel", "language", "location")


def export_name(data: QualityData) -> str:
    return f"safereport-quality-{data.months[0]}-to-{data.months[-1]}.csv"


def board_csv(data: QualityData, *, exact: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    codes = ";".join(e.code for e in data.establishments)
    for section, item, period, value in _rows(data, exact=exact):
        writer.writerow([neutralise_cell(cell) for cell in (codes, section, item, period, value)])
    return buffer.getvalue()


def _item(data: QualityData, dimension: str, key: str) -> str:
    if dimension == "location":
        return data.location_names.get(key) or "none"
    return key or "none"


def _rows(data: QualityData, *, exact: bool) -> Iterator[tuple[str, str, str, str]]:
    whole = f"{data.months[0]}..{data.months[-1]}"
    for month, count in data.totals.items():
        yield "reports", "all", month, shown_count(count, exact=exact)
    for dimension in DIMENSION_ORDER:
        for key, by_month in sorted(data.by_dimension[dimension].items()):
            item = _item(data, dimension, key)
            for month in data.months:
                shown = shown_count(by_month.get(month, 0), exact=exact)
                yield f"reports_by_{dimension}", item, month, shown
    for step, lines in (("acknowledge", data.acknowledge), ("triage", data.triage)):
        for line in lines:
            yield f"{step}_target_hours", line.priority, whole, hours(line.target)
            yield f"{step}_median_hours", line.priority, whole, hours(line.median)
            yield f"{step}_p90_hours", line.priority, whole, hours(line.p90)
            share = line.in_time_percent
            percent = "" if share is None else f"{share:.1f}"
            yield f"{step}_in_time_percent", line.priority, whole, percent
    for priority in PRIORITIES:
        overdue = shown_count(data.overdue.get(priority, 0), exact=exact)
        yield "overdue_now", priority, data.months[-1], overdue
    for agency, decision, made in data.referrals:
        if decision in THRESHOLD_LABELS:
            yield f"referrals_{decision}", agency, whole, shown_count(made, exact=exact)
    for section, answers in sorted(data.closing.items()):
        for answer, closed in sorted(answers.items()):
            yield f"closed_{section}", answer, whole, shown_count(closed, exact=exact)
