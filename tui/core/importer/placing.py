"""Putting a table's numbers into the report's cells, only where each number's column is certain.

A source row is cut into segments at row labels (a label and the cells after it) and at header
cells. A segment's numbers are placed

- by the header layout, when the table's header rows name every column of the block at known
  grid columns and the row lines up with them (HTML and drawn tables with their spans, and
  Excel/WPS copies, which pad merged cells with empty cells), or else
- by the count of cells, when the row has exactly as many cells after its label as the block
  has columns, once the empty cells a merged label (or a merged last value) leaves are
  dropped, and every way of dropping them gives the same columns.

Otherwise nothing of the row is placed: its numbers are listed with the line, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from ..formats import Block, CellRef, Column, Part
from ..formats import Row as FormatRow
from ..report import Report
from ..values import CellValue, parse_cell
from .labels import Kind, Meaning, PartLabels, has_digit, label_key
from .named import NamedRow
from .result import Note, Unplaced
from .source import Cell, Row

_ENUMERATED = re.compile(r"^(?:\d+[.、．]|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\D")
_HEADER_KINDS = (Kind.HEAD, Kind.CAPTION, Kind.GROUP)


@dataclass(frozen=True)
class Token:
    """A source cell with what its text means in the part's table."""

    cell: Cell
    meaning: Meaning

    @property
    def kind(self) -> Kind:
        return self.meaning.kind

    @property
    def text(self) -> str:
        return self.cell.text.strip()

    @property
    def numeric(self) -> bool:
        """A number, or text with digits that is no label: what must be placed or listed."""
        return self.kind is Kind.NUMBER or (
            self.kind is Kind.TEXT and has_digit(self.text) and not _ENUMERATED.match(self.text)
        )


@dataclass
class Segment:
    """A row label and the cells after it, a run of header cells, or a run of values."""

    tokens: list[Token]
    source: Row

    @property
    def label(self) -> Token | None:
        return self.tokens[0] if self.tokens and self.tokens[0].kind is Kind.LABEL else None


def segments_of(row: Row, labels: PartLabels) -> list[Segment]:
    """Cut a source row at row labels and where header cells give way to values (and back)."""
    out: list[Segment] = []
    current: list[Token] = []

    def close() -> None:
        nonlocal current
        if current:
            out.append(Segment(current, row))
        current = []

    for cell in row.cells:
        token = Token(cell, labels.meaning(cell.text))
        kinds = {t.kind for t in current}
        if token.kind is Kind.LABEL:
            close()
        elif token.kind in _HEADER_KINDS:
            if kinds & {Kind.NUMBER, Kind.BLANK, Kind.LABEL}:
                close()
        elif (
            token.kind in (Kind.NUMBER, Kind.BLANK)
            and current
            and current[0].kind is not Kind.LABEL
            and kinds & set(_HEADER_KINDS)
            and not kinds & {Kind.NUMBER, Kind.BLANK}
        ):
            # header cells give way to values: the empty cells after the last header go with the values
            last = max(i for i, t in enumerate(current) if t.kind in _HEADER_KINDS)
            moved = current[last + 1 :]
            current = current[: last + 1]
            close()
            current = moved
        current.append(token)
    close()
    return out


@dataclass(frozen=True)
class Leaf:
    """A column of a block found in the header, with the grid columns it covers."""

    column: Column
    x0: int
    x1: int


def _covering(row: list[Token], x: int) -> Token | None:
    """The header cell of a row above that stands over grid column x."""
    left = [t for t in row if t.cell.x0 <= x]
    if not left:
        return None
    cell = max(left, key=lambda t: t.cell.x0)
    if cell.cell.x1 > x:
        return cell
    if all(t.cell.x1 - t.cell.x0 == 1 for t in row):
        return cell  # a row without spans: a merged header is followed by empty cells
    return None


def find_layout(block: Block, header: list[Segment]) -> list[Leaf] | None:
    """Where the header rows put each column of the block, or None if any is not found for sure."""
    rows = [[t for t in seg.tokens if t.kind is Kind.HEAD] for seg in header]
    candidates = sorted(((t.cell.x0, r, t) for r, row in enumerate(rows) for t in row), key=lambda c: (c[0], c[1]))
    leaves: list[Leaf] = []
    previous = -1
    for col in block.columns:
        want, path = label_key(col.label), tuple(label_key(p) for p in col.path)
        hit = None
        for x, r, token in candidates:
            if x <= previous or token.meaning.leaf != want:
                continue
            above: list[str] = []
            for k in range(r):
                over = _covering(rows[k], x)
                if over is not None:
                    above += [*over.meaning.path, over.meaning.leaf]
            full = (*above, *token.meaning.path)
            if len(full) > len(path) or path[len(path) - len(full) :] != full:
                continue
            hit = token
            break
        if hit is None:
            return None
        leaves.append(Leaf(col, hit.cell.x0, hit.cell.x1))
        previous = hit.cell.x0
    if any(a.x1 > b.x0 for a, b in pairwise(leaves)):
        return None
    return leaves


Assignment = list[Token | None]


def by_layout(label: Token | None, rest: list[Token], leaves: list[Leaf]) -> tuple[Assignment, list[Token]] | None:
    """Each column's cell by grid position; None when the row does not line up with the header."""
    first = leaves[0].x0
    if label is not None and label.cell.x1 > first:
        return None
    if any(t.cell.x0 < first and t.kind is not Kind.EMPTY for t in rest):
        return None
    slots: dict[int, list[Token]] = {}
    strays: list[Token] = []
    for token in rest:
        if token.kind is Kind.EMPTY:
            continue
        over = [i for i, leaf in enumerate(leaves) if token.cell.x0 < leaf.x1 and leaf.x0 < token.cell.x1]
        if len(over) != 1:
            strays.append(token)
        else:
            slots.setdefault(over[0], []).append(token)
    if strays and not slots:
        return None  # nothing under any column: the row does not line up with this header
    assignment: Assignment = []
    for i in range(len(leaves)):
        found = slots.get(i, [])
        if len(found) > 1:
            strays += found  # two numbers under one column: neither is certain
            found = []
        assignment.append(found[0] if found else None)
    return assignment, strays


def _effect(reading: tuple[Token | None, ...]) -> tuple[int | None, ...]:
    return tuple(None if t is None or t.kind in (Kind.EMPTY, Kind.BLANK) else id(t) for t in reading)


def by_count(rest: list[Token], n: int, leading: bool, trimmed: bool) -> Assignment | str:
    """Each column's cell by counting; a reason (Chinese) when the count does not make it certain.

    `leading`: empty cells right after the label may be the padding of a merged label.
    `trimmed`: the source may have cut off empty cells at the end of the row.
    """
    m = len(rest)
    lead = next((i for i, t in enumerate(rest) if t.kind is not Kind.EMPTY), m)
    trail = next((i for i, t in enumerate(reversed(rest)) if t.kind is not Kind.EMPTY), m)
    readings: set[tuple[int | None, ...]] = set()
    chosen: tuple[Token | None, ...] | None = None
    for p in range(0, (lead if leading else 0) + 1):
        q = m - p - n
        if 0 <= q <= trail:
            window = tuple(rest[p : m - q])
            readings.add(_effect(window))
            chosen = window
        if trimmed and m - p < n:
            readings.add(_effect((*rest[p:], *([None] * (n - (m - p))))))
    if chosen is None:
        if m < n:
            return f"只有 {m} 个单元格（应有 {n} 个），空白可能在任何一列"
        return f"有 {m} 个单元格（应有 {n} 个）"
    if len(readings) > 1:
        return f"有 {m} 个单元格（应有 {n} 个），开头或结尾的空单元格既可能是合并单元格留下的，也可能是空白数值"
    return list(chosen)


def _agrees(by_grid: Assignment, counted: Assignment) -> bool:
    """Whether counting puts every number the header layout placed in the same column."""
    return all(g is None or (c is not None and g.cell is c.cell) for g, c in zip(by_grid, counted, strict=True))


@dataclass
class Tally:
    """What the placing of all tables adds up to: notes, numbers listed, cells written."""

    notes: list[Note] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    written: dict[CellRef, tuple[CellValue, int]] = field(default_factory=dict)
    cells_seen: int = 0


class TablePlacer:
    """Places the rows of one table part, keeping the header rows seen since the last data row."""

    def __init__(self, report: Report, part: Part, labels: PartLabels, tally: Tally) -> None:
        self.report = report
        self.part = part
        self.labels = labels
        self.tally = tally
        self.header: list[Segment] = []
        self.after_data = False
        self.layouts: dict[int, list[Leaf] | None] = {}
        self.padded = True

    # --- reporting -------------------------------------------------------------------------

    def _where(self, label: Token | None) -> str:
        return f"“{label.meaning.row.label}”一行" if label and label.meaning.row else "数据行"

    def list_tokens(self, tokens: list[Token], line: int, reason: str, row: str = "") -> None:
        numbers = [t for t in tokens if t.numeric]
        if not numbers:
            return
        shown = "、".join(t.text for t in numbers[:20]) + ("……" if len(numbers) > 20 else "")
        self.tally.notes.append(Note(line, f"{self.part.heading}：{reason}，未导入：{shown}", "error"))
        for t in numbers:
            self.tally.unplaced.append(Unplaced(t.cell.line, t.text, self.part.heading, row))

    def _write(self, block: Block, row: FormatRow, assignment: Assignment, line: int) -> None:
        for col, token in zip(block.columns, assignment, strict=True):
            if token is None or token.kind in (Kind.EMPTY, Kind.BLANK):
                continue
            ref = CellRef(self.part.id, row.id, col.id)
            value = parse_cell(col.kind, token.text.replace("−", "-"), col.unit)
            earlier = self.tally.written.get(ref)
            if earlier is not None and earlier[0] != value:
                self.list_tokens(
                    [token], token.cell.line, f"“{row.name}／{col.name}”在第 {earlier[1]} 行已有不同的数值", row.label
                )
                continue
            self.tally.written[ref] = (value, token.cell.line)
            self.report.cells[ref] = value

    # --- rows ------------------------------------------------------------------------------

    def place_named(self, named: NamedRow) -> None:
        """A list line: each value goes to the column its name gives; a column named twice gets neither."""
        self.tally.cells_seen += len(named.values) + len(named.unnamed)
        assignment: Assignment = []
        twice: list[tuple[str, Cell]] = []
        for col in named.block.columns:
            cells = [cell for c, cell in named.values if c.id == col.id]
            assignment.append(Token(cells[0], self.labels.meaning(cells[0].text)) if len(cells) == 1 else None)
            if len(cells) > 1:
                twice += [(f"{col.name} {c.text}", c) for c in cells]
        self._write(named.block, named.row, assignment, named.line)
        stray = [*named.unnamed, *twice]
        if stray:
            where = f"“{named.row.label}”一行" if named.row.label else "数据行"
            shown = "、".join(f"“{pair}”" for pair, _cell in stray)
            message = f"{self.part.heading}：{where}中 {shown} 没有对应到唯一的一列，未导入"
            self.tally.notes.append(Note(named.line, message, "error"))
            for _pair, cell in stray:
                self.tally.unplaced.append(Unplaced(cell.line, cell.text, self.part.heading, named.row.label))

    def _layout(self, block: Block) -> list[Leaf] | None:
        key = id(block)
        if key not in self.layouts:
            self.layouts[key] = find_layout(block, self.header) if self.header else None
        return self.layouts[key]

    def _reset_header(self) -> None:
        self.header = []
        self.layouts = {}
        self.after_data = False

    @staticmethod
    def pads(segments: list[Segment]) -> bool:
        """Whether a source table pads merged labels with empty cells: some row has more cells than values.

        Only then may empty cells right after a label be padding rather than blank values.
        """
        for seg in segments:
            block = seg.label.meaning.block if seg.label is not None else None
            if block is not None and len(seg.tokens) - 1 > len(block.columns):
                return True
        return False

    def place(self, segments: list[Segment], trimmed: bool, padded: bool = True) -> None:
        """Place the segments of one source row (several table rows when cells came one per line)."""
        self.padded = padded
        for seg in segments:
            self.tally.cells_seen += sum(1 for t in seg.tokens if t.kind is not Kind.EMPTY)
            kinds = {t.kind for t in seg.tokens}
            if seg.label is not None:
                self._data(seg, seg.label.meaning.block, seg.label.meaning.row, seg.label, seg.tokens[1:], trimmed)
            elif Kind.CAPTION in kinds:
                self._reset_header()
                self._leftovers(seg)
            elif Kind.HEAD in kinds:
                if self.after_data:
                    self._reset_header()
                self.header.append(seg)
                self.layouts = {}
                self._leftovers(seg)
            elif kinds <= {Kind.NUMBER, Kind.BLANK, Kind.EMPTY} and kinds & {Kind.NUMBER, Kind.BLANK}:
                if len(self.labels.unlabeled) == 1:
                    block, frow = self.labels.unlabeled[0]
                    self._data(seg, block, frow, None, seg.tokens, trimmed)
                else:
                    line = seg.tokens[0].cell.line
                    self.list_tokens(seg.tokens, line, "这些数值前面没有可以识别的行名称")
            else:
                self._leftovers(seg)

    def _leftovers(self, seg: Segment) -> None:
        """Header or unknown segments: numbers in them are listed, unknown words noted."""
        texts = [t for t in seg.tokens if t.kind is Kind.TEXT and not t.numeric]
        if any(t.numeric for t in seg.tokens):
            name = next((t.text for t in seg.tokens if t.kind is Kind.TEXT and not t.numeric), "")
            reason = f"“{name[:30]}”不是本表的行名称" if name else "这些数值不在任何一行中"
            self.list_tokens(seg.tokens, seg.tokens[0].cell.line, reason)
        elif texts:
            shown = "、".join(f"“{t.text[:30]}”" for t in texts[:5])
            self.tally.notes.append(Note(texts[0].cell.line, f"{self.part.heading}：未识别的表格文字 {shown}", "info"))

    def _data(
        self,
        seg: Segment,
        block: Block | None,
        row: FormatRow | None,
        label: Token | None,
        rest: list[Token],
        trimmed: bool,
    ) -> None:
        assert block is not None and row is not None
        self.after_data = True
        line = label.cell.line if label else seg.tokens[0].cell.line
        where = self._where(label)
        if label is not None and label.meaning.misprint:
            message = f"{self.part.heading}：“{label.text[:40]}”与格式的行名称不完全相同，按{where}导入，请核对"
            self.tally.notes.append(Note(line, message, "info"))
        if all(t.kind is Kind.EMPTY for t in rest):
            self.tally.notes.append(Note(line, f"{self.part.heading}：{where}没有数值，单元格留空"))
            return
        layout = self._layout(block)
        below = all(h.source is not seg.source for h in self.header)  # header rows above, not beside
        placed = by_layout(label, rest, layout) if layout is not None and below else None
        if placed is not None:
            assignment, strays = placed
            if strays:  # a span that does not line up with the header (Word's uneven grids)
                counted = by_count(rest, len(block.columns), leading=False, trimmed=False)
                if isinstance(counted, list) and _agrees(assignment, counted):
                    assignment, strays = counted, []
            self._write(block, row, assignment, line)
            if strays:
                self.list_tokens(strays, line, f"{where}中这些数值不在任何一列之下", row.label)
            return
        counted = by_count(rest, len(block.columns), leading=label is not None and self.padded, trimmed=trimmed)
        if isinstance(counted, str):
            self.list_tokens(rest, line, f"{where}{counted}，无法确定各数值属于哪一列", row.label)
            return
        self._write(block, row, counted, line)
