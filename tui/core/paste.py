"""Where a block pasted into a table goes: cells from the cursor on, or rows by the labels it carries.

A block copied from Excel, WPS or a web page arrives as text: rows on lines, cells between tabs.
Line ends are Windows', Unix' or old Mac's, and a terminal multiplexer may turn them into two; a
trailing empty line is an artefact of the copy. When the block's first column holds the table's own row
labels, the clerk copied the labels with the numbers: each line goes to the row it names, never
to the row that happens to be under the cursor. A number cell never takes text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .formats import Block, CellRef, Part, Row
from .label_key import label_key
from .values import BLANK_MARKS, CellKind, CellValue, Invalid, parse_cell


@dataclass(frozen=True)
class PastedCell:
    """One cell the paste fills, and what it was given."""

    ref: CellRef
    value: CellValue
    name: str


@dataclass
class PastePlan:
    """What a paste does: the cells it fills, and what it refused to put anywhere."""

    cells: list[PastedCell] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    by_label: bool = False

    @property
    def values(self) -> list[tuple[CellRef, CellValue]]:
        return [(cell.ref, cell.value) for cell in self.cells]

    def summary(self) -> str:
        """One line for the clerk: how many cells, from where to where, and what was refused."""
        if self.cells:
            how = "（按行名对应）" if self.by_label else ""
            first, last = self.cells[0].name, self.cells[-1].name
            where = first if len(self.cells) == 1 else f"{first} 至 {last}"
            text = f"已粘贴 {len(self.cells)} 个单元格{how}：{where}"
        else:
            text = "没有粘贴任何单元格"
        if self.refused:
            text += f"。未填入 {len(self.refused)} 处：" + "；".join(self.refused[:3])
            if len(self.refused) > 3:
                text += " 等"
        return text


def block_lines(text: str) -> list[list[str] | None]:
    """The pasted text as rows of cells; `None` for an empty line inside the block (a row left as it is).

    CRLF and CR are line ends. tmux pastes LF as CR, so Windows' CRLF arrives as CR CR: text with
    no LF at all and CR CR in it has each CR CR as one line end. Empty lines at the end are dropped.
    """
    if "\n" not in text and "\r\r" in text:
        text = text.replace("\r\r", "\n")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.split("\t") if line.strip() else None for line in lines]


def _row_keys(rows: Sequence[tuple[Block, Row]]) -> dict[str, int | None]:
    """Every way a row is named (its label, its short name, with its group) to its index; None if ambiguous."""
    keys: dict[str, int | None] = {}
    for index, (_block, row) in enumerate(rows):
        names = {row.label, row.name, "".join(row.path) + row.label}
        for key in {label_key(name) for name in names if name}:
            keys[key] = None if key in keys and keys[key] != index else index
    return keys


def _is_label(text: str) -> bool:
    """Text that names something (a row, a heading), not a number and not a blank."""
    text = text.strip()
    if text in BLANK_MARKS:
        return False
    return all(isinstance(parse_cell(kind, text), Invalid) for kind in (CellKind.SIGNED, CellKind.AMOUNT))


def plan_paste(
    part: Part,
    rows: Sequence[tuple[Block, Row]],
    cursor: tuple[int, int],
    text: str,
) -> PastePlan:
    """The cells a paste of `text` fills, with the cursor on row `cursor[0]`, column `cursor[1]` of `rows`."""
    lines = block_lines(text)
    plan = PastePlan()
    keys = _row_keys(rows)
    labelled = [line for line in lines if line is not None and _is_label(line[0])]
    plan.by_label = bool(labelled) and any(keys.get(label_key(line[0])) is not None for line in labelled)
    start_row, start_col = cursor
    for offset, line in enumerate(lines):
        if line is None:
            continue
        if plan.by_label:
            first = line[0].strip()
            index = keys.get(label_key(first)) if first else None
            if index is None:
                if any(cell.strip() and not _is_label(cell) for cell in line[1:]):
                    plan.refused.append(f"找不到“{first}”这一行" if first else "一行没有行名")
                continue  # a heading, or a group's label: no values of its own
            values = line[1:]
            block, row = rows[index]
            while len(values) > len(block.columns) and not values[0].strip():
                values = values[1:]  # the empty cells Excel writes for a label merged over columns
            col0 = 0 if len(values) == len(block.columns) else start_col
        else:
            index = start_row + offset
            if index >= len(rows):
                plan.refused.append(f"第 {offset + 1} 行超出表格")
                continue
            block, row = rows[index]
            values, col0 = line, start_col
        for k, raw in enumerate(values):
            c = col0 + k
            if c >= len(block.columns):
                if raw.strip():
                    plan.refused.append(f"“{raw.strip()}”超出表格右边")
                continue
            col = block.columns[c]
            value = parse_cell(col.kind, raw, col.unit)
            name = f"{row.name}／{col.name}"
            if isinstance(value, Invalid):
                plan.refused.append(f"{name}：“{raw.strip()}”{value.reason}")
                continue
            plan.cells.append(PastedCell(CellRef(part.id, row.id, col.id), value, name))
    return plan
