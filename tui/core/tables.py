"""The shape of a format: parts, their tables (header and row trees, columns, rows) and cells."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from .values import CellKind

PREAMBLE = "preamble"
"""Text id of the introduction before part 一 (legal basis, period, contact)."""

PART_NUMERALS = "一二三四五六七八九十"


class CellRef(NamedTuple):
    """One table cell: the part (table) it is in, its row id and column id."""

    part: str
    row: str
    col: str


@dataclass(frozen=True)
class Column:
    """A leaf column: one value per data row."""

    id: str
    label: str
    kind: CellKind
    unit: str = ""
    show_unit: bool = False  # print the unit after each value (the header does not name it)
    path: tuple[str, ...] = ()  # labels of the headers above it, outermost first
    short: str = ""
    confirm_on_sum: bool = False  # a stock, not a flow: summing units gives a figure the clerk confirms

    @property
    def name(self) -> str:
        """How messages name the column: its short name, or its label under its closest header."""
        if self.short:
            return self.short
        return " ".join((*self.path[-1:], self.label))


@dataclass(frozen=True)
class HeaderNode:
    """A node of a block's column-header tree; leaves carry a `Column`."""

    label: str
    children: tuple[HeaderNode, ...] = ()
    column: Column | None = None


@dataclass(frozen=True)
class RowNode:
    """A node of a block's row tree: a data row (with id) or a group of rows (no id)."""

    label: str
    id: str | None = None
    short: str = ""
    children: tuple[RowNode, ...] = ()


@dataclass(frozen=True)
class Row:
    """A data row with its place in the row tree."""

    id: str
    label: str
    path: tuple[str, ...]  # labels of the groups above it, outermost first
    short: str

    @property
    def name(self) -> str:
        """How messages name the row: its short name, or its label with its closest group."""
        if self.short:
            return self.short
        return " ".join((*self.path[1:], self.label)) if self.path else self.label


@dataclass(frozen=True)
class Block:
    """One part of a table with its own column headers (table 二 has several)."""

    caption: str
    label_header: str
    header: tuple[HeaderNode, ...]
    row_tree: tuple[RowNode, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Table:
    """The statistics table of one part."""

    blocks: tuple[Block, ...]

    def cells(self, part: str) -> Iterator[tuple[CellRef, Column, Row]]:
        for block in self.blocks:
            for row in block.rows:
                for col in block.columns:
                    yield CellRef(part, row.id, col.id), col, row


@dataclass(frozen=True)
class Part:
    """One of the six parts of the report."""

    id: str
    heading: str
    guidance: str
    table: Table | None = None
    short: str = ""  # the heading shortened for a narrow section list


@dataclass(frozen=True)
class Outline:
    """The parts of a format and every cell of their tables: what rules are resolved against."""

    parts: tuple[Part, ...]
    cell_index: dict[CellRef, tuple[Column, Row]] = field(compare=False, repr=False)

    def part(self, part_id: str) -> Part:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

    def cell_refs(self) -> Iterator[CellRef]:
        return iter(self.cell_index)

    def text_ids(self) -> list[str]:
        """The free-text fields of a report in order: the preamble, then one per part."""
        return [PREAMBLE, *(part.id for part in self.parts)]

    def text_name(self, text_id: str) -> str:
        """How messages name a text: 开篇说明, 第一部分 … (by the part's place in the format)."""
        for i, part in enumerate(self.parts):
            if part.id == text_id:
                return f"第{PART_NUMERALS[i]}部分" if i < len(PART_NUMERALS) else part.heading
        return "开篇说明"

    def text_heading(self, text_id: str) -> str:
        """The heading of a text's part, or 开篇说明 for the preamble."""
        for part in self.parts:
            if part.id == text_id:
                return part.heading
        return "开篇说明"

    def table_axes(self, part_id: str) -> tuple[dict[str, Row], dict[str, Column]]:
        """The rows and columns of a part's table by id; `KeyError` if the part has no table."""
        part = self.part(part_id)
        if part.table is None:
            raise KeyError(part_id)
        rows = {row.id: row for block in part.table.blocks for row in block.rows}
        cols = {col.id: col for block in part.table.blocks for col in block.columns}
        return rows, cols

    def cell_place(self, ref: CellRef) -> str:
        """A cell named by its row and column, e.g. `规章／本年制发件数`."""
        col, row = self.cell_index[ref]
        return f"{row.name}／{col.name}" if row.name else col.name

    def cell_label(self, ref: CellRef) -> str:
        """A cell named with its part, e.g. `二、主动公开政府信息情况 › 规章／本年制发件数`."""
        return f"{self.part(ref.part).heading} › {self.cell_place(ref)}"
