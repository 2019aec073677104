"""A part's table as a spreadsheet: one Line API widget over the Textual-free `core.sheet`.

The row labels on the left and the header lines on top stay put; the cells scroll under them,
all rows and the header by the same columns. The cursor and the error marks are reactive: their
watchers repaint exactly the cells that change, so typing a digit or moving to the next cell
sends a few hundred bytes, not a screen. Every key of the widget goes through one handler, in
the order it came (see `type_ahead`).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from ...core.formats import CellRef, Part
from ...core.paste import PastePlan, plan_paste
from ...core.printed_table import cell_text
from ...core.report import Report
from ...core.sheet import Cursor, Sheet, SheetLine
from ...core.text_table import wrap
from ...core.values import CellValue, parse_cell
from .display import OwnFocusRepaint, screen_text

TYPED = frozenset("0123456789０１２３４５６７８９-－.．,，")
"""What typing into a number cell takes: digits (full-width too), a sign, a decimal point, thousands separators."""

GUTTER = 2
"""Columns at the right edge for the marks that say more columns or rows are out of sight."""

LABEL_WIDTHS = (20, 34, 50)
"""The widths the row-label column cycles through (Ctrl+K); the first that fits is the default."""


def fit(text: str, width: int) -> str:
    """Cut text to at most `width` display columns."""
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)


def default_label_width(screen_width: int) -> int:
    """The row labels' width for a terminal this wide: 20 at 80 columns, 34 from 100 on."""
    return LABEL_WIDTHS[0] if screen_width < 100 else LABEL_WIDTHS[1]


def next_label_width(current: int, room: int) -> int:
    """The next of `LABEL_WIDTHS` that leaves `room` columns for the cells, round to the first."""
    fitting = [w for w in LABEL_WIDTHS if w == LABEL_WIDTHS[0] or w <= room]
    later = [w for w in fitting if w > current]
    return later[0] if later else fitting[0]


class SheetEditor(OwnFocusRepaint, ScrollView, can_focus=True):
    """Edit a part's table cell by cell; posts `CellsChanged` with what the clerk typed or pasted."""

    DEFAULT_CSS = """
    SheetEditor { width: 1fr; height: 1fr; scrollbar-size: 0 0; }
    SheetEditor > .sheet--label { color: $text; }
    SheetEditor > .sheet--group { color: $text-muted; text-style: bold; }
    SheetEditor > .sheet--caption { color: $accent; text-style: bold; background: $panel; }
    SheetEditor > .sheet--header { color: $text; text-style: bold; background: $panel; }
    SheetEditor > .sheet--more { color: $accent; text-style: bold; background: $panel; }
    SheetEditor > .sheet--total { color: $text-secondary; text-style: bold; }
    SheetEditor > .sheet--error { color: $text-error; text-style: bold underline; }
    SheetEditor > .sheet--cursor { text-style: reverse bold; }
    SheetEditor > .sheet--editing { text-style: reverse bold underline; }
    """
    # The cursor is reverse video in every colour depth (and with NO_COLOR); an error mark is
    # bold underlined red text, never a background, so the two never look alike.
    COMPONENT_CLASSES = {
        "sheet--label",
        "sheet--group",
        "sheet--caption",
        "sheet--header",
        "sheet--more",
        "sheet--total",
        "sheet--error",
        "sheet--cursor",
        "sheet--editing",
    }
    BINDINGS = [
        Binding("up", "move(-1, 0)", "上", id="sheet.up", show=False),
        Binding("down", "move(1, 0)", "下", id="sheet.down", show=False),
        Binding("left", "move(0, -1)", "左", id="sheet.left", show=False),
        Binding("right", "move(0, 1)", "右", id="sheet.right", show=False),
        Binding("enter", "enter", "下一格", id="sheet.enter", show=False),
        Binding("tab", "tab(1)", "下一格", id="sheet.tab", show=False),
        Binding("shift+tab", "tab(-1)", "上一格", id="sheet.back-tab", show=False),
        Binding("pageup", "page(-1)", "上一屏", id="sheet.page-up", show=False),
        Binding("pagedown", "page(1)", "下一屏", id="sheet.page-down", show=False),
        Binding("home", "row_edge(-1)", "行首", id="sheet.row-start", show=False),
        Binding("end", "row_edge(1)", "行尾", id="sheet.row-end", show=False),
        Binding("ctrl+home", "column_edge(-1)", "列首", id="sheet.column-top", show=False),
        Binding("ctrl+end", "column_edge(1)", "列尾", id="sheet.column-bottom", show=False),
        Binding("backspace", "backspace", "删除", id="sheet.backspace", show=False),
        Binding("delete", "clear", "清空", id="sheet.clear", show=False),
        Binding("escape", "cancel", "取消输入", id="sheet.cancel", show=False),
        Binding("ctrl+d", "details", "单元格详情", id="sheet.details", show=False),
        Binding("ctrl+o", "fill_zeros", "空白填 0", id="sheet.fill-zeros", show=False),
        Binding("ctrl+k", "label_width", "行名宽窄", id="sheet.label-width", show=False),
        Binding("ctrl+u", "enter_direction", "回车方向", id="sheet.enter-direction", show=False),
    ]

    cursor: var[Cursor] = var((0, 0), always_update=False)
    """(data row, column in its block): validated to stay in the table; its watcher repaints two cells."""
    marks: var[frozenset[CellRef]] = var(frozenset(), always_update=False)
    """Cells an error or warning is about: painted as errors; the watcher repaints those that changed."""

    class CellsChanged(Message):
        """The clerk typed, cleared or pasted cells."""

        def __init__(self, sheet: SheetEditor, values: list[tuple[CellRef, CellValue]]) -> None:
            super().__init__()
            self.sheet = sheet
            self.values = values

    class CursorMoved(Message):
        """The cursor is on another cell (or the clerk stopped typing in it)."""

        def __init__(self, sheet: SheetEditor, ref: CellRef) -> None:
            super().__init__()
            self.sheet = sheet
            self.ref = ref

    class Pasted(Message):
        """A paste was placed (or refused): what it filled, for the line under the table."""

        def __init__(self, sheet: SheetEditor, plan: PastePlan) -> None:
            super().__init__()
            self.sheet = sheet
            self.plan = plan

    class Scrolled(Message):
        """The rows scrolled: the first body line now shown is `top` (the row labels follow)."""

        def __init__(self, sheet: SheetEditor, top: int) -> None:
            super().__init__()
            self.sheet = sheet
            self.top = top

    class Note(Message):
        """Something the clerk should know about the last key (nothing was typed, and why)."""

        def __init__(self, sheet: SheetEditor, text: str) -> None:
            super().__init__()
            self.sheet = sheet
            self.text = text

    class Asked(Message):
        """The clerk asked for something the view does: `details`, `fill-zeros`, `enter-direction`, `label-width`."""

        def __init__(self, sheet: SheetEditor, what: str) -> None:
            super().__init__()
            self.sheet = sheet
            self.what = what

    def __init__(
        self,
        part: Part,
        report: Report,
        *,
        totals: frozenset[CellRef] = frozenset(),
        marks: frozenset[CellRef] = frozenset(),
        start: CellRef | None = None,
        read_only: bool = False,
        enter_goes_right: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.part = part
        self.report = report
        self.sheet = Sheet(part, report)
        self.totals = totals
        self.read_only = read_only
        self.enter_goes_right = enter_goes_right
        self.editing = False
        self.buffer = ""
        self.original: CellValue = None
        self.set_reactive(SheetEditor.marks, marks)
        start_at = self.sheet.cursor_of(start) if start is not None else None
        self.set_reactive(SheetEditor.cursor, start_at or (0, 0))

    # --- geometry ---------------------------------------------------------------------------

    @property
    def ref(self) -> CellRef:
        return self.sheet.ref(self.cursor)

    @property
    def cells_width(self) -> int:
        """Screen columns for the cells, left of the gutter."""
        return max(1, self.size.width - GUTTER)

    @property
    def body_height(self) -> int:
        return max(1, self.size.height - self.sheet.frozen_height)

    def _update_virtual_size(self) -> None:
        sheet = self.sheet
        self.virtual_size = Size(sheet.widest + GUTTER, sheet.frozen_height + len(sheet.lines))

    def on_mount(self) -> None:
        self._update_virtual_size()
        self.post_message(self.CursorMoved(self, self.ref))

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if round(old) != round(new):
            self.post_message(self.Scrolled(self, round(new)))

    def cell_region(self, cursor: Cursor) -> Region | None:
        """Where a cell is on the widget, or None when it is scrolled out of sight."""
        sheet = self.sheet
        y = sheet.frozen_height + sheet.line_of_row[cursor[0]] - int(self.scroll_y)
        if not sheet.frozen_height <= y < self.size.height:
            return None
        block = sheet.rows[cursor[0]][0]
        x0 = sheet.column_x(block, cursor[1]) - int(self.scroll_x)
        x1 = x0 + sheet.col_widths[block][cursor[1]]
        x0, x1 = max(x0, 0), min(x1, self.cells_width)
        if x1 <= x0:
            return None
        return Region(x0, y, x1 - x0, 1)

    def refresh_cells(self, refs: set[CellRef] | frozenset[CellRef] | list[CellRef]) -> None:
        """Repaint just these cells; cells on one line go as one region (Textual sends each region
        of a line separately, each from the widget's left edge)."""
        spans: dict[int, tuple[int, int]] = {}
        for ref in refs:
            cursor = self.sheet.cursor_of(ref)
            region = self.cell_region(cursor) if cursor is not None else None
            if region is not None:
                x0, x1 = spans.get(region.y, (region.x, region.right))
                spans[region.y] = (min(x0, region.x), max(x1, region.right))
        for y, (x0, x1) in spans.items():
            self.refresh(Region(x0, y, x1 - x0, 1))

    def _refresh_cursor_cell(self) -> None:
        region = self.cell_region(self.cursor)
        if region is not None:
            self.refresh(region)
        self._place_ime_cursor()

    def _place_ime_cursor(self) -> None:
        """Input methods put their candidate window at the terminal's cursor: the cell being typed in."""
        region = self.cell_region(self.cursor)
        if region is not None and self.has_focus:
            self.app.cursor_position = self.content_region.offset + Offset(region.right - 1, region.y)

    def _scroll_to_cursor(self) -> None:
        """Scroll, by whole lines and whole columns, so that the cursor's cell is in sight."""
        if not self.size.height:
            return  # not laid out yet: `on_resize` scrolls once the size is known
        sheet = self.sheet
        row, col = self.cursor
        line = sheet.line_of_row[row]
        top = int(self.scroll_y)
        if line < top:
            top = line
            # show the captions, headers and group labels just above the first row
            while top > 0 and sheet.lines[top - 1].kind != "row" and line - top < 3:
                top -= 1
        elif line >= top + self.body_height:
            top = line - self.body_height + 1
        block = sheet.rows[row][0]
        x0 = sheet.column_x(block, col)
        x1 = x0 + sheet.col_widths[block][col]
        left = int(self.scroll_x)
        if x0 < left:
            left = x0
        elif x1 > left + self.cells_width:
            starts = [sheet.column_x(block, c) for c in range(col + 1)]
            left = next((s for s in starts if x1 - s <= self.cells_width), x0)
        if (left, top) != (int(self.scroll_x), int(self.scroll_y)):
            self.scroll_to(left, top, animate=False, immediate=True)

    # --- reactive state ---------------------------------------------------------------------

    def validate_cursor(self, cursor: Cursor) -> Cursor:
        return self.sheet.clamp(cursor)

    def watch_cursor(self, old: Cursor, new: Cursor) -> None:
        if self.editing:
            self.editing, self.buffer = False, ""
        region = self.cell_region(old)
        if region is not None:
            self.refresh(region)
        self._scroll_to_cursor()
        self._refresh_cursor_cell()
        self.post_message(self.CursorMoved(self, self.ref))

    def watch_marks(self, old: frozenset[CellRef], new: frozenset[CellRef]) -> None:
        self.refresh_cells(old ^ new)

    def select(self, ref: CellRef) -> None:
        """Put the cursor on a cell (from the findings list, or when resuming)."""
        cursor = self.sheet.cursor_of(ref)
        if cursor is not None:
            self.cursor = cursor

    def on_focus(self) -> None:
        self._refresh_cursor_cell()

    def on_blur(self) -> None:
        self.commit()
        self._refresh_cursor_cell()

    # --- painting ---------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def render_line(self, y: int) -> Strip:
        sheet = self.sheet
        base = self.rich_style
        if y < sheet.frozen_height:
            return self._strip(self._header_cells(0, y), self._gutter_cols(0, y))
        index = y - sheet.frozen_height + int(self.scroll_y)
        if index >= len(sheet.lines):
            return Strip.blank(self.size.width, base)
        line = sheet.lines[index]
        gutter = self._gutter_rows(y)
        if line.kind == "caption":
            return self._strip([Segment(" " * sheet.widest, base + self._style("sheet--caption"))], gutter)
        if line.kind == "header":
            cells = self._header_cells(line.block, line.header_line)
            return self._strip(cells, gutter or self._gutter_cols(line.block, line.header_line))
        if line.kind == "group":
            return self._strip([], gutter)
        return self._strip(self._row_cells(line), gutter)

    def _strip(self, cells: list[Segment], gutter: str) -> Strip:
        """The visible part of the cells, then the gutter: one line of the widget."""
        base = self.rich_style
        visible = Strip(cells).crop(int(self.scroll_x), int(self.scroll_x) + self.cells_width)
        visible = visible.adjust_cell_length(self.cells_width, base)
        style = base + self._style("sheet--more") if gutter.strip() else base
        more = Segment(" " * (GUTTER - cell_len(gutter)) + gutter, style)
        return Strip([*visible, more]).adjust_cell_length(self.size.width, base)

    def _header_cells(self, block: int, k: int) -> list[Segment]:
        """A header line of a block; each label centred on the part of its columns that is in sight."""
        style = self.rich_style + self._style("sheet--header")
        widths = self.sheet.col_widths[block]
        spans = self.sheet.header_spans(block)
        left, right = int(self.scroll_x), int(self.scroll_x) + self.cells_width
        segments, x = [], 0
        for span in spans[k] if k < len(spans) else ():
            x0 = sum(widths[: span.first])
            x1 = x0 + sum(widths[span.first : span.last + 1])
            if x0 > x:
                segments.append(Segment(" " * (x0 - x), style))
            seen0, seen1 = max(x0, left), min(x1, right)
            if seen1 <= seen0:
                segments.append(Segment(" " * (x1 - x0), style))
            else:
                text = fit(screen_text(span.text), seen1 - seen0 - 1)
                pad = seen1 - seen0 - cell_len(text)
                before = seen0 - x0 + pad - pad // 2
                segments.append(Segment(" " * before + text + " " * (x1 - x0 - before - cell_len(text)), style))
            x = x1
        total = self.sheet.width(block)
        if x < total:
            segments.append(Segment(" " * (total - x), style))
        return segments

    def _row_cells(self, line: SheetLine) -> list[Segment]:
        assert line.row is not None
        base = self.rich_style
        block = self.sheet.blocks[line.block]
        widths = self.sheet.col_widths[line.block]
        on_row = self.has_focus and self.cursor[0] == line.data_index
        segments = []
        for c, col in enumerate(block.columns):
            ref = CellRef(self.part.id, line.row.id, col.id)
            style = base
            if ref in self.totals:
                style += self._style("sheet--total")
            if ref in self.marks:
                style += self._style("sheet--error")
            text = cell_text(self.report.value(ref))
            if on_row and self.cursor[1] == c:
                style += self._style("sheet--editing" if self.editing else "sheet--cursor")
                if self.editing:
                    text = self.buffer
            text = fit(screen_text(text), widths[c] - 1)
            segments.append(Segment(" " * (widths[c] - 1 - cell_len(text)) + text + " ", style))
        return segments

    def _gutter_cols(self, block: int, k: int) -> str:
        """On a block's first header line: `<` when columns are hidden to the left, `>` to the right."""
        if k != 0:
            return ""
        left = "<" if self.scroll_x > 0 else " "
        right = ">" if self.scroll_x + self.cells_width < self.sheet.width(block) else " "
        return left + right

    def _gutter_rows(self, y: int) -> str:
        """On the first and last lines of the body: ︿ / ﹀ (wide chevrons) when rows are hidden above / below."""
        top, bottom = self.sheet.frozen_height, self.size.height - 1
        if y == top and self.scroll_y > 0:
            return "︿"
        if y == bottom and self.scroll_y + self.body_height < len(self.sheet.lines):
            return "﹀"
        return ""

    # --- keys: one path for all of them ----------------------------------------------------------

    async def on_key(self, event: events.Key) -> None:
        """Every key of the grid, moves and typing alike, in the order it came (see `type_ahead`)."""
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        char = event.character
        if char is None or not char.isprintable() or event.key.startswith("ctrl+"):
            return
        event.stop()
        event.prevent_default()
        if self.read_only:
            self.post_message(self.Note(self, "只读：修改不会保存"))
        elif char in TYPED:
            self._type(char)
        else:
            self.post_message(
                self.Note(
                    self,
                    f"“{screen_text(char)}”没有填入：表格里只能填数字（可用全角数字和千分位逗号），文字请写在文字部分。",
                )
            )

    def _type(self, char: str) -> None:
        if not self.editing:
            self.editing = True
            self.original = self.report.value(self.ref)
            self.buffer = ""
        self.buffer += char
        self._apply_typing()

    def _apply_typing(self) -> None:
        """What is typed goes into the draft at once (totals and checks follow), and shows in the cell."""
        col = self.sheet.column(self.cursor)
        value = parse_cell(col.kind, self.buffer, col.unit) if self.buffer else None
        self.post_message(self.CellsChanged(self, [(self.ref, value)]))  # repainted with the totals that follow
        block = self.sheet.rows[self.cursor[0]][0]
        if self.sheet.widen(block, self.cursor[1], cell_len(self.buffer)):
            self._update_virtual_size()
            self._scroll_to_cursor()  # the wider cell may now reach past the right edge
            self.refresh()
        self._place_ime_cursor()

    def commit(self) -> None:
        """Finish typing in the current cell (its value is already in the draft)."""
        if self.editing:
            self.editing, self.buffer = False, ""
            self._refresh_cursor_cell()
            self.post_message(self.CursorMoved(self, self.ref))

    def action_move(self, rows: int, cols: int) -> None:
        self.commit()
        self.cursor = self.sheet.moved(self.cursor, rows, cols)

    def action_enter(self) -> None:
        self.commit()
        self.cursor = (
            self.sheet.tabbed(self.cursor, 1) if self.enter_goes_right else self.sheet.moved(self.cursor, 1, 0)
        )

    def action_tab(self, step: int) -> None:
        self.commit()
        self.cursor = self.sheet.tabbed(self.cursor, step)

    def action_page(self, direction: int) -> None:
        self.commit()
        self.cursor = self.sheet.moved(self.cursor, direction * max(1, self.body_height - 1), 0)

    def action_row_edge(self, side: int) -> None:
        self.commit()
        self.cursor = self.sheet.row_edge(self.cursor, side)

    def action_column_edge(self, side: int) -> None:
        self.commit()
        self.cursor = self.sheet.column_edge(self.cursor, side)

    def action_backspace(self) -> None:
        if self.editing:
            self.buffer = self.buffer[:-1]
            self._apply_typing()
        else:
            self.action_clear()

    def action_clear(self) -> None:
        if self.read_only:
            return
        self.editing, self.buffer = False, ""
        self.post_message(self.CellsChanged(self, [(self.ref, None)]))
        self._refresh_cursor_cell()

    def action_cancel(self) -> None:
        if not self.editing:
            raise SkipAction()
        self.editing, self.buffer = False, ""
        self.post_message(self.CellsChanged(self, [(self.ref, self.original)]))
        self._refresh_cursor_cell()

    def action_details(self) -> None:
        self.post_message(self.Asked(self, "details"))

    def action_fill_zeros(self) -> None:
        self.commit()
        self.post_message(self.Asked(self, "fill-zeros" if not self.read_only else "read-only"))

    def action_enter_direction(self) -> None:
        self.enter_goes_right = not self.enter_goes_right
        self.post_message(self.Asked(self, "enter-direction"))

    def action_label_width(self) -> None:
        self.post_message(self.Asked(self, "label-width"))

    def on_click(self, event: events.Click) -> None:
        """A click on a cell puts the cursor there."""
        sheet = self.sheet
        if event.y < sheet.frozen_height:
            return
        index = event.y - sheet.frozen_height + int(self.scroll_y)
        if index >= len(sheet.lines) or sheet.lines[index].kind != "row":
            return
        row = sheet.lines[index].data_index
        block = sheet.rows[row][0]
        x = event.x + int(self.scroll_x)
        for c in range(len(sheet.col_widths[block])):
            if sheet.column_x(block, c) <= x < sheet.column_x(block, c + 1):
                self.commit()
                self.cursor = (row, c)
                return

    def on_paste(self, event: events.Paste) -> None:
        """Fill cells with a block copied from Excel, WPS or a web page (see `core.paste`)."""
        event.stop()
        if self.read_only:
            self.post_message(self.Note(self, "只读：修改不会保存"))
            return
        self.commit()
        rows = [(self.sheet.blocks[b], row) for b, row in self.sheet.rows]
        plan = plan_paste(self.part, rows, self.cursor, event.text)
        if plan.cells:
            self.post_message(self.CellsChanged(self, plan.values))
        self.post_message(self.Pasted(self, plan))


class SheetLabels(Widget):
    """The row labels beside a `SheetEditor`: header corner, captions, group labels and row labels.

    A separate widget, so that repainting a cell never resends its row's label (Textual repaints
    a line of a widget from the widget's left edge). It shows what the `Sheet` says, from line
    `top` on: the view sets `top` when the sheet scrolls.
    """

    DEFAULT_CSS = """
    SheetLabels { height: 1fr; }
    SheetLabels > .labels--label { color: $text; }
    SheetLabels > .labels--group { color: $text-muted; text-style: bold; }
    SheetLabels > .labels--caption { color: $accent; text-style: bold; background: $panel; }
    SheetLabels > .labels--header { color: $text; text-style: bold; background: $panel; }
    """
    COMPONENT_CLASSES = {"labels--label", "labels--group", "labels--caption", "labels--header"}

    top: var[int] = var(0, always_update=False)
    """The first body line shown (the sheet's vertical scroll)."""

    def __init__(self, sheet: Sheet, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sheet = sheet

    def watch_top(self) -> None:
        self.refresh()

    def _line(self, text: str, style: str, depth: int = 0) -> Strip:
        width = self.size.width
        full = self.rich_style + self.get_component_rich_style(style, partial=True)
        shown = fit(" " * depth + screen_text(text), width - 1)
        return Strip([Segment(shown, full)]).adjust_cell_length(width, full)

    def _corner(self, block: int, k: int) -> Strip:
        corner = wrap(screen_text(self.sheet.blocks[block].label_header), self.size.width - 1)
        return self._line(corner[k] if k < len(corner) else "", "labels--header")

    def render_line(self, y: int) -> Strip:
        sheet = self.sheet
        if y < sheet.frozen_height:
            return self._corner(0, y)
        index = y - sheet.frozen_height + self.top
        if index >= len(sheet.lines):
            return Strip.blank(self.size.width, self.rich_style)
        line = sheet.lines[index]
        if line.kind == "header":
            return self._corner(line.block, line.header_line)
        style = {"caption": "labels--caption", "group": "labels--group"}.get(line.kind, "labels--label")
        return self._line(line.text, style, line.depth)
