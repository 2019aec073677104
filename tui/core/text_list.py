"""Plain-text tables as lists: one line per row, "label：column value，column value…", 80 columns wide."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, pairwise

from .formats import Block, CellRef, Column, Part, RowNode
from .linebreak import break_lines, break_offsets
from .printed_table import cell_text
from .report import Report
from .width import display_width

LINE_WIDTH = 80
"""No line of a list is wider than this many display columns."""

CONTINUATION = "\u3000\u3000"
"""What a row's continuation lines start with: two full-width spaces."""

BLANK = "（空白）"
"""A blank cell in a list: written out, since an empty place in a sentence cannot be seen."""


@dataclass(frozen=True)
class ListLine:
    """One entry of a list: a caption or row group (no values), or a row with its values."""

    label: str
    values: tuple[tuple[str, str], ...] = ()  # (column name, value as printed)


def _column_names(block: Block) -> dict[str, str]:
    """Each column by its own label, qualified by its headers where the label alone is ambiguous."""
    counts: dict[str, int] = {}
    for col in block.columns:
        counts[col.label] = counts.get(col.label, 0) + 1
    return {col.id: col.label if counts[col.label] == 1 else _group_name(col) + col.label for col in block.columns}


def _group_name(col: Column) -> str:
    """The headers above a column as words: 行政诉讼（未经复议直接起诉）."""
    if not col.path:
        return ""
    return col.path[0] + "".join(f"（{label}）" for label in col.path[1:])


def _value(report: Report, part: Part, row_id: str, col: Column) -> str:
    text = cell_text(report.value(CellRef(part.id, row_id, col.id)))
    if not text:
        return BLANK
    return text + col.unit if col.show_unit and col.unit else text


def _block_lines(part: Part, block: Block, report: Report) -> Iterator[ListLine]:
    names = _column_names(block)

    def walk(nodes: tuple[RowNode, ...]) -> Iterator[ListLine]:
        for node in nodes:
            if node.children:
                yield ListLine(node.label)
                yield from walk(node.children)
                continue
            row_id = node.id or ""
            if node.label:
                values = tuple((names[col.id], _value(report, part, row_id, col)) for col in block.columns)
                yield ListLine(node.label, values)
                continue
            # a row without a label (table 四): one line per group of columns, named by the group
            groups: dict[str, list[tuple[str, str]]] = {}
            for col in block.columns:
                groups.setdefault(_group_name(col), []).append((col.label, _value(report, part, row_id, col)))
            for group, group_values in groups.items():
                yield ListLine(group, tuple(group_values))

    if block.caption:
        yield ListLine(block.caption)
    yield from walk(block.row_tree)


def list_lines(part: Part, report: Report) -> list[ListLine]:
    """A part's table as list entries, block by block, with the row groups as lines of their own."""
    assert part.table is not None
    return [line for block in part.table.blocks for line in _block_lines(part, block, report)]


def format_line(entry: ListLine, width: int = LINE_WIDTH) -> str:
    """One entry as text, no line wider than `width` columns: broken after a "，" between values,
    by the rules of `linebreak`; a value is cut only when it is wider than a line by itself."""
    if not entry.values:
        return ("\n" + CONTINUATION).join(break_lines(entry.label, width, later_width=_later(width)))
    items = [name + value if value == BLANK else f"{name} {value}" for name, value in entry.values]
    tokens = [f"{entry.label}：" if entry.label else "", *(item + "，" for item in items[:-1]), items[-1]]
    ends = list(accumulate(len(token) for token in tokens))
    text = "".join(tokens)
    glued = zip([0, *ends], ends, strict=False)  # each value with its name and comma on one line
    cuts = [0, *break_offsets(text, width, later_width=_later(width), glued=glued), len(text)]
    return ("\n" + CONTINUATION).join(text[a:b] for a, b in pairwise(cuts))


def _later(width: int) -> int:
    """The width left on a continuation line."""
    return width - display_width(CONTINUATION)


def render_list(entries: list[ListLine]) -> str:
    """A table's list entries as lines of text."""
    return "\n".join(format_line(entry) for entry in entries)
