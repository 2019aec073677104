"""What a published report's text is cut into: paragraphs and table rows of positioned cells."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One table cell as the source gives it: its text and the grid columns it covers [x0, x1).

    For rows without spans (tab- or `|`-separated text, one cell per line) x0 is the cell's
    index in its row; for HTML and text-drawn tables it is the column the cell starts in.
    """

    text: str
    x0: int
    x1: int
    line: int

    @property
    def empty(self) -> bool:
        return not self.text.strip()


ROW_KINDS = ("grid", "tabs", "pipes", "cells", "spaces")
"""How a row was written: `grid` every cell present (HTML, text-drawn table, Markdown);
`tabs` / `pipes` cells separated by tabs or ` | ` (trailing empty cells may be cut off);
`cells` one cell per line (Word text, page savers writing `X |`); `spaces` a label and
numbers separated by spaces (text taken from a PDF)."""


@dataclass(frozen=True)
class Row:
    """One table row of the source."""

    cells: tuple[Cell, ...]
    line: int
    table: int  # rows of the same source table share this number
    kind: str

    @property
    def text(self) -> str:
        return " ".join(c.text.strip() for c in self.cells if not c.empty)


@dataclass(frozen=True)
class Para:
    """One paragraph (a line of text outside any table)."""

    text: str
    line: int


Item = Para | Row


@dataclass
class Document:
    """A source cut into paragraphs and table rows, with the shape it was recognised as."""

    shape: str
    items: list[Item] = field(default_factory=list)
    page_title: str = ""  # an HTML page's <title>, which portals fill with the report's title
    trimmed_tables: frozenset[int] = frozenset()  # tables whose rows may have lost trailing empty cells


SHAPE_NAMES = {
    "html": "HTML 网页",
    "markdown": "Markdown",
    "text-grid": "纯文本表格（+--+ 边框）",
    "tabs": "制表符分隔的文字（网页或 Excel/WPS 复制）",
    "pipes": "“ | ”分隔的文字",
    "word": "Word 文档的文字（每个单元格一行）",
    "cell-pipes": "每个单元格一行、以“ |”结尾的文字",
    "text": "纯文字（没有表格）",
}
"""Shape id → how the clerk is told what was recognised."""
