"""The review list: one line per unit under a frozen header, on the Line API.

Moving the cursor repaints the first column of the two lines it leaves and enters (the cursor
marks the unit's name) and the two lines under the list that describe the unit; new units arriving while the
folder is read repaint only the lines they fill; sorting and filtering repaint the list, never
the rest of the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ...core.review import ReviewStatus
from ...core.units import SortKey, Unit
from .display import OwnFocusRepaint, screen_text
from .sheet_editor import fit


@dataclass(frozen=True)
class ListColumn:
    """A column of the list: what it shows, its title, width (cells), alignment, and the sort it stands for."""

    key: str
    title: str
    width: int
    right: bool = False
    sort: SortKey | None = None


_FIXED = [
    ListColumn("status", "状态", 9, sort=SortKey.STATUS),
    ListColumn("errors", "错误", 5, True, SortKey.ERRORS),
    ListColumn("warnings", "警告", 5, True),
    ListColumn("infos", "提示", 5, True),
    ListColumn("saved", "最后保存", 13, sort=SortKey.SAVED),
    ListColumn("days", "截止", 10, sort=SortKey.DEADLINE),
]
_WIDE = [ListColumn("year", "年度", 6), ListColumn("format", "格式", 10), ListColumn("deadline", "截止日期", 12)]


def list_columns(width: int) -> list[ListColumn]:
    """The columns for a list `width` cells wide: at 80 the essentials, from 110 the year, format,
    date and file too."""
    fixed = sum(c.width for c in _FIXED)
    if width >= 110:
        rest = width - fixed - sum(c.width for c in _WIDE)
        org = max(16, rest * 3 // 5)
        return [
            ListColumn("org", "单位", org, sort=SortKey.NAME),
            ListColumn("name", "文件", max(8, rest - org)),
            _WIDE[0],
            _WIDE[1],
            *_FIXED[:5],
            _WIDE[2],
            _FIXED[5],
        ]
    return [ListColumn("org", "单位", max(12, width - fixed), sort=SortKey.NAME), *_FIXED]


def cell_value(unit: Unit, key: str) -> str:
    """What a column shows for a unit (plain text, safe for the screen)."""
    if key == "org":
        name = screen_text(unit.org if unit.readable else unit.name)
        return name + ("（编辑中）" if unit.locked_by else "")
    if key == "name":
        return screen_text(unit.name)
    if not unit.readable:
        return "无法读取" if key == "status" else ""
    if key == "status":
        return unit.status.label
    if key in ("errors", "warnings", "infos"):
        return str(getattr(unit, key))
    if key == "saved":
        return unit.saved[5:]
    if key == "year":
        return str(unit.year)
    if key == "format":
        return unit.format_short
    if key == "deadline":
        return unit.deadline.isoformat() if unit.deadline else ""
    if key == "days":
        if unit.days_left is None or unit.status is ReviewStatus.APPROVED:
            return ""
        return f"过 {-unit.days_left} 天" if unit.days_left < 0 else f"剩 {unit.days_left} 天"
    return ""


def _pad(text: str, width: int, right: bool) -> str:
    text = fit(text, width - 1)
    gap = " " * (width - 1 - cell_len(text))
    return (gap + text if right else text + gap) + " "


class UnitList(OwnFocusRepaint, Widget, can_focus=True):
    """The units of a review folder; Enter opens one. Posts `Highlighted` when the cursor moves."""

    DEFAULT_CSS = """
    UnitList { height: 1fr; }
    UnitList > .units--header { text-style: bold; background: $panel; }
    UnitList > .units--sorted { text-style: bold underline; background: $panel; color: $accent; }
    UnitList > .units--cursor { text-style: reverse; }
    UnitList > .units--error { color: $text-error; text-style: bold; }
    UnitList > .units--warning { color: $text-warning; }
    UnitList > .units--approved { color: $text-success; }
    UnitList > .units--returned { color: $text-warning; text-style: bold; }
    UnitList > .units--submitted { color: $text-accent; text-style: bold; }
    UnitList > .units--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES = {
        "units--header",
        "units--sorted",
        "units--cursor",
        "units--error",
        "units--warning",
        "units--approved",
        "units--returned",
        "units--submitted",
        "units--muted",
    }
    BINDINGS = [
        Binding("up", "move(-1)", "上一个", show=False),
        Binding("down", "move(1)", "下一个", show=False),
        Binding("pageup", "page(-1)", "上一屏", show=False),
        Binding("pagedown", "page(1)", "下一屏", show=False),
        Binding("home", "edge(-1)", "第一个", show=False),
        Binding("end", "edge(1)", "最后一个", show=False),
        Binding("enter", "open", "查看", show=False),
    ]

    class Highlighted(Message):
        """The cursor is on another unit (None: the list is empty)."""

        def __init__(self, unit: Unit | None) -> None:
            super().__init__()
            self.unit = unit

    class Chosen(Message):
        """The office asked to look at a unit."""

        def __init__(self, unit: Unit) -> None:
            super().__init__()
            self.unit = unit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.units: list[Unit] = []
        self.cursor = 0
        self.top = 0
        self.sort_key: SortKey | None = None

    # --- what is shown ------------------------------------------------------------------------

    @property
    def current(self) -> Unit | None:
        return self.units[self.cursor] if self.units else None

    @property
    def body_height(self) -> int:
        return max(1, self.size.height - 1)

    def show(self, units: list[Unit], sort_key: SortKey | None = None) -> None:
        """Show these units (sorted or filtered anew), the cursor staying on the same unit if it is there."""
        current = self.current
        self.units = units
        self.sort_key = sort_key
        paths = [u.path for u in units]
        self.cursor = paths.index(current.path) if current is not None and current.path in paths else 0
        self.top = 0
        self._keep_cursor_in_sight()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def append(self, units: list[Unit]) -> None:
        """Add units at the end (while the folder is read): only the lines they fill are repainted."""
        start = len(self.units)
        self.units.extend(units)
        first, last = start - self.top + 1, len(self.units) - self.top + 1
        if first < self.size.height:
            self.refresh(Region(0, first, self.size.width, min(last, self.size.height) - first))
        if start == 0 and units:
            self.post_message(self.Highlighted(self.current))

    def replace(self, unit: Unit) -> None:
        """Show a unit read again (after a status change): its line only."""
        for i, shown in enumerate(self.units):
            if shown.path == unit.path:
                self.units[i] = unit
                self._refresh_row(i)
                if i == self.cursor:
                    self.post_message(self.Highlighted(unit))
                return

    def _refresh_row(self, index: int, *, cursor_only: bool = False) -> None:
        """Repaint a row; `cursor_only`: just its first column, the one the cursor marks."""
        y = index - self.top + 1
        if 1 <= y < self.size.height:
            width = list_columns(self.size.width)[0].width if cursor_only else self.size.width
            self.refresh(Region(0, y, width, 1))

    def _keep_cursor_in_sight(self) -> bool:
        """Scroll by whole lines so the cursor is visible; whether the list scrolled."""
        top = self.top
        if self.cursor < top:
            top = self.cursor
        elif self.cursor >= top + self.body_height:
            top = self.cursor - self.body_height + 1
        if top != self.top:
            self.top = top
            return True
        return False

    # --- keys ---------------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        if not self.units:
            return
        index = max(0, min(len(self.units) - 1, index))
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        if self._keep_cursor_in_sight():
            self.refresh()
        else:
            self._refresh_row(old, cursor_only=True)
            self._refresh_row(index, cursor_only=True)
        self.post_message(self.Highlighted(self.current))

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * self.body_height)

    def action_edge(self, side: int) -> None:
        self.move_to(0 if side < 0 else len(self.units) - 1)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def on_focus(self) -> None:
        self._refresh_row(self.cursor, cursor_only=True)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor, cursor_only=True)

    def on_resize(self, event: events.Resize) -> None:
        self._keep_cursor_in_sight()

    # --- painting -----------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        columns = list_columns(width)
        if y == 0:
            header = base + self._style("units--header")
            segments = [
                Segment(_pad(c.title, c.width, c.right), header + self._style("units--sorted"))
                if c.sort is not None and c.sort is self.sort_key
                else Segment(_pad(c.title, c.width, c.right), header)
                for c in columns
            ]
            return Strip(segments).adjust_cell_length(width, header)
        index = self.top + y - 1
        if index >= len(self.units):
            return Strip.blank(width, base)
        unit = self.units[index]
        cursor = base + self._style("units--cursor") if index == self.cursor and self.has_focus else base
        segments = [  # the cursor marks the first column: moving it repaints only that column of two lines
            Segment(
                _pad(cell_value(unit, c.key), c.width, c.right),
                (cursor if i == 0 else base) + self._cell_style(unit, c.key),
            )
            for i, c in enumerate(columns)
        ]
        return Strip(segments).adjust_cell_length(width, base)

    def _cell_style(self, unit: Unit, key: str) -> Style:
        if not unit.readable:
            return self._style("units--error") if key == "status" else self._style("units--muted")
        if key == "errors" and unit.errors:
            return self._style("units--error")
        if key == "warnings" and unit.warnings:
            return self._style("units--warning")
        if key == "status":
            name = {
                ReviewStatus.APPROVED: "units--approved",
                ReviewStatus.RETURNED: "units--returned",
                ReviewStatus.SUBMITTED: "units--submitted",
            }.get(unit.status)
            return self._style(name) if name else Style()
        if key == "days" and unit.overdue:
            return self._style("units--error")
        if key == "days" and unit.due_soon:
            return self._style("units--warning")
        return Style()
