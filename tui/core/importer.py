"""Import a published report (Word text, a copied web page, ` | ` text, saved HTML) into a draft.

The text is cut into lines of cells; the title gives organisation and year, the part headings
cut the report into its six parts, the tables' labels tell the format, and in every table the
values that follow a row label fill that row. Nothing is guessed: a value that cannot be placed
is reported with its line, and a value the report does not state stays blank.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html.parser import HTMLParser
from pathlib import Path

from .formats import Block, CellRef, Format, Part, all_formats, format_for_year
from .report import PREAMBLE, Report
from .values import BLANK_MARKS, CellKind, Invalid, parse_cell, strip_controls

_TITLE = re.compile(r"^(?P<org>[^:：;；,，。]{2,40}?)(?P<year>(19|20)\d{2})年度?政府信息公开工作年度报告$")
_PAGE_NUMBER = re.compile(r"^(?:[-—–－\s]*\d{1,3}[-—–－\s]*|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
_WORD_ARTIFACT = re.compile(r"\[bookmark: [^\]]*\]")
_NUMERALS = "一二三四五六"


class NotAReport(Exception):
    """The file is not a report that can be imported; the message says why."""


@dataclass(frozen=True)
class Note:
    """Something the clerk should know about the import, with where it was in the file."""

    line: int
    message: str
    severity: str = "warning"  # "error": a value could not be placed

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}" if self.line else self.message


@dataclass
class Imported:
    """The draft made from a published report, and what could not be placed."""

    report: Report
    shape: str
    notes: list[Note] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not any(n.severity == "error" for n in self.notes)


@dataclass(frozen=True)
class Line:
    """One line of the source: its cells (one for a paragraph) and its line number."""

    number: int
    cells: tuple[str, ...]
    tabled: bool  # the line came from a table (cells separated, or a Word cell line)

    @property
    def text(self) -> str:
        return "".join(self.cells).strip()


# --- reading the shapes ------------------------------------------------------------------------


class _HTMLLines(HTMLParser):
    """Paragraphs and table rows of an HTML page, as lines of cells."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "section", "article"}
    HIDDEN = {"script", "style", "title", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[tuple[str, ...], bool]] = []
        self.text: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.skip = 0

    def _flush(self) -> None:
        text = "".join(self.text).strip()
        if text:
            self.lines.append(((text,), False))
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.skip += 1
        elif tag == "tr":
            self._flush()
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in self.BLOCKS and self.cell is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.lines.append((tuple(self.row), True))
            self.row = None
        elif tag in self.BLOCKS and self.cell is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.row is None:
            self.text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def read_lines(text: str) -> tuple[str, list[Line]]:
    """Cut a source into lines of cells; returns the shape found and the lines."""
    text = strip_controls(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    head = text.lstrip()[:2000].lower()
    if head.startswith("<") and ("<table" in text.lower() or "<html" in head or "<p" in head):
        parser = _HTMLLines()
        parser.feed(text)
        parser.close()
        return "html", [Line(0, cells, tabled) for cells, tabled in parser.lines]
    raw = text.split("\n")
    piped = sum(1 for line in raw if " | " in line)
    word_cells = sum(1 for line in raw if line.startswith("\t") and line.count("\t") == 1)
    tabbed = sum(1 for line in raw if "\t" in line.strip("\t"))
    if piped >= max(3, tabbed):
        shape = "pipes"
    elif word_cells > tabbed:
        shape = "word"
    else:
        shape = "tabs"
    lines = []
    for number, line in enumerate(raw, 1):
        line = _WORD_ARTIFACT.sub("", line)
        if shape == "pipes" and "|" in line:
            lines.append(Line(number, tuple(c.strip() for c in line.split("|")), True))
        elif shape == "word" and line.startswith("\t"):
            lines.append(Line(number, (line[1:].strip(),), True))
        elif shape == "tabs" and "\t" in line.strip():
            cells = line.rstrip("\n").split("\t")
            while cells and not cells[-1].strip():
                cells.pop()
            lines.append(Line(number, tuple(c.strip() for c in cells), True))
        elif line.strip():
            lines.append(Line(number, (line.strip(),), False))
    return shape, lines


# --- recognising ---------------------------------------------------------------------------------


def norm(text: str) -> str:
    """A label as compared: width, spaces, quotes, `1、`/`1.` and known misprints made alike."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s\"'“”‘’「」]", "", text)
    text = re.sub(r"(?<=\d)、", ".", text)
    return text.replace("只记", "只计").replace("本年增/减", "本年增").replace("行政法复议", "行政复议")


def _is_value(text: str) -> bool:
    if text.strip() in BLANK_MARKS:
        return True
    return not isinstance(parse_cell(CellKind.AMOUNT, text.replace("-", ""), "万元"), Invalid)


def _labels(fmt: Format) -> set[str]:
    out: set[str] = set()
    for part in fmt.parts:
        if part.table is None:
            continue
        for block in part.table.blocks:
            out.add(norm(block.caption))
            out.add(norm(block.label_header))
            out |= {norm(row.label) for row in block.rows}
            out |= {norm(label) for row in block.rows for label in row.path}
            out |= {norm(col.label) for col in block.columns}
            out |= {norm(label) for col in block.columns for label in col.path}
    out.discard("")
    return out


def detect_format(lines: list[Line], year: int | None) -> Format:
    """The format whose own labels (those the others lack) the tables use most."""
    seen = {norm(cell) for line in lines if line.tabled for cell in line.cells}
    seen |= {norm(line.text) for line in lines}
    formats = list(all_formats().values())
    labels = {f.id: _labels(f) for f in formats}
    scores = {}
    for fmt in formats:
        others = set().union(*(labels[o.id] for o in formats if o is not fmt))
        scores[fmt.id] = len((labels[fmt.id] - others) & seen)
    best = max(scores.values())
    candidates = [f for f in formats if scores[f.id] == best]
    if len(candidates) > 1 and year is not None:
        by_year = format_for_year(year)
        if by_year in candidates:
            return by_year
    return candidates[0]


def _find_title(lines: list[Line]) -> tuple[int, int, str, int] | None:
    """(first line index, last line index, organisation, year) of the title, within the first lines."""
    for i in range(min(len(lines), 15)):
        joined = ""
        for j in range(i, min(i + 3, len(lines))):
            joined += re.sub(r"\s", "", lines[j].text)
            m = _TITLE.match(joined)
            if m:
                return i, j, m.group("org"), int(m.group("year"))
    return None


def _heading_of(text: str, fmt: Format, after: int) -> int | None:
    """The index of the part a line heads (only parts after `after`, in order), or None."""
    t = norm(text)
    for index in range(after + 1, len(fmt.parts)):
        heading = norm(fmt.parts[index].heading)
        if not t.startswith(heading[:2]) or len(t) > len(heading) + 12:
            continue
        if t == heading or SequenceMatcher(None, t, heading).ratio() >= 0.6:
            return index
    return None


# --- filling the tables --------------------------------------------------------------------------


def _fill_table(report: Report, part: Part, lines: list[Line], notes: list[Note]) -> list[str]:
    """Place the values of one table part; returns its prose lines."""
    assert part.table is not None
    tokens: list[tuple[str, int]] = []
    prose: list[str] = []
    for line in lines:
        text = line.text
        if not line.tabled and len(text) > 30 and text.endswith(("。", "；", "：")):
            prose.append(text)
            continue
        if not line.tabled and _PAGE_NUMBER.match(text):
            notes.append(Note(line.number, f"“{text}”看作页码，未导入", "info"))
            continue
        tokens += [(cell, line.number) for cell in line.cells]
    rows = {norm(row.label): (block, row) for block in part.table.blocks for row in block.rows if row.label}
    unlabeled = [(block, row) for block in part.table.blocks for row in block.rows if not row.label]
    structure = set()
    for block in part.table.blocks:
        structure |= {norm(block.caption), norm(block.label_header)}
        structure |= {norm(c.label) for c in block.columns} | {norm(p) for c in block.columns for p in c.path}
        structure |= {norm(p) for r in block.rows for p in r.path}
    structure.discard("")  # a blank cell is a value, not a header (table 四 has no caption to match "")
    used = [False] * len(tokens)
    last_header = -1

    def take(block: Block, row_id: str, start: int, label: str) -> int:
        """Fill one row from the values after `start`; returns where reading goes on."""
        i, filled = start, 0
        while filled < len(block.columns) and i < len(tokens):
            text = tokens[i][0]
            if not _is_value(text):
                break
            col = block.columns[filled]
            value = parse_cell(col.kind, text, col.unit)
            report.cells[CellRef(part.id, row_id, col.id)] = value
            used[i] = True
            filled += 1
            i += 1
        if filled < len(block.columns):
            where = tokens[start - 1][1] if start else 0
            notes.append(
                Note(where, f"“{label}”一行只有 {filled} 个数值（应有 {len(block.columns)} 个），其余单元格留空")
            )
        return i

    i = 0
    while i < len(tokens):
        text, _number = tokens[i]
        key = norm(text)
        if key in rows:
            used[i] = True
            block, row = rows[key]
            i = take(block, row.id, i + 1, row.label)
            continue
        if key in structure:
            used[i] = True
            last_header = i
        i += 1
    for block, row in unlabeled:  # table 四: one row without a label, right after the header
        start = last_header + 1
        while start < len(tokens) and not tokens[start][0].strip() and not _is_number(tokens[start][0]):
            used[start] = True
            start += 1
        take(block, row.id or "", start, part.heading + "的数据行")
    for (text, number), was_used in zip(tokens, used, strict=True):
        if was_used or not text.strip():
            continue
        if _is_number(text):
            notes.append(Note(number, f"{part.heading}：数值“{text}”无法对应到表格中的单元格，未导入", "error"))
        else:
            notes.append(Note(number, f"{part.heading}：未识别的表格文字“{text}”", "info"))
    return prose


def _is_number(text: str) -> bool:
    return text.strip() not in BLANK_MARKS and _is_value(text)


# --- the whole report ---


def read_source(path: Path) -> str:
    """The text of a published report's file: UTF-8, or GB18030 as Chinese Word and portals save it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NotAReport(f"无法读取（{exc.strerror}）") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotAReport("不是文本文件（UTF-8 或 GBK 编码的文字或 HTML）")


def import_text(text: str) -> Imported:
    """Make a draft from the text of a published report (any of the four shapes)."""
    shape, lines = read_lines(text)
    title = _find_title(lines)
    if title is None:
        raise NotAReport("找不到报告标题（“某某机关XXXX年政府信息公开工作年度报告”），无法确定机关和年度")
    first, last, org, year = title
    notes = [Note(line.number, f"标题之前的文字未导入：“{line.text[:40]}”", "info") for line in lines[:first]]
    body = lines[last + 1 :]
    fmt = detect_format(body, year)
    report = Report.new(fmt, org, year)

    sections: dict[int, list[Line]] = {-1: []}
    current = -1
    for line in body:
        index = None if line.tabled else _heading_of(line.text, fmt, current)
        if index is not None:
            current = index
            sections[current] = []
            continue
        sections[current].append(line)
    missing = [p.heading for i, p in enumerate(fmt.parts) if i not in sections]
    if missing:
        notes.append(Note(0, f"没有找到这些部分：{'、'.join(missing)}"))

    report.set_text(PREAMBLE, "\n".join(_paragraphs(sections[-1], notes)))
    for index, part in enumerate(fmt.parts):
        part_lines = sections.get(index, [])
        if part.table is None:
            report.set_text(part.id, "\n".join(_paragraphs(part_lines, notes)))
        else:
            report.set_text(part.id, "\n".join(_fill_table(report, part, part_lines, notes)))
    return Imported(report, shape, notes)


def _paragraphs(lines: list[Line], notes: list[Note]) -> list[str]:
    out = []
    for line in lines:
        text = line.text if not line.tabled else " ".join(c for c in line.cells if c)
        if _PAGE_NUMBER.match(text):
            notes.append(Note(line.number, f"“{text}”看作页码，未导入", "info"))
            continue
        out.append(text)
    return out
