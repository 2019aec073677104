"""A part's table as the wizard shows it on screen: lines, columns and widths, and how the cursor moves.

The printed layout (`grid`) draws a table once, merged cells and all; this one is for editing
it in a terminal, one screen line per row. Vocabulary:

- block: rows sharing one set of columns (table 二 has four, tables 三 and 四 one each);
- line: one screen line of the body: a block's caption, one of its header lines, a group label
  (such as 三、本年度办理结果), or a data row;
- data row: a row that holds cells; `rows` lists them in screen order as (block index, Row);
- cursor: (data row index, column index within that row's block);
- frozen header: a table of one block keeps its header lines on screen while its rows scroll.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len

from .formats import Block, CellRef, Column, HeaderNode, Part, Row, RowNode
from .printed_table import cell_text
from .report import Report
from .text_table import wrap
from .values import strip_controls

Cursor = tuple[int, int]
LineKind = Literal["caption", "header", "group", "row"]

MIN_WIDTH, MAX_HEADER_WIDTH, ROOM = 9, 13, 3
"""Column widths: at least 9, wide enough for half the header label (up to 13), and the widest value plus 3."""


@dataclass(frozen=True)
class SheetLine:
    """One screen line of the body."""

    kind: LineKind
    block: int
    text: str = ""
    depth: int = 0  # indent of a group label or row label
    header_line: int = 0  # which of the block's header lines
    row: Row | None = None
    data_index: int = -1  # for a data row: its index in `Sheet.rows`


@dataclass(frozen=True)
class HeaderSpan:
    """A header label over columns `first` to `last` (inclusive) of a block, on one header line."""

    first: int
    last: int
    text: str


class Sheet:
    """Where everything of a part's table is, and where the cursor may go (independent of Textual)."""

    def __init__(self, part: Part, report: Report) -> None:
        assert part.table is not None
        self.part = part
        self.blocks: tuple[Block, ...] = part.table.blocks
        self.col_widths = [self._widths(block, report) for block in self.blocks]
        self.frozen = len(self.blocks) == 1
        self.rows: list[tuple[int, Row]] = []
        self.lines: list[SheetLine] = []
        self._header_cache: dict[int, list[list[HeaderSpan]]] = {}
        for b, block in enumerate(self.blocks):
            if block.caption:
                self.lines.append(SheetLine("caption", b, block.caption))
            if not self.frozen:
                self.lines += [SheetLine("header", b, header_line=k) for k in range(self.header_height(b))]
            self._add_rows(b, block.row_tree, 0)
        self.line_of_row = {line.data_index: n for n, line in enumerate(self.lines) if line.kind == "row"}
        self._index = {
            CellRef(part.id, row.id, col.id): (i, c)
            for i, (b, row) in enumerate(self.rows)
            for c, col in enumerate(self.blocks[b].columns)
        }

    def _add_rows(self, block: int, nodes: tuple[RowNode, ...], depth: int) -> None:
        for node in nodes:
            if node.children:
                self.lines.append(SheetLine("group", block, node.label, depth))
                self._add_rows(block, node.children, depth + 1)
                continue
            row = next(r for r in self.blocks[block].rows if r.id == node.id)
            self.lines.append(SheetLine("row", block, row.label, depth, row=row, data_index=len(self.rows)))
            self.rows.append((block, row))

    def _widths(self, block: Block, report: Report) -> list[int]:
        widths = []
        for col in block.columns:
            values = [cell_len(cell_text(report.value(CellRef(self.part.id, r.id, col.id)))) for r in block.rows]
            header = min(MAX_HEADER_WIDTH, cell_len(col.label) // 2 + 1)
            widths.append(max(MIN_WIDTH, header, max(values, default=0) + ROOM))
        return widths

    # --- columns and headers ----------------------------------------------------------------

    def width(self, block: int) -> int:
        """The width of all of a block's columns together."""
        return sum(self.col_widths[block])

    @property
    def widest(self) -> int:
        return max(self.width(b) for b in range(len(self.blocks)))

    def column_x(self, block: int, col: int) -> int:
        """Where column `col` of `block` starts, from the left of the cells."""
        return sum(self.col_widths[block][:col])

    def widen(self, block: int, col: int, text_width: int) -> bool:
        """Make a column wide enough for `text_width` columns of typing; whether it changed."""
        if text_width + 1 <= self.col_widths[block][col]:
            return False
        self.col_widths[block][col] = text_width + ROOM
        self._header_cache.pop(block, None)
        return True

    def header_spans(self, block: int) -> list[list[HeaderSpan]]:
        """For each header line of a block, its labels and the columns they stand over."""
        if block not in self._header_cache:
            widths = self.col_widths[block]
            lines: dict[int, list[HeaderSpan]] = {}
            col = 0

            def walk(nodes: tuple[HeaderNode, ...], level: int) -> None:
                nonlocal col
                for node in nodes:
                    if node.column is None:
                        start = col
                        walk(node.children, level + 1)
                        lines.setdefault(level, []).append(HeaderSpan(start, col - 1, node.label))
                        continue
                    for k, text in enumerate(wrap(strip_controls(node.label), widths[col] - 1)):
                        lines.setdefault(level + k, []).append(HeaderSpan(col, col, text))
                    col += 1

            walk(self.blocks[block].header, 0)
            self._header_cache[block] = [lines.get(k, []) for k in range(max(lines) + 1)]
        return self._header_cache[block]

    def header_height(self, block: int) -> int:
        return len(self.header_spans(block))

    @property
    def frozen_height(self) -> int:
        """Header lines kept on screen above the scrolling body (a table of one block)."""
        return self.header_height(0) if self.frozen else 0

    # --- cells ------------------------------------------------------------------------------

    def ref(self, cursor: Cursor) -> CellRef:
        block, row = self.rows[cursor[0]]
        return CellRef(self.part.id, row.id, self.blocks[block].columns[cursor[1]].id)

    def column(self, cursor: Cursor) -> Column:
        block, _row = self.rows[cursor[0]]
        return self.blocks[block].columns[cursor[1]]

    def cursor_of(self, ref: CellRef) -> Cursor | None:
        """Where a cell is, or None when it is not in this table."""
        return self._index.get(ref)

    def columns_in(self, row: int) -> int:
        return len(self.blocks[self.rows[row][0]].columns)

    # --- moving -----------------------------------------------------------------------------

    def clamp(self, cursor: Cursor) -> Cursor:
        row = max(0, min(cursor[0], len(self.rows) - 1))
        return row, max(0, min(cursor[1], self.columns_in(row) - 1))

    def moved(self, cursor: Cursor, rows: int, cols: int) -> Cursor:
        """A step up/down/left/right (or a page), stopping at the edges."""
        return self.clamp((cursor[0] + rows, cursor[1] + cols))

    def tabbed(self, cursor: Cursor, step: int) -> Cursor:
        """Tab and Shift+Tab: the next or previous cell, reading the table row by row."""
        row, col = cursor[0], cursor[1] + step
        if col >= self.columns_in(row) and row + 1 < len(self.rows):
            return row + 1, 0
        if col < 0 and row > 0:
            return row - 1, self.columns_in(row - 1) - 1
        return self.clamp((row, col))

    def row_edge(self, cursor: Cursor, side: int) -> Cursor:
        """Home and End: the first or last cell of the row."""
        return cursor[0], 0 if side < 0 else self.columns_in(cursor[0]) - 1

    def column_edge(self, cursor: Cursor, side: int) -> Cursor:
        """The top or bottom cell of the column (of the cursor's block)."""
        block = self.rows[cursor[0]][0]
        in_block = [i for i, (b, _row) in enumerate(self.rows) if b == block]
        return self.clamp((in_block[0] if side < 0 else in_block[-1], cursor[1]))
