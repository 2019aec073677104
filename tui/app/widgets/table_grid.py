"""The statistics table as a spreadsheet: one Line API widget with its own cursor and editor.

Frozen label column and header rows, cells repainted one by one, so that typing a digit or
moving to the next cell sends a few hundred bytes, not a screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.actions import SkipAction
from textual.binding import Binding
from textual.events import Key, Paste
from textual.geometry import Offset, Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ...core.formats import Block, CellRef, HeaderNode, Part, Row, RowNode
from ...core.paste import PastePlan, plan_paste
from ...core.report import Report
from ...core.textgrid import wrap
from ...core.values import CellKind, CellValue, Invalid, format_amount, parse_cell
from .display import OwnFocusRepaint, screen_text

_TYPED = set("0123456789０１２３４５６７８９-－.．")


def cell_text(value: CellValue) -> str:
    """How a value shows in a cell: blank is empty, 0 is 0."""
    if value is None:
        return ""
    if isinstance(value, Invalid):
        return screen_text(value.raw).replace("\n", " ")
    if isinstance(value, int):
        return str(value)
    return format_amount(value)


def _fit(text: str, width: int) -> str:
    """Cut text to at most `width` display columns."""
    out, used = "", 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width:
            break
        out += ch
        used += w
    return out


@dataclass(frozen=True)
class Line:
    """One screen line of the table body: a caption, a header line, a group label or a data row."""

    kind: str  # caption | header | group | row
    block: int
    text: str = ""
    depth: int = 0
    header_line: int = 0
    row: Row | None = None
    data_index: int = -1


class TableLayout:
    """Where everything of a part's table is on screen (independent of Textual)."""

    def __init__(self, part: Part, report: Report) -> None:
        assert part.table is not None
        self.part = part
        self.blocks: tuple[Block, ...] = part.table.blocks
        self.col_widths = [self._widths(b, report) for b in self.blocks]
        self.header_spans = [self._header_spans(b, i) for i, b in enumerate(self.blocks)]
        self.frozen = len(self.blocks) == 1
        self.data: list[tuple[int, Row]] = []
        self.lines: list[Line] = []
        for i, block in enumerate(self.blocks):
            if block.caption:
                self.lines.append(Line("caption", i, block.caption))
            if not self.frozen:
                self.lines += [Line("header", i, header_line=k) for k in range(self.header_height(i))]
            self._add_rows(i, block.row_tree, 0)
        self.line_of_data = {ln.data_index: n for n, ln in enumerate(self.lines) if ln.kind == "row"}

    def _add_rows(self, block: int, nodes: tuple[RowNode, ...], depth: int) -> None:
        for node in nodes:
            if node.children:
                self.lines.append(Line("group", block, node.label, depth))
                self._add_rows(block, node.children, depth + 1)
                continue
            row = next(r for r in self.blocks[block].rows if r.id == node.id)
            self.lines.append(Line("row", block, row.label, depth, row=row, data_index=len(self.data)))
            self.data.append((block, row))

    def _widths(self, block: Block, report: Report) -> list[int]:
        """Room for the header (wrapped) and the widest value, with a margin to type into."""
        widths = []
        for col in block.columns:
            values = [cell_len(cell_text(report.value(CellRef(self.part.id, r.id, col.id)))) for r in block.rows]
            widths.append(max(9, min(13, cell_len(col.label) // 2 + 1), max(values, default=0) + 3))
        return widths

    def _header_spans(self, block: Block, index: int) -> list[list[tuple[int, int, str]]]:
        """For each header line: (first column, last column + 1, text) spans."""
        widths = self.col_widths[index]
        lines: dict[int, list[tuple[int, int, str]]] = {}
        col = 0

        def walk(nodes: tuple[HeaderNode, ...], level: int) -> None:
            nonlocal col
            for node in nodes:
                if node.column is None:
                    start = col
                    walk(node.children, level + 1)
                    lines.setdefault(level, []).append((start, col, node.label))
                    continue
                for k, text in enumerate(wrap(screen_text(node.label), widths[col] - 1)):
                    lines.setdefault(level + k, []).append((col, col + 1, text))
                col += 1

        walk(block.header, 0)
        return [lines.get(k, []) for k in range(max(lines) + 1)]

    def header_height(self, block: int) -> int:
        return len(self.header_spans[block])


class TableGrid(OwnFocusRepaint, Widget, can_focus=True):
    """Edit a part's table cell by cell; posts `CellsChanged` with what the clerk typed."""

    COMPONENT_CLASSES = {"grid--header", "grid--cursor", "grid--editing", "grid--error", "grid--total"}
    BINDINGS = [
        Binding("up", "move(-1, 0)", "上", show=False),
        Binding("down", "move(1, 0)", "下", show=False),
        Binding("left", "move(0, -1)", "左", show=False),
        Binding("right", "move(0, 1)", "右", show=False),
        Binding("enter", "enter", "下一行", show=False),
        Binding("tab", "tab(1)", "下一格", show=False),
        Binding("shift+tab", "tab(-1)", "上一格", show=False),
        Binding("pageup", "move(-10, 0)", "上翻", show=False),
        Binding("pagedown", "move(10, 0)", "下翻", show=False),
        Binding("home", "edge(-1)", "行首", show=False),
        Binding("end", "edge(1)", "行尾", show=False),
        Binding("backspace", "backspace", "删除", show=False),
        Binding("delete", "clear", "清空", show=False),
        Binding("escape", "cancel", "取消输入", show=False),
    ]

    class CellsChanged(Message):
        """The clerk typed, cleared or pasted cells."""

        def __init__(self, grid: TableGrid, values: list[tuple[CellRef, CellValue]]) -> None:
            super().__init__()
            self.grid = grid
            self.values = values

    class Pasted(Message):
        """A paste was placed (or refused): what it filled, for the line under the table."""

        def __init__(self, grid: TableGrid, plan: PastePlan) -> None:
            super().__init__()
            self.grid = grid
            self.plan = plan

    class CursorMoved(Message):
        """The cursor is on another cell."""

        def __init__(self, grid: TableGrid, ref: CellRef) -> None:
            super().__init__()
            self.grid = grid
            self.ref = ref

    def __init__(
        self,
        part: Part,
        report: Report,
        *,
        totals: frozenset[CellRef] = frozenset(),
        marks: frozenset[CellRef] = frozenset(),
        start: CellRef | None = None,
        read_only: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.start = start
        self.read_only = read_only
        self.part = part
        self.report = report
        self.totals = totals
        self.marks = marks
        self.layout_ = TableLayout(part, report)
        self.labels: RowLabels | None = None  # the frozen label column beside the grid
        self.cursor = (0, 0)  # (data row, column within its block)
        self.row_offset = 0
        self.col_offset = 0
        self.editing = False
        self.buffer = ""
        self.original: CellValue = None

    def on_mount(self) -> None:
        if self.start is not None:
            self.select(self.start)
        self.post_message(self.CursorMoved(self, self.ref))

    # --- geometry ------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    def refresh_all(self) -> None:
        """Repaint the grid and its label column (after scrolling)."""
        self.refresh()
        if self.labels is not None:
            self.labels.refresh()

    @property
    def frozen_height(self) -> int:
        return self.layout_.header_height(0) if self.layout_.frozen else 0

    @property
    def body_height(self) -> int:
        return max(1, self.size.height - self.frozen_height)

    def _visible_columns(self, block: int) -> list[tuple[int, int, int]]:
        """(column index, x, width) of the columns of `block` that fit on screen."""
        widths = self.layout_.col_widths[block]
        x = 0
        room = self.size.width
        if x + sum(widths) > room:
            room -= 2  # keep room for the "more columns" marker
        out: list[tuple[int, int, int]] = []
        for c in range(min(self.col_offset, len(widths) - 1), len(widths)):
            if x + widths[c] > room and out:
                break
            out.append((c, x, widths[c]))
            x += widths[c]
        return out

    @property
    def ref(self) -> CellRef:
        block, row = self.layout_.data[self.cursor[0]]
        col = self.layout_.blocks[block].columns[self.cursor[1]]
        return CellRef(self.part.id, row.id, col.id)

    def _cell_region(self, data_index: int, col: int) -> Region | None:
        line = self.layout_.line_of_data[data_index] - self.row_offset
        if not 0 <= line < self.body_height:
            return None
        block = self.layout_.data[data_index][0]
        for c, x, w in self._visible_columns(block):
            if c == col:
                return Region(x, line + self.frozen_height, w, 1)
        return None

    def _scroll_to_cursor(self) -> None:
        if not self.size.height:
            return  # not laid out yet: `on_resize` scrolls once the size is known
        row, col = self.cursor
        line = self.layout_.line_of_data[row]
        top = self.row_offset
        if line < top:
            top = line
            # show the captions, headers and group labels just above the first row
            while top > 0 and self.layout_.lines[top - 1].kind != "row" and line - top < 3:
                top -= 1
        elif line >= top + self.body_height:
            top = line - self.body_height + 1
        left = self.col_offset
        if col < left:
            left = col
        else:
            block = self.layout_.data[row][0]
            while col not in [c for c, _x, _w in self._visible_columns(block)] and left < col:
                self.col_offset = left = left + 1
        if (top, left) != (self.row_offset, self.col_offset):
            vertical = top != self.row_offset
            self.row_offset, self.col_offset = top, left
            self.refresh_all() if vertical else self.refresh()

    def _place_ime_cursor(self) -> None:
        region = self._cell_region(*self.cursor)
        if region is not None and self.has_focus:
            self.app.cursor_position = self.content_region.offset + Offset(region.right - 1, region.y)

    def on_focus(self) -> None:
        self._refresh_cursor()

    def on_blur(self) -> None:
        self.commit()
        self._refresh_cursor()

    # --- painting ------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def line_at(self, y: int) -> Line | None:
        """The body line shown at widget line `y` (None for frozen header lines and past the end)."""
        index = self.row_offset + y - self.frozen_height
        if y < self.frozen_height or index >= len(self.layout_.lines):
            return None
        return self.layout_.lines[index]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y < self.frozen_height:
            return self._header_strip(0, y).adjust_cell_length(width, base)
        line = self.line_at(y)
        if line is None or line.kind in ("caption", "group"):  # their text is in the label column
            style = base + self._style("grid--header") if line is not None and line.kind == "caption" else base
            return Strip.blank(width, style)
        if line.kind == "header":
            return self._header_strip(line.block, line.header_line).adjust_cell_length(width, base)
        return self._row_strip(line).adjust_cell_length(width, base)

    def _header_strip(self, block: int, k: int) -> Strip:
        base = self.rich_style + self._style("grid--header")
        spans = self.layout_.header_spans[block]
        segments = []
        visible = self._visible_columns(block)
        x_of = {c: (x, w) for c, x, w in visible}
        x = 0
        for start, end, text in spans[k] if k < len(spans) else ():
            shown = [c for c in range(start, end) if c in x_of]
            if not shown:
                continue
            x0 = x_of[shown[0]][0]
            width = sum(x_of[c][1] for c in shown)
            if x0 > x:
                segments.append(Segment(" " * (x0 - x), base))
            text = _fit(text, width - 1)
            pad = width - cell_len(text)
            segments.append(Segment(" " * (pad - pad // 2) + text + " " * (pad // 2), base))
            x = x0 + width
        if k == 0 and visible:  # columns hidden to the left or right: say so
            ncols = len(self.layout_.col_widths[block])
            more = ("<" if visible[0][0] > 0 else " ") + (">" if visible[-1][0] < ncols - 1 else " ")
            if more.strip():
                segments.append(Segment(" " * max(0, self.size.width - 2 - x) + more, base))
        return Strip(segments)

    def _row_strip(self, line: Line) -> Strip:
        base = self.rich_style
        assert line.row is not None
        segments = []
        block = self.layout_.blocks[line.block]
        on_row = self.has_focus and self.cursor[0] == line.data_index
        for c, _x, w in self._visible_columns(line.block):
            col = block.columns[c]
            ref = CellRef(self.part.id, line.row.id, col.id)
            style = base
            if ref in self.totals:
                style += self._style("grid--total")
            if ref in self.marks:
                style += self._style("grid--error")
            if on_row and self.cursor[1] == c:
                style += self._style("grid--editing" if self.editing else "grid--cursor")
                text = self.buffer if self.editing else cell_text(self.report.value(ref))
            else:
                text = cell_text(self.report.value(ref))
            text = _fit(text, w - 1)
            segments.append(Segment(" " * (w - 1 - cell_len(text)) + text + " ", style))
        return Strip(segments)

    def refresh_cells(self, refs: Iterable[CellRef]) -> None:
        """Repaint just these cells (after an edit, or when their marks changed).

        Cells on one line are repainted as one region: Textual sends each region of a line
        separately, each from the widget's left edge.
        """
        index = {row.id: i for i, (_b, row) in enumerate(self.layout_.data)}
        spans: dict[int, tuple[int, int]] = {}
        for ref in refs:
            if ref.part != self.part.id or ref.row not in index:
                continue
            i = index[ref.row]
            cols = [c.id for c in self.layout_.blocks[self.layout_.data[i][0]].columns]
            region = self._cell_region(i, cols.index(ref.col)) if ref.col in cols else None
            if region is not None:
                x0, x1 = spans.get(region.y, (region.x, region.right))
                spans[region.y] = (min(x0, region.x), max(x1, region.right))
        for y, (x0, x1) in spans.items():
            self.refresh(Region(x0, y, x1 - x0, 1))

    def _refresh_cursor(self) -> None:
        region = self._cell_region(*self.cursor)
        if region is not None:
            self.refresh(region)
        self._place_ime_cursor()

    # --- moving --------------------------------------------------------------------------

    def move_to(self, row: int, col: int) -> None:
        self.commit()
        row = max(0, min(row, len(self.layout_.data) - 1))
        ncols = len(self.layout_.blocks[self.layout_.data[row][0]].columns)
        col = max(0, min(col, ncols - 1))
        if (row, col) == self.cursor:
            return
        self._refresh_cursor()
        self.cursor = (row, col)
        self._scroll_to_cursor()
        self._refresh_cursor()
        self.post_message(self.CursorMoved(self, self.ref))

    def select(self, ref: CellRef) -> None:
        """Put the cursor on a cell (from the findings list, or when resuming)."""
        for i, (block, row) in enumerate(self.layout_.data):
            if row.id == ref.row:
                cols = [c.id for c in self.layout_.blocks[block].columns]
                if ref.col in cols:
                    self.move_to(i, cols.index(ref.col))
                return

    def action_move(self, rows: int, cols: int) -> None:
        self.move_to(self.cursor[0] + rows, self.cursor[1] + cols)

    def action_enter(self) -> None:
        self.move_to(self.cursor[0] + 1, self.cursor[1])

    def action_tab(self, step: int) -> None:
        row, col = self.cursor
        ncols = len(self.layout_.blocks[self.layout_.data[row][0]].columns)
        col += step
        if col >= ncols and row + 1 < len(self.layout_.data):
            row, col = row + 1, 0
        elif col < 0 and row > 0:
            row -= 1
            col = len(self.layout_.blocks[self.layout_.data[row][0]].columns) - 1
        self.move_to(row, col)

    def action_edge(self, side: int) -> None:
        ncols = len(self.layout_.blocks[self.layout_.data[self.cursor[0]][0]].columns)
        self.move_to(self.cursor[0], 0 if side < 0 else ncols - 1)

    # --- editing -------------------------------------------------------------------------

    def _column_kind(self) -> tuple[CellKind, str]:
        col, _row = self.report.format.cell_index[self.ref]
        return col.kind, col.unit

    def _emit(self, values: list[tuple[CellRef, CellValue]]) -> None:
        self.post_message(self.CellsChanged(self, values))

    def _live(self) -> None:
        kind, unit = self._column_kind()
        value = parse_cell(kind, self.buffer, unit) if self.buffer else None
        self._emit([(self.ref, value)])  # the cell is repainted with the others that change
        block = self.layout_.data[self.cursor[0]][0]
        if cell_len(self.buffer) >= self.layout_.col_widths[block][self.cursor[1]] - 1:
            self.layout_ = TableLayout(self.part, self.report)
            self.layout_.col_widths[block][self.cursor[1]] = cell_len(self.buffer) + 3
            self.refresh_all()
        self._place_ime_cursor()

    async def on_key(self, event: Key) -> None:
        """Every key of the grid, moves and typing alike, in the order it came (see `type_ahead`)."""
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        char = event.character
        if char is None or char not in _TYPED:
            return
        event.stop()
        event.prevent_default()
        if self.read_only:
            self.notify("只读：修改不会保存", timeout=2)
            return
        if not self.editing:
            self.editing = True
            self.original = self.report.value(self.ref)
            self.buffer = ""
        self.buffer += char
        self._live()

    def commit(self) -> None:
        """Finish typing in the current cell (its value is already in the report)."""
        if self.editing:
            self.editing = False
            self.buffer = ""
            self._refresh_cursor()
            self.post_message(self.CursorMoved(self, self.ref))

    def action_backspace(self) -> None:
        if self.editing:
            self.buffer = self.buffer[:-1]
            self._live()
        else:
            self.action_clear()

    def action_clear(self) -> None:
        if self.read_only:
            return
        self.editing = False
        self.buffer = ""
        self._emit([(self.ref, None)])
        self._refresh_cursor()

    def action_cancel(self) -> None:
        if not self.editing:
            raise SkipAction()
        self.editing = False
        self.buffer = ""
        self._emit([(self.ref, self.original)])
        self._refresh_cursor()

    def on_paste(self, event: Paste) -> None:
        """Fill cells with a block copied from Excel, WPS or a web page (see `core.paste`)."""
        event.stop()
        if self.read_only:
            self.notify("只读：修改不会保存", timeout=2)
            return
        self.commit()
        data = [(self.layout_.blocks[b], row) for b, row in self.layout_.data]
        plan = plan_paste(self.part, data, self.cursor, event.text)
        if plan.cells:
            self._emit(plan.values)
        self.post_message(self.Pasted(self, plan))


class RowLabels(Widget):
    """The frozen label column of a `TableGrid`: header corner, captions, groups, row labels."""

    COMPONENT_CLASSES = {"labels--label", "labels--header", "labels--caption", "labels--group"}

    def __init__(self, grid: TableGrid) -> None:
        super().__init__(id="labels")
        self.grid = grid
        grid.labels = self

    def render_line(self, y: int) -> Strip:
        grid = self.grid
        width = self.size.width
        base = self.rich_style

        def text(value: str, style: str, depth: int = 0) -> Strip:
            shown = _fit(" " * depth + screen_text(value), width - 1)
            return Strip([Segment(shown, base + self.get_component_rich_style(style, partial=True))])

        if y < grid.frozen_height:
            corner = wrap(screen_text(grid.layout_.blocks[0].label_header), width - 1)
            strip = text(corner[y] if y < len(corner) else "", "labels--header")
            return strip.adjust_cell_length(width, base + self.get_component_rich_style("labels--header", partial=True))
        line = grid.line_at(y)
        if line is None:
            return Strip.blank(width, base)
        if line.kind == "header":
            corner = wrap(screen_text(grid.layout_.blocks[line.block].label_header), width - 1)
            style = base + self.get_component_rich_style("labels--header", partial=True)
            shown = corner[line.header_line] if line.header_line < len(corner) else ""
            return Strip([Segment(shown, style)]).adjust_cell_length(width, style)
        kind = {"caption": "labels--caption", "group": "labels--group"}.get(line.kind, "labels--label")
        return text(line.text, kind, line.depth).adjust_cell_length(width, base)
