"""The printed table: a format's table as rows of cells with row and column spans, as exports draw it."""

from __future__ import annotations

from dataclasses import dataclass

from .formats import Block, CellRef, HeaderNode, Part, RowNode
from .report import Report
from .values import CellValue, format_value


def cell_text(value: CellValue) -> str:
    """A value as every export prints it: a blank cell stays blank (never 0), as the draft holds it."""
    return "" if value is None else format_value(value)


@dataclass(frozen=True)
class GridCell:
    """One printed cell. `role` is caption, head, corner, label or value."""

    text: str
    role: str
    rowspan: int = 1
    colspan: int = 1
    ref: CellRef | None = None


@dataclass(frozen=True)
class Grid:
    """A table as HTML draws it: each row lists the cells that start in it."""

    width: int
    rows: tuple[tuple[GridCell, ...], ...]


def placed_cells(grid: Grid) -> list[tuple[GridCell, int, int]]:
    """Each cell with its top row and left column, resolving row spans as HTML does."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((cell, r, c))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed


def _depth(nodes: tuple[HeaderNode, ...] | tuple[RowNode, ...]) -> int:
    return max((1 + _depth(n.children) for n in nodes), default=0)


def _leaf_count(node: HeaderNode | RowNode) -> int:
    return 1 if not node.children else sum(_leaf_count(c) for c in node.children)


def _label_columns(block: Block) -> int:
    if not block.label_header and all(not row.label for row in block.rows):
        return 0
    return _depth(block.row_tree)


def table_shape(part: Part) -> tuple[int, int]:
    """(label columns, value columns) of a part's table as printed."""
    assert part.table is not None
    labels = max(_label_columns(b) for b in part.table.blocks)
    values = max(len(b.columns) for b in part.table.blocks)
    return labels, values


def _header_rows(block: Block, label_cols: int, value_cols: int) -> list[list[GridCell]]:
    height = _depth(block.header)
    rows: list[list[GridCell]] = [[] for _ in range(height)]
    if label_cols:
        rows[0].append(GridCell(block.label_header, "corner", height, label_cols))
    extra = value_cols - len(block.columns)  # the last column widens to the table's width
    last = block.columns[-1]

    def span(node: HeaderNode) -> int:
        if node.column is not None:
            return 1 + (extra if node.column is last else 0)
        return sum(span(c) for c in node.children)

    def walk(nodes: tuple[HeaderNode, ...], level: int) -> None:
        for node in nodes:
            rowspan = height - level if not node.children else 1
            rows[level].append(GridCell(node.label, "head", rowspan, span(node)))
            walk(node.children, level + 1)

    walk(block.header, 0)
    return rows


def _body_rows(
    block: Block, report: Report | None, part_id: str, label_cols: int, value_cols: int
) -> list[list[GridCell]]:
    rows: list[list[GridCell]] = []
    extra = value_cols - len(block.columns)
    pending: list[GridCell] = []

    def walk(nodes: tuple[RowNode, ...], level: int) -> None:
        for node in nodes:
            if node.children:
                pending.append(GridCell(node.label, "label", _leaf_count(node), 1))
                walk(node.children, level + 1)
                continue
            cells = pending[:]
            pending.clear()
            if label_cols:
                cells.append(GridCell(node.label, "label", 1, label_cols - level))
            for col in block.columns:
                ref = CellRef(part_id, node.id or "", col.id)
                text = cell_text(report.value(ref)) if report is not None else ""
                if text and col.show_unit and col.unit:
                    text += col.unit
                span = 1 + (extra if col is block.columns[-1] else 0)
                cells.append(GridCell(text, "value", 1, span, ref))
            rows.append(cells)

    walk(block.row_tree, 0)
    return rows


def build_grid(part: Part, report: Report | None = None) -> Grid:
    """The official layout of a part's table, filled with the report's values (blank cells stay blank)."""
    assert part.table is not None
    label_cols, value_cols = table_shape(part)
    width = label_cols + value_cols
    rows: list[list[GridCell]] = []
    for block in part.table.blocks:
        if block.caption:
            rows.append([GridCell(block.caption, "caption", 1, width)])
        rows += _header_rows(block, label_cols, value_cols)
        rows += _body_rows(block, report, part.id, label_cols, value_cols)
    return Grid(width, tuple(tuple(r) for r in rows))


@dataclass(frozen=True)
class FlatTable:
    """A block as a plain table with one header row: what Markdown can draw."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    has_labels: bool

    @property
    def aligns(self) -> tuple[str, ...]:
        """GFM delimiter cells: labels to the left, numbers to the right."""
        values = ("---:",) * (len(self.headers) - self.has_labels)
        return (":---", *values) if self.has_labels else values


def _header_paths(nodes: tuple[HeaderNode, ...], path: tuple[str, ...]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for node in nodes:
        if node.column is not None:
            out.append((*path, node.label))
        else:
            out += _header_paths(node.children, (*path, node.label))
    return out


def flat_tables(part: Part, report: Report) -> list[FlatTable]:
    """Each block with its multi-level headers and grouped rows spelled out in full.

    A header that spans every column (申请人情况) goes into the caption.
    """
    assert part.table is not None
    tables = []
    for block in part.table.blocks:
        caption = block.caption
        roots = block.header
        if len(roots) == 1 and roots[0].children:
            caption = "，".join(filter(None, (caption, roots[0].label)))
            roots = roots[0].children
        headers = ["：".join(p) for p in _header_paths(roots, ())]
        has_labels = bool(_label_columns(block))
        if has_labels:
            headers.insert(0, block.label_header or "项目")
        rows = []
        for row in block.rows:
            values = []
            for col in block.columns:
                text = cell_text(report.value(CellRef(part.id, row.id, col.id)))
                values.append(text + col.unit if text and col.show_unit and col.unit else text)
            label = "：".join((*row.path, row.label))
            rows.append(tuple([label, *values] if has_labels else values))
        tables.append(FlatTable(caption, tuple(headers), tuple(rows), has_labels))
    return tables
