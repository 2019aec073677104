"""Rows written as a list: `label：column value，column value…` — every number named by its column.

This is the list layout of the text export, and what clerks write by hand (`行政许可：447228`).
A number is placed when its name (or, in a one-column block, the row alone) names exactly
one column; any other number of the line is listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..formats import Block, Column
from ..formats import Row as FormatRow
from .labels import Kind, PartLabels, label_key, number_text
from .source import Cell

_COLON = re.compile(r"[:：]")
_PAIR_SPLIT = re.compile(r"[，,；;]")
_VALUE_AT_END = re.compile(
    r"^(?P<name>.*?)[\s:：=]*(?P<value>[+\-−]?[0-9０-９][0-9０-９,.]*\s*(?:万元|元|件|个|项|条)?|/|／|—|－)$"
)


@dataclass(frozen=True)
class NamedRow:
    """A row of a list: the block and row, each value with the column its name gives, and the rest."""

    block: Block
    row: FormatRow
    values: tuple[tuple[Column, Cell], ...]
    unnamed: tuple[tuple[str, Cell], ...]  # (the text naming it, the number) of numbers without one column
    line: int


def _columns_named(name: str, columns: tuple[Column, ...]) -> list[Column]:
    key = label_key(name)
    if not key:
        return []
    exact = [c for c in columns if key in (label_key(c.label), label_key(c.short), label_key(c.name))]
    if exact:
        return exact
    *above, last = key.split(":")
    return [c for c in columns if label_key(c.label) == last and set(above) <= {label_key(p) for p in c.path}]


def _prefix(text: str, labels: PartLabels) -> tuple[Block, FormatRow, tuple[Column, ...], str] | None:
    """The row (or, for table 四, the group of columns) a list line starts with, and the rest.

    Of the ways to read the line's colons, the one naming the fewest columns wins
    (行政诉讼：复议后起诉：总计 20 is the 总计 under 复议后起诉).
    """
    found = [f for f in (_prefix_at(text, m, labels) for m in _COLON.finditer(text)) if f is not None]
    return min(found, key=lambda f: len(f[2])) if found else None


def _prefix_at(
    text: str, m: re.Match[str], labels: PartLabels
) -> tuple[Block, FormatRow, tuple[Column, ...], str] | None:
    head, rest = text[: m.start()].strip(), text[m.end() :].strip()
    if not rest:
        return None
    words = head.split()
    meaning = labels.meaning(head)
    if meaning.kind is not Kind.LABEL and words:
        meaning = labels.meaning(words[-1])
        if meaning.row is not None and not {label_key(w) for w in words[:-1]} <= {
            label_key(p) for p in meaning.row.path
        }:
            return None
    if meaning.kind is Kind.LABEL and meaning.block is not None and meaning.row is not None:
        return meaning.block, meaning.row, meaning.block.columns, rest
    if len(labels.unlabeled) == 1:  # 行政诉讼 未经复议直接起诉：结果维持 13，…
        block, row = labels.unlabeled[0]
        groups = [label_key(w) for w in re.split(r"[\s:：/]+", head) if w]
        if groups and all(g in labels.heads for g in groups):
            columns = tuple(c for c in block.columns if set(groups) <= {label_key(p) for p in c.path})
            if columns:
                return block, row, columns, rest
    return None


def read_named(text: str, labels: PartLabels, line: int) -> NamedRow | None:
    """A list line of this part's table, or None when the text is not one."""
    found = _prefix(text, labels)
    if found is None:
        return None
    block, row, columns, rest = found
    values: list[tuple[Column, Cell]] = []
    unnamed: list[tuple[str, Cell]] = []
    pairs = [p.strip() for p in _PAIR_SPLIT.split(rest.rstrip("。；;")) if p.strip()]
    for pair in pairs:
        m = _VALUE_AT_END.match(pair)
        if m is None:
            digits = re.findall(r"[+\-−]?[0-9０-９][0-9０-９,.]*", pair)
            unnamed += [(pair, Cell(d, 0, 1, line)) for d in digits]
            continue
        name, value = m.group("name").strip(), m.group("value").strip()
        named = _columns_named(name, columns) if name else (list(columns) if len(columns) == 1 else [])
        if len(named) == 1 and (number_text(value) or labels.meaning(value).kind is Kind.BLANK):
            values.append((named[0], Cell(value, 0, 1, line)))
        elif number_text(value):
            unnamed.append((pair, Cell(value, 0, 1, line)))
    if not values and not unnamed:
        return None
    return NamedRow(block, row, tuple(values), tuple(unnamed), line)
