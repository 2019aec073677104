"""The problem list sent back to the units: an Excel workbook (a summary sheet and a findings
sheet) and the same findings as CSV, written one unit at a time as the units are checked.

The workbook is written by openpyxl in write-only mode: rows go to temporary files as they
come, with column widths for Chinese text, a bold frozen header row and wrapped messages, so it
opens cleanly in Excel and WPS. The CSV starts with a UTF-8 byte-order mark (Excel reads it as
UTF-8 only then). Every text is cleaned with `safe_text` (control characters are not allowed
in a workbook), written as text (never a formula in the workbook; in the CSV a leading `=`,
`+`, `-` or `@` gets a `'`, as Excel would otherwise compute it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .files import atomic_write
from .safetext import safe_text
from .units import Unit, UnitCheck, UnitsSummary

SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "问题清单"

SUMMARY_COLUMNS: list[tuple[str, float]] = [
    ("单位", 28),
    ("文件", 34),
    ("年度", 7),
    ("格式", 10),
    ("审核状态", 10),
    ("错误", 7),
    ("警告", 7),
    ("提示", 7),
    ("最后保存", 18),
    ("截止日期", 12),
    ("剩余天数", 10),
    ("最近意见", 40),
    ("说明", 50),
]
"""Headers and widths (in Excel's units: a Chinese character takes about 2)."""

FINDING_COLUMNS: list[tuple[str, float]] = [
    ("单位", 28),
    ("文件", 34),
    ("部分", 30),
    ("位置", 36),
    ("规则", 13),
    ("严重程度", 10),
    ("问题", 80),
    ("原句", 50),
]
WRAPPED = {"问题", "原句", "最近意见", "说明", "位置"}
"""Columns whose long texts wrap inside the cell."""

UNREADABLE_RULE = "FILE"
"""The rule column of a draft that could not be read at all."""


def _text(value: object) -> str:
    return safe_text(value)


def summary_row(unit: Unit) -> list[object]:
    """The summary sheet's row of a unit."""
    if not unit.readable:
        return [unit.name, unit.name, "", "", "", "", "", "", unit.saved, "", "", "", f"无法读取：{unit.problem}"]
    return [
        unit.org,
        unit.name,
        unit.year,
        unit.format_short,
        unit.status.label,
        unit.errors,
        unit.warnings,
        unit.infos,
        unit.saved,
        unit.deadline.isoformat() if unit.deadline else "",
        unit.days_left if unit.days_left is not None else "",
        unit.last_comment,
        f"由{unit.locked_by}打开" if unit.locked_by else "",
    ]


def finding_rows(checked: UnitCheck) -> list[list[object]]:
    """The findings sheet's rows of a unit: one per finding (or one saying it cannot be read)."""
    unit, report = checked.unit, checked.report
    if report is None:
        return [[unit.name, unit.name, "", "文件", UNREADABLE_RULE, "错误", f"无法读取：{unit.problem}", ""]]
    rows: list[list[object]] = []
    fmt = report.format
    for f in checked.findings:
        part = fmt.text_heading(f.part) if f.part else ("截止日期" if f.location == "截止日期" else "基本信息")
        rows.append([unit.org, unit.name, part, f.location, f.rule, f.severity.label, f.message, f.quote])
    return rows


def _csv_cell(value: object) -> object:
    if isinstance(value, str):
        text = _text(value)
        return "'" + text if text[:1] in ("=", "+", "-", "@") else text
    return value


class ProblemList:
    """The workbook and/or the CSV being written; `add` each unit, then `save`."""

    def __init__(self, *, xlsx: Path | None = None, csv_path: Path | None = None) -> None:
        self.xlsx, self.csv_path = xlsx, csv_path
        self.summary = UnitsSummary()
        self.findings = 0
        self._book: Any = None
        if xlsx is not None:
            self._open_book()
        self._csv = io.StringIO(newline="") if csv_path is not None else None
        if self._csv is not None:
            self._csv_writer = csv.writer(self._csv)
            self._csv_writer.writerow([name for name, _w in FINDING_COLUMNS])

    def _open_book(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        book = Workbook(write_only=True)
        self._book = book
        self._sheets: dict[str, tuple[Any, list[str]]] = {}
        self._header_font = Font(bold=True)
        self._header_fill = PatternFill("solid", fgColor="DDEBF7")
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self._top = Alignment(vertical="top")
        for title, columns in ((SUMMARY_SHEET, SUMMARY_COLUMNS), (FINDINGS_SHEET, FINDING_COLUMNS)):
            sheet = book.create_sheet(title)
            for i, (_name, width) in enumerate(columns, 1):
                sheet.column_dimensions[get_column_letter(i)].width = width
            sheet.freeze_panes = "A2"
            self._sheets[title] = (sheet, [name for name, _w in columns])
            sheet.append([self._cell(sheet, name, header=True) for name, _w in columns])

    def _cell(self, sheet: Any, value: object, *, header: bool = False, column: str = "") -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=_text(value) if isinstance(value, str) else value)  # type: ignore[arg-type]
        if isinstance(value, str):
            cell.data_type = "s"  # text, even when it starts with `=`
        if header:
            cell.font, cell.fill = self._header_font, self._header_fill
        else:
            cell.alignment = self._wrap if column in WRAPPED else self._top
        return cell

    def _append(self, title: str, row: list[object]) -> None:
        sheet, names = self._sheets[title]
        sheet.append([self._cell(sheet, value, column=name) for value, name in zip(row, names, strict=True)])

    def add(self, checked: UnitCheck) -> None:
        """Write one unit: its summary row and its findings."""
        self.summary.add(checked.unit)
        rows = finding_rows(checked)
        self.findings += len(rows) if checked.report is not None else 0
        if self._book is not None:
            self._append(SUMMARY_SHEET, summary_row(checked.unit))
            for row in rows:
                self._append(FINDINGS_SHEET, row)
        if self._csv is not None:
            for row in rows:
                self._csv_writer.writerow([_csv_cell(v) for v in row])

    def save(self) -> list[Path]:
        """Write the files (atomically, fresh); the paths written. `OSError` when a file cannot be written."""
        written = []
        if self._book is not None and self.xlsx is not None:
            data = io.BytesIO()
            self._book.save(data)
            atomic_write(self.xlsx, data.getvalue(), backup=False)
            written.append(self.xlsx)
        if self._csv is not None and self.csv_path is not None:
            atomic_write(self.csv_path, self._csv.getvalue().encode("utf-8-sig"), backup=False)
            written.append(self.csv_path)
        return written


def export_problem_list(
    checks: Iterable[UnitCheck], *, xlsx: Path | None = None, csv_path: Path | None = None
) -> ProblemList:
    """Write the problem list of the units (as they come) to a workbook and/or a CSV file.

    The one function behind `check DIR --xlsx/--csv` and the review screen's export.
    """
    problems = ProblemList(xlsx=xlsx, csv_path=csv_path)
    for checked in checks:
        problems.add(checked)
    problems.save()
    return problems
