"""The problem list: the workbook read back with openpyxl, and the CSV read as Excel would."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from tests.units import damage, write_units
from tui.core.problem_list import FINDING_COLUMNS, FINDINGS_SHEET, SUMMARY_COLUMNS, SUMMARY_SHEET, export_problem_list
from tui.core.store import load_report, save_report
from tui.core.units import iter_units

TODAY = dt.date(2026, 2, 3)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    units = tmp_path / "units"
    written = write_units(units, 8)
    damage(written[-1][0])
    hostile = load_report(written[2][0])
    hostile.org = '=HYPERLINK("http://x")某局\x1b]52;c;eA==\x07'
    save_report(hostile, written[2][0])
    return units


def test_workbook_has_every_finding_in_chinese_with_widths_and_a_frozen_header(folder: Path, tmp_path: Path) -> None:
    checks = list(iter_units([folder], today=TODAY))
    path = tmp_path / "问题清单.xlsx"
    problems = export_problem_list(iter_units([folder], today=TODAY), xlsx=path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SUMMARY_SHEET, FINDINGS_SHEET]
    summary, findings = book[SUMMARY_SHEET], book[FINDINGS_SHEET]
    for sheet, columns in ((summary, SUMMARY_COLUMNS), (findings, FINDING_COLUMNS)):
        assert [c.value for c in sheet[1]] == [name for name, _w in columns]
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width == columns[0][1] and sheet["A1"].font.bold
    rows = [[c.value for c in row] for row in summary.iter_rows(min_row=2)]
    assert len(rows) == 8 == problems.summary.units
    assert [r[1] for r in rows] == [str(c.unit.path) for c in checks]
    expected = [(c.unit.name, f.rule, f.severity.label, f.message) for c in checks for f in c.findings] + [
        (c.unit.name, "FILE", "错误", f"无法读取：{c.unit.problem}") for c in checks if c.report is None
    ]
    got = [(r[1], r[4], r[5], r[6]) for r in findings.iter_rows(min_row=2, values_only=True)]
    assert sorted(got) == sorted(expected)
    assert any("已超过截止日期" in str(r[3]) for r in got) and any("自然人列" in str(r[3]) for r in got)
    hostile = [r[0] for r in summary.iter_rows(min_row=2, values_only=True) if str(r[0]).startswith("=")]
    assert hostile == ['=HYPERLINK("http://x")某局]52;c;eA==']  # text, not a formula; no escape left
    assert all(cell.data_type == "s" for cell in summary["A"][1:] if cell.value)


def test_csv_has_a_bom_and_opens_as_excel_reads_it(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "问题清单.csv"
    export_problem_list(iter_units([folder], today=TODAY), csv_path=path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [name for name, _w in FINDING_COLUMNS]
    checks = list(iter_units([folder], today=TODAY))
    assert len(rows) - 1 == sum(len(c.findings) for c in checks) + sum(1 for c in checks if c.report is None)
    assert any(r[0].startswith("'=HYPERLINK") for r in rows[1:])  # Excel must not compute it
    assert any(r[5] == "错误" and "无法读取" in r[6] for r in rows[1:])
