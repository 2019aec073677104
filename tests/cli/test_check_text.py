"""`check` on text findings: the figures, the part, the offsets and the quoted sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.formats import CellRef
from tui.core.store import load_report, save_report

from ..conftest import HUAIAN

SENTENCE = (
    "2024 年，全市共受理政府信息公开申请 3119 件，答复 805 件"
    "（含上年度结转申请 34 件，另有 103 件顺延到下年度答复），均在法定期限内予以答复。"
)


def _draft(tmp_path: Path) -> tuple[Path, str]:
    report = load_report(HUAIAN)
    text = report.text("overview")
    start = text.index("2024 年，全市共受理")
    end = text.index("。", start) + 1
    report.set_text("overview", text[:start] + SENTENCE + text[end:])
    assert report.value(CellRef("requests", "results_total", "total")) == 3050
    report.cells[CellRef("requests", "results_total", "total")] = 820  # the table says 820 (and no longer adds up)
    path = tmp_path / "2024.toml"
    save_report(report, path)
    return path, report.text("overview")


def test_check_reports_a_narrative_figure_with_both_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _text = _draft(tmp_path)
    assert main(["check", str(path)]) == 1  # the table's own errors (T3-SUM, T3-BAL)
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "TXT-NUM" in x)
    assert line.strip() == "[警告] TXT-NUM 第一部分写“答复 805 件”，表三（七）总计为 820。请核对文字与表格。"
    quote_line = out.splitlines()[out.splitlines().index(line) + 1]
    assert quote_line.strip().startswith("原句（一、总体情况第 ") and quote_line.strip().endswith(SENTENCE)


def test_check_json_has_part_offsets_and_quote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, text = _draft(tmp_path)
    main(["check", "--json", str(path)])
    (result,) = json.loads(capsys.readouterr().out)
    (finding,) = [f for f in result["findings"] if f["rule"] == "TXT-NUM"]
    assert finding["severity"] == "warning" and finding["part"] == "overview" and finding["text"] == "overview"
    assert finding["quote"] == SENTENCE
    assert text[finding["start"] : finding["end"]] == SENTENCE
    assert "805" in finding["message"] and "820" in finding["message"]
    assert finding["cells"] == [["requests", "results_total", "total"]]
    table = next(f for f in result["findings"] if f["rule"] == "T3-SUM")
    assert table["text"] is None and table["start"] is None and table["quote"] == ""
