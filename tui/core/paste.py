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


def pasted_line_ends(text: str) -> str:
    """Pasted text with every line end as LF.

    CRLF and CR are line ends. tmux pastes LF as CR, so Windows' CRLF arrives as CR CR: text with
    no LF at all and CR CR in it has each CR CR as one line end.
    """
    if "\n" not in text and "\r\r" in text:
        text = text.replace("\r\r", "\n")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def block_lines(text: str) -> list[list[str] | None]:
    """The pasted text as rows of cells; `None` for an empty line inside the block (a row left as it is).

    Line ends as `pasted_line_ends` reads them; empty lines at the end are dropped.
    """
    lines = pasted_line_ends(text).split("\n")
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


def _header_keys(rows: Sequence[tuple[Block, Row]]) -> set[str]:
    """The texts of the tables' column headers and captions: a line of only these is the header, copied along."""
    keys: set[str] = set()
    for block in {id(block): block for block, _row in rows}.values():
        texts = {block.caption, block.label_header}
        for col in block.columns:
            texts |= {col.label, col.short, *col.path}
        keys |= {label_key(text) for text in texts if text}
    return keys


def _is_label(text: str) -> bool:
    """Text that names something (a row, a heading), not a number and not a blank."""
    text = text.strip()
    if text in BLANK_MARKS:
        return False
    return all(isinstance(parse_cell(kind, text), Invalid) for kind in (CellKind.SIGNED, CellKind.AMOUNT))


def _leading_labels(line: list[str]) -> tuple[list[tuple[int, str]], int]:
    """The label cells before a line's first number, with their columns, and where its values start.

    Excel and WPS copy the official layout with the group in one column and the row in the next, a
    label merged over several columns as that label and empty cells: every cell before the first
    number may be a label or padding. The values start after the last label.
    """
    labels: list[tuple[int, str]] = []
    for position, cell in enumerate(line):
        text = cell.strip()
        if not text:
            continue
        if not _is_label(text):
            break
        labels.append((position, text))
    return labels, (labels[-1][0] + 1 if labels else 0)


def _find_row(keys: dict[str, int | None], labels: list[str]) -> int | None:
    """The row a line's labels name: all of them joined (group and row), else the last, else an earlier one."""
    candidates = ["".join(labels), *reversed(labels)]
    for n in range(len(labels) - 1, 1, -1):
        candidates.append("".join(labels[-n:]))
    for candidate in candidates:
        index = keys.get(label_key(candidate))
        if index is not None:
            return index
    return None


def _without_padding(values: list[str], width: int) -> list[str]:
    """A labelled line's values without the empty cells Excel adds for merged cells: at the start for a
    label merged over columns (dropped first, as many as there are too many cells), then at the end
    for a copy one column too wide. Cells past the edge that are left are refused by the caller.
    """
    leading = next((k for k, cell in enumerate(values) if cell.strip()), len(values))
    rest = values[min(max(len(values) - width, 0), leading) :]
    while len(rest) > width and not rest[-1].strip():
        rest = rest[:-1]
    return rest


def plan_paste(
    part: Part,
    rows: Sequence[tuple[Block, Row]],
    cursor: tuple[int, int],
    text: str,
) -> PastePlan:
    """The cells a paste of `text` fills, with the cursor on row `cursor[0]`, column `cursor[1]` of `rows`.

    A block with any label in it goes by its labels alone: a line whose label names no row of the
    table is refused if it carries numbers, and never put under the cursor instead.
    """
    keys = _row_keys(rows)
    headers = _header_keys(rows)

    def split(line: list[str]) -> tuple[list[str], bool]:
        """A line's labels, and whether anything follows them (numbers, or text where numbers go)."""
        labels, first_value = _leading_labels(line)
        return [label for _p, label in labels], any(cell.strip() for cell in line[first_value:])

    def labels_only(line: list[str] | None) -> list[str]:
        """The labels of a line that has nothing else (a heading, a title, a unit line); else none."""
        if line is None:
            return []
        labels, has_values = split(line)
        return [] if has_values else labels

    def is_header(line: list[str] | None) -> bool:
        """Column headers or captions copied along: labels only, all of them the table's own, no row named."""
        labels = labels_only(line)
        return bool(labels) and all(label_key(label) in headers for label in labels) and _find_row(keys, labels) is None

    def names_a_row(line: list[str] | None) -> bool:
        """A line that goes by its label: it has a label and values, or its labels name a row."""
        if line is None:
            return False
        labels, has_values = split(line)
        return bool(labels) and (has_values or _find_row(keys, labels) is not None)

    lines = [line for line in block_lines(text) if not is_header(line)]
    plan = PastePlan()
    plan.by_label = any(names_a_row(line) for line in lines)
    if not plan.by_label:  # a title or a unit line (单位：件) above the numbers takes no row of the table
        while lines and labels_only(lines[0]):
            lines.pop(0)
    above: dict[int, str] = {}  # the last label seen in each column: a label merged down over rows
    start_row, start_col = cursor
    for offset, line in enumerate(lines):
        if line is None:
            continue
        if plan.by_label:
            labels, first_value = _leading_labels(line)
            for position, label in labels:
                above = {p: t for p, t in above.items() if p < position}
                above[position] = label
            inherited = [t for p, t in sorted(above.items()) if p < (labels[0][0] if labels else first_value)]
            index = _find_row(keys, [label for _p, label in labels]) if labels else None
            if index is None and labels and inherited:
                index = _find_row(keys, [*inherited, *(label for _p, label in labels)])
            values = line[first_value:]
            if index is None:
                if any(cell.strip() for cell in values):
                    name = labels[-1][1] if labels else ""
                    plan.refused.append(f"找不到“{name}”这一行" if name else "一行没有行名")
                continue  # a heading, or a group's label: no values of its own
            block, row = rows[index]
            # a copy that holds the labels holds the values from the table's first column on
            values, col0 = _without_padding(values, len(block.columns)), 0
            if len(values) > len(block.columns):
                named = labels[-1][1] if labels else row.name
                plan.refused.append(f"“{named}”一行有 {len(values)} 格，表格只有 {len(block.columns)} 列")
                continue  # where its numbers belong cannot be told
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
