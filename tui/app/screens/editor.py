"""The editor: the section list on the left, one section at a time on the right."""

from __future__ import annotations

import time
from collections.abc import Iterator

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TextArea

from ...core.checks import Finding, count_by_severity
from ...core.formats import CellRef
from ...core.report import parse_year
from ...core.session import BASIC, DraftSession, section_of, sections
from ...core.settings import Settings
from ...core.store import DraftError
from ..widgets.display import screen_text
from ..widgets.findings_list import FindingsList
from ..widgets.keybar import KeyBar
from ..widgets.section_list import SectionList
from ..widgets.section_views import BasicView, SectionView, TableView, make_view
from ..widgets.sheet_editor import SheetEditor


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
        """The clerk moved to another section: the app saves what changed (where the clerk is goes
        with the next save of a change, and on quit)."""

    def __init__(self, session: DraftSession, settings: Settings | None = None) -> None:
        super().__init__()
        self.session = session
        self.settings = settings or Settings()
        self.sections = sections(session.report.format)
        self.current = ""
        self.view: SectionView | None = None
        self._views: dict[str, SectionView] = {}  # built on the first visit, then kept (hidden)
        self._status_text = ""
        self.section_list = SectionList(self.sections, self.session.status())

    def compose(self) -> ComposeResult:
        with Horizontal(id="editor"):
            yield self.section_list
            yield Vertical(id="content")
        yield Static("", id="statusbar")
        yield KeyBar()

    def on_mount(self) -> None:
        start = self.session.report.position.get("section", BASIC)
        if start not in [s.id for s in self.sections]:
            start = BASIC
        self.show_section(start)
        self.update_statusbar()

    # --- sections --------------------------------------------------------------------------

    def show_section(self, section_id: str, *, focus: bool = True, cell: CellRef | None = None) -> None:
        """Show one section (on `cell`, for a table). Its view is built on the first visit and kept,
        hidden, for the next ones: showing it again costs one repaint and finds the cursor where it was."""
        if cell is not None:
            self.session.set_position(cell=f"{cell.row}/{cell.col}")  # where a new table view starts
            existing = self._views.get(section_id)
            if isinstance(existing, TableView):
                existing.sheet.select(cell)
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
        self.section_list.show(section_id)
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
        view = make_view(section, self.session, enter_goes_right=self.settings.enter_goes_right)
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
        """The next or previous section; at either end the clerk is told, and stays (no wrapping round)."""
        ids = [s.id for s in self.sections]
        index = ids.index(self.current) + step
        if not 0 <= index < len(ids):
            where = "最后一节（检查与导出）" if step > 0 else "第一节（基本信息）"
            self.notify(f"已经是{where}。", timeout=3)
            return
        self.show_section(ids[index])

    def action_focus_sections(self) -> None:
        self.section_list.focus()

    @on(SectionList.Chosen)
    def _section_chosen(self, event: SectionList.Chosen) -> None:
        self.show_section(event.section_id)

    def jump_to(self, finding: Finding) -> None:
        """Open the section a finding is about: on its first cell, or with the sentence it quotes selected."""
        section = section_of(finding)
        if finding.text is None or finding.start is None or finding.end is None:
            self.show_section(section, cell=finding.cells[0] if finding.cells else None)
            return
        target = (finding.text, finding.start, finding.end)
        view = self._views.get(section)
        if view is not None:
            self.show_section(section, focus=False)
            view.select_range(*target)
        else:
            self.show_section(section)  # builds the view; it selects the sentence when it is first focused
            assert self.view is not None
            self.view.pending_range = target

    @on(OptionList.OptionSelected, "#finish-findings")
    def _finding_chosen(self, event: OptionList.OptionSelected) -> None:
        finding = self.query_one("#finish-findings", FindingsList).finding(event.option.id)
        if finding is not None:
            self.jump_to(finding)

    # --- edits -----------------------------------------------------------------------------

    def show_change(self, changed: list[CellRef] | None = None, view: SectionView | None = None) -> None:
        """Show the consequences of an edit in `view` (the one on screen by default): marks, statuses,
        counts; then have a save scheduled."""
        view = view or self.view
        if isinstance(view, TableView):
            view.refresh_from_session(changed)
        elif view is not None:
            view.refresh_from_session()
        self.section_list.set_status(self.session.status())
        self.update_statusbar()
        if self.session.review_reopened is not None:
            self.notify(self.session.review_reopened.comment + "：改完后在命令面板（F9）中选“提交审核”", timeout=10)
            self.session.review_reopened = None
        self.post_message(self.Changed())

    @staticmethod
    def _table_view(sheet: SheetEditor) -> TableView:
        return next(node for node in sheet.ancestors if isinstance(node, TableView))

    @on(SheetEditor.CellsChanged)
    def _cells_changed(self, event: SheetEditor.CellsChanged) -> None:
        changed = []
        for ref, value in event.values:
            changed += self.session.set_cell(ref, value)
        self.show_change(changed, self._table_view(event.sheet))

    @on(SheetEditor.Pasted)
    def _pasted(self, event: SheetEditor.Pasted) -> None:
        self._table_view(event.sheet).show_note(event.plan.summary(), error=bool(event.plan.refused))

    @on(SheetEditor.Note)
    def _sheet_note(self, event: SheetEditor.Note) -> None:
        self._table_view(event.sheet).show_note(event.text, error=True)

    @on(SheetEditor.CursorMoved)
    def _cursor_moved(self, event: SheetEditor.CursorMoved) -> None:
        view = self._table_view(event.sheet)
        if view is self.view:
            self.session.set_position(cell=f"{event.ref.row}/{event.ref.col}")
        view.show_cell(event.ref)

    @on(SheetEditor.Asked)
    def _sheet_asked(self, event: SheetEditor.Asked) -> None:
        view = self._table_view(event.sheet)
        if event.what == "details":
            from .cell_details import CellDetailsScreen

            self.app.push_screen(CellDetailsScreen(self.session, event.sheet.ref, view.cell_description))
        elif event.what == "fill-zeros":
            self._ask_fill_zeros(view)
        elif event.what == "label-width":
            view.widen_labels()
        elif event.what == "read-only":
            view.show_note("只读：修改不会保存", error=True)
        elif event.what == "enter-direction":
            right = event.sheet.enter_goes_right
            for other in self._views.values():
                if isinstance(other, TableView):
                    other.sheet.enter_goes_right = right
            self.settings.enter_goes_right = right
            kept = "" if self.settings.save() else "（设置无法保存，只在本次有效）"
            view.show_note(f"回车键现在{'向右' if right else '向下'}移动{kept}。再按 Ctrl+U 切换。")

    def _ask_fill_zeros(self, view: TableView) -> None:
        from .choice import ChoiceScreen

        part = view.section.part
        assert part is not None
        blanks = self.session.blank_cells(part.id)
        if not blanks:
            view.show_note("这张表没有空白单元格。")
            return

        def answered(answer: str | None) -> None:
            if answer == "fill":
                changed = self.session.fill_blanks(part.id)
                self.show_change(changed, view)
                view.show_note(f"已把 {len(blanks)} 个空白单元格填为 0。")

        message = f"{part.heading}：有 {len(blanks)} 个空白单元格。没有数据的单元格应填 0。把它们都填为 0 吗？"
        self.app.push_screen(ChoiceScreen("空白填 0", message, [("fill", "都填为 0"), ("cancel", "取消")]), answered)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        # the text this text area edits, not the part on screen: the clerk may have moved on
        view = next((v for v in event.text_area.ancestors if isinstance(v, SectionView)), None)
        text_id = view.text_id_of(event.text_area) if view is not None else None
        if text_id is not None:
            self.session.set_text(text_id, event.text_area.text)
            self.show_change(view=view)

    @on(TextArea.SelectionChanged)
    def _text_cursor(self, event: TextArea.SelectionChanged) -> None:
        view = next((v for v in event.text_area.ancestors if isinstance(v, SectionView)), None)
        text_id = view.text_id_of(event.text_area) if view is not None else None
        if view is not None and text_id is not None:
            row, col = event.selection.end
            self.session.set_position(text=f"{text_id}:{row},{col}")  # where to come back to, in that text
            view.show_sentence_note(event.text_area)

    @on(Input.Changed, "#org")
    def _org_changed(self, event: Input.Changed) -> None:
        if event.value == self.session.report.org:
            return  # the form shown with the stored name (spaces and all): nothing was typed
        self.session.set_meta(org=event.value.strip())
        self.show_change()

    @on(Input.Changed, "#year")
    def _year_changed(self, event: Input.Changed) -> None:
        year = parse_year(event.value)
        event.input.set_class(year is None, "-invalid")
        if year is not None:
            self.session.set_meta(year=year)
            self.show_change()
        elif isinstance(self.view, BasicView):
            said = f"年度“{event.value}”不是有效的四位年份，草稿仍按 {self.session.report.year} 年保存"
            self.view.query_one("#derived-info", Static).update(Text(screen_text(said), style="red"))

    # --- review ----------------------------------------------------------------------------

    def action_submit(self) -> None:
        """Submit the draft for review (待审): refused while it has errors, saved at once."""
        from ...core.review import ReviewRefused, ReviewStatus
        from ...core.units import set_session_status

        if self.session.read_only:
            self.notify("只读打开的草稿不能提交审核", severity="warning")
            return
        try:
            set_session_status(self.session, ReviewStatus.SUBMITTED)
        except ReviewRefused as exc:
            self.notify(str(exc), severity="warning", timeout=10, markup=False)
            return
        except DraftError as exc:
            self.notify(screen_text(str(exc)), severity="error", timeout=10, markup=False)
            return
        self.update_statusbar()
        self.notify("已提交审核（待审）。审核意见会显示在状态栏。", timeout=8)

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The editor's own actions in the command palette."""
        yield SystemCommand("提交审核", "把草稿设为“待审”；有错误时不能提交", self.action_submit)

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
        name = screen_text(s.path.name) if s.path else "（未命名）"
        text = f"{name}  {saved}  |  错误 {counts['error']}  警告 {counts['warning']}  提示 {counts['info']}"
        review = s.report.review
        if not review.empty:
            last = review.last_comment
            text += f"  |  审核：{review.status.label}" + (screen_text(f"：{last.comment}") if last else "")
        if text != self._status_text:
            self._status_text = text
            self.query_one("#statusbar", Static).update(Text(text, no_wrap=True, overflow="ellipsis"), layout=False)
