"""Tables drawn with `+`, `-` and `|` (the project's own text export): cells with their spans."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from rich.cells import cell_len

from .source import Cell

_FILL = "\0"  # the second column of a wide character


def _wide_ambiguous(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) == "A" else cell_len(ch)


WIDTHS: tuple[Callable[[str], int], ...] = (cell_len, _wide_ambiguous)
"""Ways to measure a character: as Rich does, and with ambiguous punctuation wide (Chinese fonts)."""


def is_border(line: str) -> bool:
    """A line that is only a table's top or bottom edge: `+----+---+`."""
    s = line.strip()
    return len(s) >= 3 and s[0] == "+" and s[-1] == "+" and set(s) <= {"+", "-"}


def is_box_line(line: str) -> bool:
    s = line.rstrip()
    return len(s) >= 2 and s[0] in "+|" and s[-1] in "+|"


def _canvas(lines: list[str], width: Callable[[str], int]) -> list[list[str]] | None:
    rows = []
    for line in lines:
        row: list[str] = []
        for ch in line.rstrip():
            w = width(ch)
            row.append(ch)
            row += [_FILL] * (w - 1)
        rows.append(row)
    if len({len(r) for r in rows}) != 1:
        return None  # the right edge does not line up: wrong measure, or not a drawn table
    return rows


class _Sets:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _cells(canvas: list[list[str]], first_line: int) -> list[list[Cell]] | None:
    width = len(canvas[0])
    xs = sorted({x for row in canvas for x, ch in enumerate(row) if ch == "+"})
    ys = [y for y, row in enumerate(canvas) if "+" in row]
    if len(xs) < 2 or len(ys) < 2 or xs[0] != 0 or xs[-1] != width - 1 or ys[0] != 0 or ys[-1] != len(canvas) - 1:
        return None
    nx, ny = len(xs) - 1, len(ys) - 1
    sets = _Sets(nx * ny)
    for i in range(ny):
        inner = range(ys[i] + 1, ys[i + 1])
        for j in range(nx):
            if j + 1 < nx and any(canvas[y][xs[j + 1]] != "|" for y in inner):
                sets.join(i * nx + j, i * nx + j + 1)
            if i + 1 < ny and any(canvas[ys[i + 1]][x] != "-" for x in range(xs[j] + 1, xs[j + 1])):
                sets.join(i * nx + j, (i + 1) * nx + j)
    groups: dict[int, list[tuple[int, int]]] = {}
    for i in range(ny):
        for j in range(nx):
            groups.setdefault(sets.find(i * nx + j), []).append((i, j))
    rows: list[list[Cell]] = [[] for _ in range(ny)]
    for units in groups.values():
        top, bottom = min(u[0] for u in units), max(u[0] for u in units)
        left, right = min(u[1] for u in units), max(u[1] for u in units)
        if len(units) != (bottom - top + 1) * (right - left + 1):
            return None  # not a rectangle: not a table we can read
        lines = []
        for y in range(ys[top] + 1, ys[bottom + 1]):
            chunk = "".join(ch for ch in canvas[y][xs[left] + 1 : xs[right + 1]] if ch != _FILL)
            if chunk.strip():
                lines.append(chunk.strip())
        rows[top].append(Cell("".join(lines), left, right + 1, first_line + ys[top] + 1))
    return [sorted(r, key=lambda c: c.x0) for r in rows]


def read_box_table(lines: list[str], first_line: int) -> list[list[Cell]] | None:
    """The rows of a drawn table (cells that start in each row), or None if it cannot be read."""
    for width in WIDTHS:
        canvas = _canvas(lines, width)
        if canvas is not None:
            rows = _cells(canvas, first_line)
            if rows is not None:
                return [r for r in rows if r]
    return None
