"""The editor: the section list on the left, one section at a time on the right."""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TextArea

from ...core.checks import Finding, count_by_severity
from ...core.formats import CellRef
from ...core.session import BASIC, DraftSession, section_of, sections
from ..widgets.findings_list import FindingsList
from ..widgets.keybar import KeyBar
from ..widgets.section_list import SectionList
from ..widgets.sections import SectionView, TableView, TextView, make_view
from ..widgets.table_grid import TableGrid


class EditorScreen(Screen[None]):
    """Edit one draft. Changes go into the session; the app saves it."""

    AUTO_FOCUS = ""  # the section view decides (the grid, the text, the first field)
    # Textual repaints the whole screen whenever the focus moves; the widgets that gain and
    # lose focus repaint themselves, so the rest of the screen need not be sent again.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    BINDINGS = [
        Binding("f6,ctrl+n", "step(1)", "下一节", id="next-section", priority=True, tooltip="下一节"),
        Binding("f5,ctrl+b", "step(-1)", "上一节", id="previous-section", priority=True, show=False, tooltip="上一节"),
        Binding(
            "f7,ctrl+l",
            "focus_sections",
            "目录",
            id="sections",
            priority=True,
            tooltip="转到左侧目录：上下键选择，回车打开",
        ),
    ]

    class Changed(Message):
        """The clerk changed the draft (the app schedules a save)."""

    class SectionLeft(Message):
        """The clerk moved to another section (the app saves, with where the clerk is)."""

    def __init__(self, session: DraftSession) -> None:
        super().__init__()
        self.session = session
        self.sections = sections(session.report.format)
        self.current = ""
        self.view: SectionView | None = None
        self._views: dict[str, SectionView] = {}  # built on the first visit, then kept (hidden)
        self._status_text = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="editor"):
            yield SectionList(self.sections, self.session.status())
            yield Vertical(id="content")
        yield Static("", id="statusbar")
        yield KeyBar()

    def on_mount(self) -> None:
        start = self.session.report.position.get("section", BASIC)
        if start not in [s.id for s in self.sections]:
            start = BASIC
        self.go(start)
        self.update_statusbar()

    # --- sections --------------------------------------------------------------------------

    def go(self, section_id: str, *, focus: bool = True) -> None:
        """Show one section. Its view is built on the first visit and kept, hidden, for the next ones:
        showing it again costs one repaint and finds the cursor where it was."""
        if section_id == self.current:
            if focus and self.view is not None:
                self.view.focus_first()
            return
        self.post_message(self.SectionLeft())
        section = next(s for s in self.sections if s.id == section_id)
        content = self.query_one("#content")
        old = self.view
        view = self._views.get(section_id)
        self.current = section_id
        self.session.set_position(section=section_id)
        self.query_one(SectionList).show(section_id)
        if view is not None:
            with self.app.batch_update():
                if focus:
                    self.set_focus(None)
                if old is not None:
                    old.styles.visibility = "hidden"
                view.styles.visibility = "visible"
                self.view = view
                view.refresh_from_session()
                if focus:
                    view.focus_first()
            return
        view = make_view(section, self.session)
        self._views[section_id] = view
        self.view = view

        async def show_new() -> None:
            # One batch, and no focus hop to the section list in between (each focus change repaints).
            with self.app.batch_update():
                if focus:
                    self.set_focus(None)
                if old is not None:
                    old.styles.visibility = "hidden"
                await content.mount(view)
                if focus and view is self.view:
                    view.focus_first()

        self.call_later(show_new)

    def action_step(self, step: int) -> None:
        ids = [s.id for s in self.sections]
        self.go(ids[(ids.index(self.current) + step) % len(ids)])

    def action_focus_sections(self) -> None:
        self.query_one(SectionList).focus()

    @on(SectionList.Chosen)
    def _section_chosen(self, event: SectionList.Chosen) -> None:
        self.go(event.section_id)

    def jump_to(self, finding: Finding) -> None:
        """Open the section a finding is about, on its first cell."""
        self.go(section_of(finding))
        if finding.cells:
            ref = finding.cells[0]

            def select() -> None:
                view = self.view
                if isinstance(view, TableView):
                    view.grid.select(ref)

            self.call_after_refresh(select)

    @on(OptionList.OptionSelected, "#finish-findings")
    def _finding_chosen(self, event: OptionList.OptionSelected) -> None:
        finding = self.query_one("#finish-findings", FindingsList).finding(event.option.id)
        if finding is not None:
            self.jump_to(finding)

    # --- edits -----------------------------------------------------------------------------

    def after_change(self, changed: list[CellRef] | None = None) -> None:
        """Show the consequences of an edit: marks, statuses, counts; then schedule a save."""
        view = self.view
        if isinstance(view, TableView):
            view.refresh_from_session(changed)
        elif view is not None:
            view.refresh_from_session()
        self.query_one(SectionList).set_status(self.session.status())
        self.update_statusbar()
        self.post_message(self.Changed())

    def _grid_view(self, grid: TableGrid) -> TableView | None:
        """The table view of `grid` if it is the one on screen (not one being removed)."""
        view = self.view
        return view if isinstance(view, TableView) and view.grid is grid else None

    @on(TableGrid.CellsChanged)
    def _cells_changed(self, event: TableGrid.CellsChanged) -> None:
        changed = []
        for ref, value in event.values:
            changed += self.session.set_cell(ref, value)
        self.after_change(changed)

    @on(TableGrid.Pasted)
    def _pasted(self, event: TableGrid.Pasted) -> None:
        view = self._grid_view(event.grid)
        if view is not None:
            view.show_note(event.plan.summary(), error=bool(event.plan.refused))

    @on(TableGrid.CursorMoved)
    def _cursor_moved(self, event: TableGrid.CursorMoved) -> None:
        view = self._grid_view(event.grid)
        if view is not None:
            self.session.set_position(cell=f"{event.ref.row}/{event.ref.col}")
            view.show_cell(event.ref)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        # the part the text area belongs to, not the one on screen: the clerk may have moved on
        view = next((v for v in event.text_area.ancestors if isinstance(v, TextView)), None)
        if view is not None and view.section.part is not None:
            self.session.set_text(view.section.part.id, event.text_area.text)
            self.after_change()

    @on(TextArea.SelectionChanged)
    def _text_cursor(self, event: TextArea.SelectionChanged) -> None:
        row, col = event.selection.end
        self.session.set_position(text=f"{row},{col}")

    @on(Input.Changed, "#org")
    def _org_changed(self, event: Input.Changed) -> None:
        self.session.set_meta(org=event.value.strip())
        self.after_change()

    @on(Input.Changed, "#year")
    def _year_changed(self, event: Input.Changed) -> None:
        if len(event.value) == 4 and 1990 <= int(event.value) <= 2200:
            self.session.set_meta(year=int(event.value))
            self.after_change()

    # --- status ----------------------------------------------------------------------------

    def update_statusbar(self) -> None:
        s = self.session
        counts = count_by_severity(s.findings)
        if s.read_only:
            saved = "只读"
        elif s.dirty:
            saved = "有未保存的修改"
        elif s.saved_at is not None:
            saved = "已保存 " + time.strftime("%H:%M:%S", time.localtime(s.saved_at))
        else:
            saved = "已打开"
        name = s.path.name if s.path else "（未命名）"
        text = f"{name}  {saved}  |  错误 {counts['error']}  警告 {counts['warning']}  提示 {counts['info']}"
        if text != self._status_text:
            self._status_text = text
            self.query_one("#statusbar", Static).update(text, layout=False)
