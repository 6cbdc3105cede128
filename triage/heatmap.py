"""Heat maps as SVG drawn on the server: the geometry here, the markup in _charts.html.

A grid of cells, a row per wing (or category) and a column per week (or wing), each cell
shaded in one of 5 steps by a class (``triage-heat--0`` to ``--4``, coloured in
triage.css: the CSP allows no inline style) with its count written in it and a <title>.
The page puts the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from safeguarding.patterns import shade

HEAT_WIDTH = 900  # the widest drawing; a page's full column at 1280 px
ROW_LABEL_WIDTH = 200
MAX_ROW_LABEL_CHARS = 24  # longer names are shortened in the drawing (the table has them)
CELL_HEIGHT = 30
MIN_CELL = 30
MAX_CELL = 64
HEAD_ROOM = 28  # the column labels above the cells
COLUMN_LABEL_ROOM = 52  # "16 Nov" at 15 px, and a gap
CHAR_WIDTH = 8.0  # a character at 15 px, about


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    width: float
    height: float
    count: int
    shade: int  # 0 (none) to 4
    hot: bool
    title: str  # where, what, when and how many, for the tooltip


@dataclass(frozen=True)
class HeatMap:
    id: str
    title: str
    description: str
    width: int
    height: int
    cells: list[Cell]
    row_labels: list[tuple[str, float, float]]  # (text, x, y)
    column_labels: list[tuple[str, float, float]]


def heat_map(
    chart_id: str,
    title: str,
    description: str,
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],  # counts[row][column]
    bounds: Sequence[int],
    hot_at: int | None,
    cell_title: Callable[[str, str, int], str],
    widest: float = MAX_CELL,
) -> HeatMap:
    """One cell per row and column, all on one scale (``bounds``, from
    safeguarding.patterns.shade_bounds); a cell with ``hot_at`` or more is marked hot.
    ``widest``: the widest a column may be (wider for wing names than for weeks)."""
    room = HEAT_WIDTH - ROW_LABEL_WIDTH - 10
    size = min(max(room / max(len(columns), 1), MIN_CELL), widest)
    cells = []
    for r, row in enumerate(rows):
        y = HEAD_ROOM + r * CELL_HEIGHT
        for c, column in enumerate(columns):
            count = counts[r][c]
            hot = hot_at is not None and count >= hot_at
            cells.append(
                Cell(ROW_LABEL_WIDTH + c * size, y, size - 2, CELL_HEIGHT - 2, count,
                     shade(count, bounds), hot, cell_title(row, column, count))
            )  # fmt: skip
    row_labels = [
        (_shortened(row, MAX_ROW_LABEL_CHARS), ROW_LABEL_WIDTH - 8.0,
         HEAD_ROOM + r * CELL_HEIGHT + CELL_HEIGHT / 2 + 5)
        for r, row in enumerate(rows)
    ]  # fmt: skip
    width = int(ROW_LABEL_WIDTH + len(columns) * size + 10)
    height = HEAD_ROOM + max(len(rows), 1) * CELL_HEIGHT + 6
    return HeatMap(chart_id, title, description, width, height, cells, row_labels,
                   _column_labels(columns, size))  # fmt: skip


def _column_labels(columns: Sequence[str], size: float) -> list[tuple[str, float, float]]:
    """Each column's label over it, thinned (the newest always kept) so none overlap."""
    every = 1
    while every * size < COLUMN_LABEL_ROOM and every < len(columns):
        every += 1
    fits = max(int(every * size / CHAR_WIDTH), 3)
    return [
        (_shortened(column, fits), ROW_LABEL_WIDTH + c * size + (size - 2) / 2, HEAD_ROOM - 10.0)
        for c, column in enumerate(columns)
        if (len(columns) - 1 - c) % every == 0
    ]


def _shortened(label: str, most: int) -> str:
    if len(label) <= most:
        return label
    return label[: most - 1].rstrip() + "\u2026"
