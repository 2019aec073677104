"""Next year from last year, and upgrading a draft to a newer format."""

from __future__ import annotations

from dataclasses import dataclass, field

from .formats import CellRef, Format, format_for_year
from .report import Report, text_ids
from .rules import YearOverYearCheck
from .values import CellValue, Invalid, numeric

REVISE_MARK = "【请根据本年度情况修改：以下为上年报告原文】"
"""Put before last year's text: identical text year after year is criticised."""


def carried_cells(fmt: Format, last: Report) -> dict[CellRef, int]:
    """The cells this year's report takes from last year's, by the format's carry rules."""
    out = {}
    for rule in fmt.rules_of("year_over_year"):
        if not rule.params.carry:
            continue
        for check in rule.checks:
            assert isinstance(check, YearOverYearCheck)
            for line in check.lines:
                total = 0
                for _year, cell, sign in line.terms:  # all `last`: the format file says so
                    value = last.value(cell) if cell in last.format.cell_index else None
                    if value is None or isinstance(value, Invalid):
                        break  # last year did not say: this year's cell stays blank
                    total += sign * int(numeric(value))
                else:
                    out[line.ref] = total
    return out


def carried_stocks(fmt: Format, last: Report) -> dict[CellRef, CellValue]:
    """Stock figures (现行有效件数) this year's draft starts from: last year's, where it stated them."""
    out: dict[CellRef, CellValue] = {}
    for rule in fmt.rules_of("carried_stock"):
        for check in rule.checks:
            for ref in check.cells:
                value = last.value(ref) if ref in last.format.cell_index else None
                if value is not None and not isinstance(value, Invalid):
                    out[ref] = value
    return out


def next_year(
    last: Report, year: int, *, org: str | None = None, fmt: Format | None = None, source: str = ""
) -> Report:
    """A new report for `year`, started from last year's: carried cells filled, texts to revise."""
    fmt = fmt or format_for_year(year) or last.format
    report = Report.new(fmt, org or last.org, year)
    for ref, value in carried_cells(fmt, last).items():
        report.cells[ref] = value
    for ref, stock in carried_stocks(fmt, last).items():
        report.cells[ref] = stock
        report.to_confirm.add(ref)  # a stock: right only if nothing changed; the clerk confirms it
    for text_id in text_ids(fmt):
        old = last.text(text_id).strip()
        if old:
            report.set_text(text_id, f"{REVISE_MARK}\n{old}")
    report.derived_from = source
    report.previous = last
    return report


@dataclass
class Upgrade:
    """A draft moved to a newer format, and what the clerk has to enter again."""

    report: Report
    carried: list[CellRef] = field(default_factory=list)
    reenter: list[CellRef] = field(default_factory=list)
    dropped: list[tuple[CellRef, str]] = field(default_factory=list)  # old cells with no place, and their values


def upgrade(old: Report, fmt: Format) -> Upgrade:
    """Carry what maps (same cell and labels, or declared in the new format) into `fmt`."""
    report = Report.new(fmt, old.org, old.year)
    for text_id in text_ids(fmt):
        if old.text(text_id):
            report.set_text(text_id, old.text(text_id))
    report.derived_from = old.derived_from
    declared = dict(fmt.upgrades.get(old.format.id, ()))
    result = Upgrade(report)
    used: set[CellRef] = set()
    for ref, (col, row) in fmt.cell_index.items():
        source = declared.get(ref)
        if source is None and ref in old.format.cell_index:
            old_col, old_row = old.format.cell_index[ref]
            if (old_col.label, old_col.path, old_row.label, old_row.path) == (col.label, col.path, row.label, row.path):
                source = ref
        if source is not None and source in old.format.cell_index:
            report.cells[ref] = old.value(source)
            used.add(source)
            result.carried.append(ref)
        else:
            result.reenter.append(ref)
    for ref in old.format.cell_index:
        value = old.value(ref)
        if ref not in used and value is not None:
            result.dropped.append((ref, str(value)))
    return result
