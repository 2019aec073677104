"""What the editor shows for each section: the basic form, a text part, a table, the finish."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static, TextArea

from ...core.checks import SEVERITY_LABELS, count_by_severity
from ...core.formats import CellRef
from ...core.session import BASIC, FINISH, DraftSession, Section
from ...core.totals import total_cells
from .display import screen_text
from .findings_list import FindingsList
from .prose import Prose
from .table_grid import RowLabels, TableGrid, cell_text
from .text_editor import TextEditor


class SectionView(Vertical):
    """Base of the section views: knows its section and the session it edits."""

    def __init__(self, section: Section, session: DraftSession) -> None:
        super().__init__(id=f"view-{section.id}")
        self.section = section
        self.session = session

    def focus_first(self) -> None:
        """Put the focus where the clerk types."""

    def refresh_from_session(self) -> None:
        """Show what changed in the session (findings, marks)."""


class BasicView(SectionView):
    """机关名称、年度、格式."""

    def compose(self) -> ComposeResult:
        report = self.session.report
        fmt = report.format
        yield Static("基本信息", classes="heading")
        with Horizontal(classes="form-row"):
            yield Label("机关名称")
            yield Input(report.org, id="org", placeholder="例如：某某市某某局", max_length=60)
        with Horizontal(classes="form-row"):
            yield Label("报告年度")
            yield Input(str(report.year), id="year", restrict=r"[0-9]*", max_length=4)
        yield Static(
            screen_text(f"报告格式：{fmt.name}（{fmt.document}），适用于{fmt.years_label}的报告。"), id="format-info"
        )
        yield Static(f"标题：{report.title}", id="derived-info")

    def on_mount(self) -> None:
        for inp in self.query(Input):
            inp.cursor_blink = False
            inp.disabled = self.session.read_only

    def focus_first(self) -> None:
        self.query_one("#org", Input).focus()

    def refresh_from_session(self) -> None:
        self.query_one("#derived-info", Static).update(f"标题：{self.session.report.title}")


class TextView(SectionView):
    """A text part: its heading, the official guidance, and a soft-wrapping editor."""

    def compose(self) -> ComposeResult:
        part = self.section.part
        assert part is not None
        yield Static(part.heading, classes="heading")
        if part.guidance:
            yield Prose(part.guidance, classes="guidance")
        area = TextEditor(
            self.session.report.text(part.id),
            id="text",
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            read_only=self.session.read_only,
            placeholder="在这里输入本部分内容",
        )
        area.cursor_blink = False
        yield area

    def focus_first(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        where = self.session.report.position.get("text", "")
        if where.count(",") == 1 and where.replace(",", "").isdigit():
            row, col = (int(x) for x in where.split(","))
            area.cursor_location = (row, col)


class TableView(SectionView):
    """A statistics table as a spreadsheet, with what is known about the current cell below."""

    _cell_info = ""

    def __init__(self, section: Section, session: DraftSession) -> None:
        super().__init__(section, session)
        part = section.part
        assert part is not None
        start = None
        cell = session.report.position.get("cell", "")
        if "/" in cell:
            row, col = cell.split("/", 1)
            start = CellRef(part.id, row, col)
        # Kept as attributes: edits and cursor moves use them without searching the DOM.
        self.grid = TableGrid(
            part,
            session.report,
            totals=total_cells(session.report.format),
            marks=frozenset(session.cell_findings),
            start=start,
            read_only=session.read_only,
            id="grid",
        )
        self.labels = RowLabels(self.grid)
        self.cell_info = Static("", id="cell-info")

    def compose(self) -> ComposeResult:
        assert self.section.part is not None
        yield Static(self.section.part.heading, classes="heading")
        self.labels.styles.width = self._label_width(self.app.size.width - 20)  # right for the first paint
        with Horizontal(id="table"):
            yield self.labels
            yield self.grid
        yield self.cell_info

    @staticmethod
    def _label_width(width: int) -> int:
        return 20 if width < 100 else 34

    def on_resize(self) -> None:
        width = self._label_width(self.size.width)
        if self.labels.styles.width is None or self.labels.styles.width.value != width:
            self.labels.styles.width = width

    def focus_first(self) -> None:
        self.grid.focus()

    def show_cell(self, ref: CellRef) -> None:
        col, row = self.session.report.format.cell_index[ref]
        value = self.session.report.value(ref)
        shown = cell_text(value) or "（空白）"
        unit = f" {col.unit}" if col.unit and value is not None else ""
        kind = "（合计，随各项自动计算）" if ref in self.grid.totals else ""
        text = Text(screen_text(f"{row.name}／{col.name}：{shown}{unit}{kind}"), no_wrap=True, overflow="crop")
        for f in self.session.cell_findings.get(ref, [])[:1]:
            style = "red" if f.severity == "error" else "yellow"
            text.append(f"\n[{f.severity_label}] {screen_text(f.message)}", style=style)
        if text.plain != self._cell_info:  # unchanged text: send nothing to the terminal
            self._cell_info = text.plain
            self.cell_info.update(text, layout=False)

    def show_note(self, note: str, *, error: bool = False) -> None:
        """Say something about the last action on the line under the table (until the cursor moves)."""
        text = Text(screen_text(note), style="red" if error else "")
        self._cell_info = text.plain
        self.cell_info.update(text, layout=False)

    def refresh_from_session(self, changed: list[CellRef] | None = None) -> None:
        grid = self.grid
        marks = frozenset(self.session.cell_findings)
        # one repaint for the typed cell, the totals that followed and the marks that moved
        grid.refresh_cells({grid.ref, *(changed or ()), *(marks ^ grid.marks)})
        grid.marks = marks
        if not grid.editing:  # while typing, the cell shows the value; the line below waits
            self.show_cell(grid.ref)


class FinishView(SectionView):
    """检查与导出: a summary of the checks and every finding."""

    def compose(self) -> ComposeResult:
        yield Static("检查与导出", classes="heading")
        yield Static(self._summary(), id="summary")
        yield FindingsList(self.session.findings, id="finish-findings")

    def _summary(self) -> Text:
        counts = count_by_severity(self.session.findings)
        text = Text()
        if counts["error"]:
            text.append(f"还有 {counts['error']} 个错误，导出内容只能作为预览。", style="bold red")
        else:
            text.append("没有错误，可以导出。", style="bold green")
        rest = "，".join(f"{SEVERITY_LABELS[k]} {v} 个" for k, v in counts.items() if v and k != "error")
        if rest:
            text.append(f"（{rest}）")
        text.append("\n选择一条问题按回车可跳转到相应位置。Ctrl+E 导出 Markdown、纯文本或 HTML。")
        return text

    def focus_first(self) -> None:
        self.query_one(FindingsList).focus()

    def refresh_from_session(self) -> None:
        self.query_one("#summary", Static).update(self._summary())
        self.query_one(FindingsList).set_findings(self.session.findings)


def make_view(section: Section, session: DraftSession) -> SectionView:
    if section.id == BASIC:
        return BasicView(section, session)
    if section.id == FINISH:
        return FinishView(section, session)
    if section.kind == "table":
        return TableView(section, session)
    return TextView(section, session)
