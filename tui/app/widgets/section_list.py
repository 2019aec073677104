"""The list of sections on the left, each with its status; repaints only the lines that change."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ...core.session import Section, Status
from .display import OwnFocusRepaint

_STATUS_COLOR = {
    Status.EMPTY: Style(dim=True),
    Status.PROGRESS: Style(color="yellow"),
    Status.PROBLEMS: Style(color="red", bold=True),
    Status.DONE: Style(color="green"),
}
LINES_PER_SECTION = 2


class SectionList(OwnFocusRepaint, Widget, can_focus=True):
    """Sections of the report, two lines each (title, status). Enter opens one."""

    COMPONENT_CLASSES = {"sections--current", "sections--highlight"}
    BINDINGS = [
        Binding("up", "move(-1)", "上一项", show=False),
        Binding("down", "move(1)", "下一项", show=False),
        Binding("home,pageup", "move_to(0)", "第一项", show=False),
        Binding("end,pagedown", "move_to(-1)", "最后一项", show=False),
        Binding("enter", "open", "打开", show=False),
    ]

    class Chosen(Message):
        """The clerk chose a section."""

        def __init__(self, section_id: str) -> None:
            super().__init__()
            self.section_id = section_id

    def __init__(self, sections: list[Section], status: dict[str, tuple[Status, int]]) -> None:
        super().__init__(id="sections")
        self.sections = sections
        self.status = dict(status)
        self.current = 0  # the section on screen
        self.highlight = 0  # where the keyboard cursor is, when the list has focus

    def render_line(self, y: int) -> Strip:
        index, line = divmod(y, LINES_PER_SECTION)
        width = self.size.width
        base = self.rich_style
        if index >= len(self.sections):
            return Strip.blank(width, base)
        section = self.sections[index]
        style = base
        if index == self.current:
            style += self.get_component_rich_style("sections--current", partial=True)
        if self.has_focus and index == self.highlight:
            style += self.get_component_rich_style("sections--highlight", partial=True)
        if line == 0:
            text, extra = section.title, Style()
        else:
            status, problems = self.status[section.id]
            text = f"  {status.value} {problems}" if problems else f"  {status.value}"
            extra = _STATUS_COLOR[status]
        return Strip([Segment(text, style + extra)]).adjust_cell_length(width, style)

    def _refresh_section(self, index: int) -> None:
        self.refresh(Region(0, index * LINES_PER_SECTION, self.size.width, LINES_PER_SECTION))

    def set_status(self, status: dict[str, tuple[Status, int]]) -> None:
        for index, section in enumerate(self.sections):
            if status[section.id] != self.status.get(section.id):
                self.status[section.id] = status[section.id]
                self._refresh_section(index)

    def show(self, section_id: str) -> None:
        """Mark the section on screen."""
        index = [s.id for s in self.sections].index(section_id)
        old, self.current, self.highlight = self.current, index, index
        self._refresh_section(old)
        self._refresh_section(index)

    def action_move(self, step: int) -> None:
        self.action_move_to((self.highlight + step) % len(self.sections))

    def action_move_to(self, index: int) -> None:
        """Highlight section `index` (-1: the last)."""
        old = self.highlight
        self.highlight = index % len(self.sections)
        self._refresh_section(old)
        self._refresh_section(self.highlight)

    def action_open(self) -> None:
        self.post_message(self.Chosen(self.sections[self.highlight].id))

    def on_focus(self) -> None:
        self.highlight = self.current
        self._refresh_section(self.highlight)

    def on_blur(self) -> None:
        self._refresh_section(self.highlight)
