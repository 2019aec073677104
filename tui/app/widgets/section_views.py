"""What the editor shows for each section: the basic form, a text part, a table, the finish."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea
from textual.widgets.text_area import Selection

from ...core.checks import SEVERITY_LABELS, Finding, count_by_severity
from ...core.formats import CellRef
from ...core.printed_table import cell_text
from ...core.report import PREAMBLE
from ...core.session import BASIC, FINISH, DraftSession, Section
from ...core.text_table import wrap
from ...core.totals import total_cells
from .display import screen_text
from .findings_list import SEVERITY_STYLE, FindingsList
from .prose import Prose
from .sheet_editor import LABEL_WIDTHS, SheetEditor, SheetLabels, default_label_width, fit, next_label_width
from .text_editor import LONGEST_LINE, TextEditor, longest_line


def offset_of(text: str, location: tuple[int, int]) -> int:
    """A (line, column) location of a text area as a character offset into its text."""
    row, col = location
    return sum(len(line) + 1 for line in text.split("\n")[:row]) + col


def location_of(text: str, offset: int) -> tuple[int, int]:
    """A character offset into a text as a (line, column) location of a text area."""
    before = text[:offset]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)


TYPING = "正在输入（回车或方向键结束）"
"""What the line under a table says of the cell being typed in (the cell itself shows each digit)."""

SENTENCE_NOTE_LINES = 2
"""Lines under a text for what the checks say about the sentence at the cursor."""


def sentence_note(area_id: str) -> Widget:
    """The lines under a text that say why a sentence is underlined (hidden while none is)."""
    note = CellLine(SENTENCE_NOTE_LINES, id=f"{area_id}-note")
    note.display = False
    return note


def text_editor_for(text: str, id: str, read_only: bool, placeholder: str) -> Widget:
    """The editor of one of the draft's texts; for a paragraph too long to edit (only a broken or
    hostile draft has one), a note saying so, which keeps the app usable."""
    if longest_line(text) > LONGEST_LINE:
        return Static(
            Text(
                f"这里有一段长达 {longest_line(text)} 字（超过 {LONGEST_LINE} 字），无法在这里编辑。"
                "请用文本编辑器检查草稿文件；检查和导出不受影响。",
                style="bold red",
            )
        )
    area = TextEditor(
        text,
        id=id,
        soft_wrap=True,
        tab_behavior="focus",
        show_line_numbers=False,
        read_only=read_only,
        placeholder=placeholder,
    )
    area.cursor_blink = False
    return area


class SectionView(Vertical):
    """Base of the section views: knows its section and the session it edits."""

    def __init__(self, section: Section, session: DraftSession) -> None:
        super().__init__(id=f"view-{section.id}")
        self.section = section
        self.session = session
        self.pending_range: tuple[str, int, int] | None = None  # (text id, start, end) to select when shown

    def focus_first(self) -> None:
        """Put the focus where the clerk types."""

    def refresh_from_session(self) -> None:
        """Show what changed in the session (findings, marks)."""
        self.mark_sentences()

    def sentence_findings(self, text_id: str | None) -> list[Finding]:
        """The findings about stretches of one of the draft's texts."""
        return [
            f
            for f in self.session.findings
            if f.text == text_id and f.start is not None and f.end is not None and f.end > f.start
        ]

    def mark_sentences(self) -> None:
        """Underline, in each text of this view, the sentences that findings are about, and say why."""
        for area in self.query(TextEditor):
            area.mark([(f.start or 0, f.end or 0) for f in self.sentence_findings(self.text_id_of(area))])
            self.show_sentence_note(area)

    def show_sentence_note(self, area: TextArea) -> None:
        """Under a text: what the finding at the cursor says, or how many sentences are underlined."""
        notes = self.query(f"#{area.id}-note").results(CellLine)
        note = next(notes, None)
        if note is None:
            return
        findings = self.sentence_findings(self.text_id_of(area))
        note.display = bool(findings)
        if not findings:
            note.show([])
            return
        width = max(20, note.size.width or area.size.width or 60)
        here = offset_of(area.text, area.selection.end)
        at_cursor = [f for f in findings if (f.start or 0) <= here <= (f.end or 0)]
        if at_cursor:
            lines = finding_lines(at_cursor[0], width)
        else:
            said = f"{len(findings)} 处文字带下划线：光标移到其上看说明（Ctrl+F 列出全部）"
            lines = [(line, "") for line in wrap(said, width)]
        note.show(clipped(lines, SENTENCE_NOTE_LINES, width, "…（Ctrl+F 查看全部）"))

    def on_mount(self) -> None:
        self.mark_sentences()

    def on_resize(self) -> None:
        self.mark_sentences()  # the notes under the texts wrap to the new width

    def text_id_of(self, area: TextArea) -> str | None:
        """Which of the draft's texts a text area of this view edits."""
        return None

    def select_range(self, text_id: str, start: int, end: int) -> bool:
        """Select characters `start` to `end` of a text (a sentence a finding quotes); whether it is here."""
        for area in self.query(TextArea):
            if self.text_id_of(area) == text_id:
                text = self.session.report.text(text_id)
                area.focus()
                area.selection = Selection(location_of(text, start), location_of(text, end))
                area.scroll_cursor_visible(center=True)
                return True
        return False

    def _apply_pending_range(self) -> bool:
        if self.pending_range is None:
            return False
        pending, self.pending_range = self.pending_range, None
        return self.select_range(*pending)


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
        info = f"报告格式：{fmt.name}（{fmt.document}），适用于{fmt.years_label}的报告。"
        yield Static(Text(screen_text(info)), id="format-info")
        yield Static(Text(screen_text(f"标题：{report.title}")), id="derived-info")
        yield Static("开篇说明（编制依据、统计期限、联系方式；补全【请填写】处）", classes="field-heading")
        yield text_editor_for(
            report.text(PREAMBLE),
            "preamble",
            self.session.read_only,
            "本报告由……根据《中华人民共和国政府信息公开条例》……编制。报告所列统计期限自……",
        )
        yield sentence_note("preamble")

    def on_mount(self) -> None:
        for inp in self.query(Input):
            inp.cursor_blink = False
            inp.disabled = self.session.read_only

    def focus_first(self) -> None:
        if not self._apply_pending_range():
            self.query_one("#org", Input).focus()

    def text_id_of(self, area: TextArea) -> str | None:
        return PREAMBLE if area.id == "preamble" else None

    def refresh_from_session(self) -> None:
        super().refresh_from_session()
        self.query_one("#derived-info", Static).update(Text(screen_text(f"标题：{self.session.report.title}")))


class TextView(SectionView):
    """A text part: its heading, the official guidance, and a soft-wrapping editor."""

    def compose(self) -> ComposeResult:
        part = self.section.part
        assert part is not None
        yield Static(part.heading, classes="heading")
        if part.guidance:
            yield Prose(part.guidance, classes="guidance")
        yield text_editor_for(self.session.report.text(part.id), "text", self.session.read_only, "在这里输入本部分内容")
        yield sentence_note("text")

    def text_id_of(self, area: TextArea) -> str | None:
        return self.section.part.id if self.section.part is not None else None

    def focus_first(self) -> None:
        if self._apply_pending_range():
            return
        areas = self.query(TextArea)
        if not areas:
            return
        area = areas.first()
        area.focus()
        own = self.text_id_of(area)
        text_id, _, where = self.session.report.position.get("text", "").rpartition(":")
        if text_id == own and where.count(",") == 1 and where.replace(",", "").isdigit():
            row, col = (int(x) for x in where.split(","))
            area.cursor_location = (row, col)  # where the clerk left this text
        row, col = area.cursor_location
        self.session.set_position(text=f"{own}:{row},{col}")  # this text is the one the clerk is in


def finding_lines(f: Finding, width: int) -> list[tuple[str, str]]:
    """A finding's severity and whole message, wrapped to `width`, in its severity's colour."""
    style = SEVERITY_STYLE.get(f.severity, "")
    return [(line, style) for line in wrap(screen_text(f"[{f.severity_label}] {f.message}"), width)]


def clipped(
    lines: list[tuple[str, str]], count: int, width: int, more: str, *, always: bool = False
) -> list[tuple[str, str]]:
    """At most `count` lines; when some are cut (or `always`), the last one ends with `more`."""
    if len(lines) <= count and not always:
        return lines
    keep = lines[:count]
    last, style = keep[-1]
    keep[-1] = (fit(last, width - cell_len(more)) + more, style)
    return keep


class CellLine(Widget):
    """The lines under a table: the current cell in full and what the checks say about it.

    Only the lines whose text changes are sent again (a move to the next cell usually changes
    one or two of them), so the lines stay cheap over a thin link.
    """

    DEFAULT_CSS = "CellLine { color: $text-muted; }"

    def __init__(self, height: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.styles.height = height
        self._lines: list[tuple[str, str]] = []

    @property
    def text(self) -> str:
        """What the lines say, one per line."""
        return "\n".join(line for line, _style in self._lines)

    def show(self, lines: list[tuple[str, str]]) -> None:
        """New (text, style) lines; a style is a Rich style such as "red", "" for the plain look."""
        old, self._lines = self._lines, lines
        for y in range(max(len(old), len(lines))):
            if y >= len(old) or y >= len(lines) or old[y] != lines[y]:
                self.refresh(Region(0, y, self.size.width, 1))

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y >= len(self._lines):
            return Strip.blank(self.size.width, base)
        line, style = self._lines[y]
        full = base + Style.parse(style) if style else base
        return Strip([Segment(fit(line, self.size.width), full)]).adjust_cell_length(self.size.width, base)


class TableView(SectionView):
    """A statistics table as a spreadsheet, with what is known about the current cell below it."""

    CELL_LINES = 4
    """Lines under the table for the cell's full names and what the checks say (fixed: no relayout)."""

    def __init__(self, section: Section, session: DraftSession, *, enter_goes_right: bool = False) -> None:
        super().__init__(section, session)
        part = section.part
        assert part is not None
        start = None
        cell = session.report.position.get("cell", "")
        if "/" in cell:
            row, col = cell.split("/", 1)
            start = CellRef(part.id, row, col)
        # Kept as attributes: edits and cursor moves use them without searching the DOM.
        self.sheet = SheetEditor(
            part,
            session.report,
            totals=total_cells(session.report.format),
            marks=frozenset(session.cell_findings),
            start=start,
            read_only=session.read_only,
            enter_goes_right=enter_goes_right,
            id="sheet",
        )
        self.labels = SheetLabels(self.sheet.sheet, id="row-labels")
        assert part.table is not None
        # table 四 has one row and no label: its label column would be empty space at 80 columns
        self.has_labels = any(
            block.label_header or any(row.label or row.path for row in block.rows) for block in part.table.blocks
        )
        self._labels_chosen = False  # the clerk widened them (Ctrl+K): a resize keeps their choice
        self.cell_line = CellLine(self.CELL_LINES, id="cell-line")
        self._typing_in: CellRef | None = None  # the cell being typed in, once the line below says so

    def compose(self) -> ComposeResult:
        assert self.section.part is not None
        yield Static(self.section.part.heading, classes="heading")
        self.labels.styles.width = default_label_width(self.app.size.width)  # right for the first paint
        self.labels.display = self.has_labels
        with Horizontal(id="table"):
            yield self.labels
            yield self.sheet
        yield self.cell_line

    def on_sheet_editor_scrolled(self, event: SheetEditor.Scrolled) -> None:
        self.labels.top = event.top  # the labels follow the rows

    @property
    def label_width(self) -> int:
        width = self.labels.styles.width
        return int(width.value) if width is not None else 0

    def widen_labels(self) -> None:
        """Ctrl+K: the next row-label width that leaves room for the cells, round to the first."""
        self._labels_chosen = True
        self.labels.styles.width = next_label_width(self.label_width, self.size.width - 2 * LABEL_WIDTHS[0])

    def on_resize(self) -> None:
        if not self._labels_chosen and self.label_width != default_label_width(self.app.size.width):
            self.labels.styles.width = default_label_width(self.app.size.width)

    def focus_first(self) -> None:
        self.sheet.focus()

    def cell_description(self, ref: CellRef, *, typing: bool = False) -> tuple[str, list[Finding]]:
        """The cell's full names, value and unit in one sentence; the findings about it."""
        col, row = self.session.report.format.cell_index[ref]
        value = self.session.report.value(ref)
        shown = TYPING if typing else cell_text(value) or "（空白）"
        unit = f" {col.unit}" if col.unit and value is not None and not typing else ""
        total = "（合计，随各项自动计算）" if ref in self.sheet.totals else ""
        row_names = "／".join(name for name in (*row.path, row.label) if name)
        names = (row_names + "｜" if row_names else "") + "／".join((*col.path, col.label))
        return f"{names}：{shown}{unit}{total}", self.session.cell_findings.get(ref, [])

    def show_cell(self, ref: CellRef, *, typing: bool = False) -> None:
        """The line under the table: the full names of the cell, and the whole message of its first finding."""
        self._typing_in = ref if typing else None
        width = max(20, self.cell_line.size.width or self.size.width or 60)
        described, findings = self.cell_description(ref, typing=typing)
        lines = [(line, "") for line in wrap(screen_text(described), width)]
        for f in findings[:1]:
            lines += finding_lines(f, width)
        more = "…（Ctrl+D 查看全部）"
        self.cell_line.show(clipped(lines, self.CELL_LINES, width, more, always=len(findings) > 1))

    def show_note(self, note: str, *, error: bool = False) -> None:
        """Say something about the last action on the line under the table (until the cursor moves)."""
        width = max(20, self.cell_line.size.width or 60)
        style = "red" if error else "bold"
        self.cell_line.show([(line, style) for line in wrap(screen_text(note), width)][: self.CELL_LINES])

    def refresh_from_session(self, changed: list[CellRef] | None = None) -> None:
        sheet = self.sheet
        # one repaint for the typed cell and the totals that followed; the marks repaint what moved
        sheet.refresh_cells({sheet.ref, *(changed or ())})
        sheet.marks = frozenset(self.session.cell_findings)
        if not sheet.editing:
            self.show_cell(sheet.ref)
        elif self._typing_in != sheet.ref:  # once per cell: each digit shows in the cell, the line waits
            self.show_cell(sheet.ref, typing=True)


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


def make_view(section: Section, session: DraftSession, *, enter_goes_right: bool = False) -> SectionView:
    if section.id == BASIC:
        return BasicView(section, session)
    if section.id == FINISH:
        return FinishView(section, session)
    if section.kind == "table":
        return TableView(section, session, enter_goes_right=enter_goes_right)
    return TextView(section, session)
