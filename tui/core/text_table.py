"""Plain-text tables: a `Grid` drawn with ASCII borders, aligned by display width (`width`)."""

from __future__ import annotations

from .linebreak import break_lines
from .printed_table import Grid, GridCell, placed_cells
from .width import char_width, display_width

MAX_TEXT_WIDTH = 24
"""Text cells wrap beyond this many columns (12 Chinese characters)."""


def wrap(text: str, width: int) -> list[str]:
    """Break text into lines of at most `width` display columns, by the rules for Chinese (`linebreak`)."""
    return break_lines(text, width)


def _widths(placed: list[tuple[GridCell, int, int]], ncols: int) -> list[int]:
    widths = [1] * ncols

    def need(cell: GridCell) -> int:
        n = display_width(cell.text)
        return n if cell.role == "value" else min(n, MAX_TEXT_WIDTH * min(cell.colspan, 2))

    for cell, _r, c in placed:
        if cell.colspan == 1:
            widths[c] = max(widths[c], need(cell))
    for cell, _r, c in sorted(placed, key=lambda p: p[0].colspan):
        if cell.colspan > 1:
            span = range(c, c + cell.colspan)
            have = sum(widths[i] for i in span) + 3 * (cell.colspan - 1)
            short = need(cell) - have
            if short > 0:
                for k, i in enumerate(span):
                    widths[i] += short // cell.colspan + (k < short % cell.colspan)
    return widths


def render_grid(grid: Grid) -> str:
    """Draw the grid with `+`, `-` and `|` so it lines up in any monospaced font."""
    placed = placed_cells(grid)
    nrows = len(grid.rows)
    widths = _widths(placed, grid.width)
    lefts = [sum(widths[:c]) + 3 * c for c in range(grid.width + 1)]

    wrapped = {id(cell): wrap(cell.text, lefts[c + cell.colspan] - lefts[c] - 3) for cell, _r, c in placed}
    heights = [1] * nrows
    for cell, r, _c in sorted(placed, key=lambda p: p[0].rowspan):
        count = len(wrapped[id(cell)])
        have = sum(heights[r : r + cell.rowspan]) + cell.rowspan - 1
        if count > have:
            heights[r + cell.rowspan - 1] += count - have
    tops = [sum(heights[:r]) + r for r in range(nrows + 1)]

    canvas = [[" "] * (lefts[-1] + 1) for _ in range(tops[-1] + 1)]

    def put(y: int, x: int, ch: str) -> None:
        old = canvas[y][x]
        if old == "+" or (old in "-|" and old != ch):
            canvas[y][x] = "+"
        else:
            canvas[y][x] = ch

    for cell, r, c in placed:
        x0, x1 = lefts[c], lefts[c + cell.colspan]
        y0, y1 = tops[r], tops[r + cell.rowspan]
        for x in range(x0 + 1, x1):
            put(y0, x, "-")
            put(y1, x, "-")
        for y in range(y0 + 1, y1):
            put(y, x0, "|")
            put(y, x1, "|")
        for y, x in ((y0, x0), (y0, x1), (y1, x0), (y1, x1)):
            canvas[y][x] = "+"
        inner = x1 - x0 - 3
        lines = wrapped[id(cell)]
        first = y0 + 1 + (y1 - y0 - 1 - len(lines)) // 2
        for i, line in enumerate(lines):
            pad = inner - display_width(line)
            if cell.role == "value":
                offset = pad
            elif cell.role == "label":
                offset = 0
            else:
                offset = pad // 2
            x = x0 + 2 + offset
            for ch in line:
                canvas[first + i][x] = ch
                if char_width(ch) == 2:
                    canvas[first + i][x + 1] = ""
                    x += 2
                else:
                    x += 1
    return "\n".join("".join(row).rstrip() for row in canvas)
