"""Totals that follow their parts: editing a cell updates the sums that depend on it."""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from .formats import CellRef, Format
from .report import Report
from .rules import SumCheck
from .values import CellValue, Invalid, numeric

Links = dict[CellRef, list[tuple[CellRef, tuple[CellRef, ...]]]]


def _build_links(fmt: Format) -> Links:
    links: Links = {}
    for rule in fmt.rules_of("total"):  # the format declares its totals; a `balance` is no total
        for check in rule.checks:
            assert isinstance(check, SumCheck)
            for part in check.parts:
                links.setdefault(part, []).append((check.total, check.parts))
    return links


def total_links(fmt: Format) -> Links:
    """For each cell, the totals it is part of, with all the parts of each total."""
    return fmt.memo("total_links", _build_links)


def total_cells(fmt: Format) -> frozenset[CellRef]:
    """Cells that are the total of others (computed while the clerk types)."""
    return frozenset(total for pairs in total_links(fmt).values() for total, _parts in pairs)


def _sum(values: list[CellValue]) -> CellValue:
    if all(v is None for v in values):
        return None
    total: int | Decimal = sum(numeric(v) for v in values)
    return total


def set_cell_with_totals(report: Report, ref: CellRef, value: CellValue) -> list[CellRef]:
    """Set a cell, then update every total that agreed with its parts before the change.

    A total that is blank or equal to the old sum of its parts follows the new sum; a total the
    clerk typed that disagrees is left alone for the checks to flag. Returns the changed cells.
    """
    links = total_links(report.format)
    old: dict[CellRef, CellValue] = {ref: report.value(ref)}
    report.set_cell(ref, value)
    changed = [ref]
    queue = deque([ref])
    while queue:
        cell = queue.popleft()
        for total, parts in links.get(cell, ()):
            current = report.value(total)
            if isinstance(current, Invalid):
                continue
            before = _sum([old.get(p, report.value(p)) for p in parts])
            if current is not None and current != numeric(before):
                continue
            after = _sum([report.value(p) for p in parts])
            if after == current:
                continue
            old.setdefault(total, current)
            report.set_cell(total, after)
            if total not in changed:
                changed.append(total)
            queue.append(total)
    return changed
