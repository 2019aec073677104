"""Plain text and Markdown cut into paragraphs and table rows, whatever way the tables were written.

Tables come as tab-separated rows (a browser's or Excel/WPS's copy), ` | `-separated rows,
Markdown tables, one cell per line (Word's text: `<tab>cell`; some page savers: `cell |`) with
a blank line between rows, or drawn with `+`, `-` and `|` (this program's text export).
"""

from __future__ import annotations

import re
from collections import Counter

from .boxgrid import is_border, is_box_line, read_box_table
from .source import Cell, Document, Item, Para, Row

_WORD_ARTIFACT = re.compile(r"\[bookmark: [^\]]*\]")
_MD_DELIMITER = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_MD_BOLD = re.compile(r"^\*\*(.+)\*\*$")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_PROSE_END = ("。", "；", "：", "！", "？")


def _is_markdown(lines: list[str]) -> bool:
    first = next((line for line in lines if line.strip()), "")
    return first.startswith("# ") or any(_MD_DELIMITER.match(line.strip()) and "|" in line for line in lines)


def _unescape(text: str) -> str:
    return _MD_ESCAPE.sub(r"\1", text)


def _is_prose(text: str) -> bool:
    return len(text) > 30 and text.endswith(_PROSE_END)


def _pipe_cells(line: str, markdown: bool, outer: bool) -> list[str]:
    s = line.strip()
    parts = _UNESCAPED_PIPE.split(s) if markdown else s.split("|")
    if outer and s.startswith("|") and s.endswith("|") and len(s) > 1:  # outer pipes: | a | b |
        parts = parts[1:-1]
    cells = [p.strip() for p in parts]
    return [_unescape(c) for c in cells] if markdown else cells


class _Reader:
    """Reads line by line; cell-per-line rows are gathered until a blank line."""

    def __init__(self, lines: list[str], markdown: bool) -> None:
        self.lines = lines
        self.markdown = markdown
        single = sum(1 for line in lines if line.rstrip().endswith("|") and line.count("|") == 1)
        multi = sum(1 for line in lines if " | " in line.strip())
        self.cell_pipes = single > multi  # else `X |` is a row whose last cell is empty
        piped = [line.strip() for line in lines if " | " in line]
        outer = sum(1 for line in piped if line.startswith("|") and line.endswith("|"))
        self.outer_pipes = outer * 2 > len(piped)  # `| a | b |` rather than `a | b` with empty end cells
        self.items: list[Item] = []
        self.kinds: Counter[str] = Counter()
        self.table = 0
        self.pending: list[Cell] = []
        self.pending_kind = ""
        self.pending_line = 0
        self.trailing_kept: set[int] = set()  # tables whose rows keep trailing empty cells

    def new_table(self) -> int:
        self.table += 1
        return self.table

    def flush(self) -> None:
        if self.pending:
            self.items.append(Row(tuple(self.pending), self.pending_line, self.table, "cells"))
            self.kinds[self.pending_kind] += 1
        self.pending = []

    def cell_line(self, text: str, number: int, kind: str) -> None:
        if self.pending and self.pending_kind != kind:
            self.flush()
        if not self.pending:
            if not self.items or not isinstance(self.items[-1], Row) or self.items[-1].kind != "cells":
                self.new_table()
            self.pending_line = number
            self.pending_kind = kind
        self.pending.append(Cell(text.strip(), len(self.pending), len(self.pending) + 1, number))

    def row(self, cells: list[str], number: int, kind: str) -> None:
        self.flush()
        last = self.items[-1] if self.items else None
        if not isinstance(last, Row) or last.kind != kind:
            self.new_table()
        if cells and not cells[-1]:
            self.trailing_kept.add(self.table)
        row = Row(tuple(Cell(c, i, i + 1, number) for i, c in enumerate(cells)), number, self.table, kind)
        self.items.append(row)
        self.kinds[kind] += 1

    def para(self, text: str, number: int) -> None:
        self.flush()
        text = text.strip()
        if text:
            self.items.append(Para(text, number))

    def box(self, start: int) -> int:
        """Read a drawn table starting at `start`; returns the index after it."""
        end = start
        while end < len(self.lines) and is_box_line(self.lines[end]):
            end += 1
        rows = read_box_table(self.lines[start:end], start)
        self.flush()
        table = self.new_table()
        if rows is None:  # cannot be drawn back: read the content lines as `|` rows
            for k in range(start, end):
                if not is_border(self.lines[k]):
                    texts = [c.strip() for c in self.lines[k].strip().strip("|+").split("|")]
                    self.items.append(
                        Row(tuple(Cell(c, i, i + 1, k + 1) for i, c in enumerate(texts)), k + 1, table, "pipes")
                    )
            self.kinds["pipes"] += 1
            return end
        for cells in rows:
            self.items.append(Row(tuple(cells), cells[0].line, table, "grid"))
        self.kinds["text-grid"] += 1
        return end

    def read(self) -> None:
        i = 0
        while i < len(self.lines):
            raw = _WORD_ARTIFACT.sub("", self.lines[i])
            number = i + 1
            stripped = raw.strip()
            if is_border(raw) and i + 1 < len(self.lines) and is_box_line(self.lines[i + 1]):
                i = self.box(i)
                continue
            i += 1
            if raw.startswith("\t") and raw.count("\t") == 1 and not self.markdown:  # Word: one cell per line
                if _is_prose(stripped):
                    self.para(stripped, number)
                else:
                    self.cell_line(stripped, number, "word")
                continue
            if not stripped:
                self.flush()
                continue
            if self.markdown:
                if _MD_DELIMITER.match(stripped) and "|" in stripped:
                    continue
                heading = _MD_HEADING.match(stripped) or _MD_BOLD.match(stripped)
                if heading:
                    self.para(_unescape(heading.group(1)), number)
                    continue
                if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
                    self.row(_pipe_cells(stripped, True, True), number, "grid")
                    continue
                self.para(_unescape(stripped), number)
                continue
            if "\t" in raw.strip(" "):
                self.row([c.strip() for c in raw.split("\t")], number, "tabs")
                continue
            if stripped.endswith("|") and stripped.count("|") == 1 and self.cell_pipes:  # `cell |`: one per line
                self.cell_line(stripped[:-1], number, "cell-pipes")
                continue
            if " | " in raw or (stripped.startswith("|") and stripped.count("|") >= 2):
                self.row(_pipe_cells(raw, False, self.outer_pipes), number, "pipes")
                continue
            self.para(stripped, number)
        self.flush()


def read_text(text: str) -> Document:
    """Cut plain text or Markdown into paragraphs and rows; the shape is the commonest kind of row."""
    lines = text.split("\n")
    markdown = _is_markdown(lines)
    reader = _Reader(lines, markdown)
    reader.read()
    if markdown:
        shape = "markdown"
    elif reader.kinds:
        shape = reader.kinds.most_common(1)[0][0]
    else:
        shape = "text"
    tables = {item.table for item in reader.items if isinstance(item, Row) and item.kind in ("tabs", "pipes")}
    return Document(shape, reader.items, trimmed_tables=frozenset(tables - reader.trailing_kept))
