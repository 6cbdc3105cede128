"""Charts as SVG drawn on the server: the geometry here, the markup in _charts.html.

No script and no inline style (the CSP allows neither): shapes carry classes that
triage.css colours. Each chart is an image with a title and a description for screen
readers, and the page puts the same numbers in a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 250  # room for the labels left of the small multiples
MAX_LABEL_CHARS = 32  # longer names are shortened in the drawing (the table has them whole)
VALUE_ROOM = 50  # room for the number right of the longest bar
ROW_HEIGHT = 26
BAR_HEIGHT = 18
COLUMN_AREA_HEIGHT = 160
AXIS_ROOM = 24
# Horizontal bars sit in half a column: a narrower drawing keeps their text readable.
BARS_WIDTH = 360
BARS_ROW = 44
BARS_LABEL_ROOM = 20
MONTH_LABEL_ROOM = 48  # "26-11" at 15 px, and a gap


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as printed beside the bar
    x: float
    y: float
    width: float
    height: float
    tone: str = ""  # an extra class, e.g. "late"


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]
    kind: str  # "rows" (horizontal bars) | "columns" (one bar per month) | "multiples"
    labels: Sequence[tuple[str, float, float]]  # extra text: (text, x, y)
    lines: list[tuple[float, float, float, float]]  # grid or target lines: x1, y1, x2, y2


def _scale(values: list[float], room: float) -> float:
    top = max(values, default=0)
    return room / top if top > 0 else 0.0


def horizontal_bars(
    chart_id: str,
    title: str,
    description: str,
    rows: list[tuple[str, float, str]],
    *,
    maximum: float | None = None,
    tone: str = "",
) -> Chart:
    """One bar per row: (label, value, value as shown), each label above its bar so long
    names (agencies, wings) need no room beside it. ``maximum`` fixes the scale (100 for
    percentages); otherwise the longest bar fills the width."""
    room = BARS_WIDTH - VALUE_ROOM
    scale = room / maximum if maximum else _scale([value for _l, value, _s in rows], room)
    bars = [
        Bar(
            label,
            value,
            shown,
            0.0,
            index * BARS_ROW + BARS_LABEL_ROOM,
            max(value * scale, 0.0),
            BAR_HEIGHT,
            tone,
        )
        for index, (label, value, shown) in enumerate(rows)
    ]
    height = max(len(rows), 1) * BARS_ROW
    return Chart(chart_id, title, description, BARS_WIDTH, height, bars, "rows", [], [])


def month_columns(
    chart_id: str, title: str, description: str, months: list[tuple[str, int]]
) -> Chart:
    """One column per month, oldest first, each labelled below with its month."""
    slot = (WIDTH - 10) / max(len(months), 1)
    scale = _scale([float(count) for _m, count in months], COLUMN_AREA_HEIGHT - 16)
    label_every = math.ceil(MONTH_LABEL_ROOM / slot)  # labels at 15 px must not overlap
    bars = []
    labels = []
    for index, (month, count) in enumerate(months):
        height = count * scale
        x = 5 + index * slot + slot * 0.15
        bars.append(
            Bar(month, count, str(count), x, COLUMN_AREA_HEIGHT - height, slot * 0.7, height)
        )
        if (len(months) - 1 - index) % label_every == 0:  # the newest month always
            labels.append((month[2:], x + slot * 0.35, COLUMN_AREA_HEIGHT + 16))
    axis = [(0.0, float(COLUMN_AREA_HEIGHT), float(WIDTH), float(COLUMN_AREA_HEIGHT))]
    height = COLUMN_AREA_HEIGHT + AXIS_ROOM
    return Chart(chart_id, title, description, WIDTH, height, bars, "columns", labels, axis)


def small_multiples(
    chart_id: str,
    title: str,
    description: str,
    months: list[str],
    rows: list[tuple[str, list[int]]],
) -> Chart:
    """A row per value (a category, a wing...), a small column per month, all on one
    scale so that rows compare: the shape of each over time at a glance."""
    room = WIDTH - LABEL_WIDTH - 10
    slot = room / max(len(months), 1)
    scale = _scale([float(c) for _label, counts in rows for c in counts], BAR_HEIGHT + 4)
    bars = []
    lines = []
    for row_index, (label, counts) in enumerate(rows):
        base = (row_index + 1) * ROW_HEIGHT
        lines.append((float(LABEL_WIDTH), float(base), float(WIDTH - 10), float(base)))
        for month_index, count in enumerate(counts):
            height = count * scale
            x = LABEL_WIDTH + month_index * slot + slot * 0.15
            name = f"{label} {months[month_index]}"
            bars.append(Bar(name, count, str(count), x, base - height, slot * 0.7, height))
    labels = [
        (_shortened(label), LABEL_WIDTH - 8, (index + 1) * ROW_HEIGHT - 6)
        for index, (label, _c) in enumerate(rows)
    ]
    height = max(len(rows), 1) * ROW_HEIGHT + 8
    return Chart(chart_id, title, description, WIDTH, height, bars, "multiples", labels, lines)


def _shortened(label: str) -> str:
    if len(label) <= MAX_LABEL_CHARS:
        return label
    return label[: MAX_LABEL_CHARS - 1].rstrip() + "\u2026"
