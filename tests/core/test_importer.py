"""Import of the real 淮安 text with the variants published reports print (labels, blanks, page numbers)."""

from __future__ import annotations

import pytest

from tui.core.formats import CellRef
from tui.core.importer import NotAReport, import_report
from tui.core.store import dumps_report, load_report

from ..conftest import HUAIAN, HUAIAN_SOURCE


def _huaian_pipes() -> str:
    return HUAIAN_SOURCE.read_text(encoding="utf-8")


def test_label_variants_real_reports_print() -> None:
    text = _huaian_pipes()
    text = text.replace("（二）部分公开（区分处理的，只计这一情形", "(二)部分公开(区分处理的,只记这一情形")
    text = text.replace("3.危及“三安全一稳定”", '3. 危及"三安全一稳定"')
    text = text.replace("五、存在的主要问题及改进情况", "五、存在的主要问题和改进措施")
    text = text.replace("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议和行政诉讼情况")
    text = text.replace("行政事业性收费 | 96171.6", "行政事业性收费 | 96,171.6万元")
    text = text.replace("1.属于国家秘密 | 2 |", "1、属于国家秘密 | ２ |")
    result = import_report(text)
    assert dumps_report(result.report) == dumps_report(load_report(HUAIAN))
    assert result.complete


def test_blank_and_slash_cells_stay_blank_and_page_numbers_go() -> None:
    text = _huaian_pipes()
    text = text.replace(
        "3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0", "3.要求提供公开出版物 | / | — |  | 0 | 0 | 0 | 0"
    )
    text = text.replace("四、政府信息公开行政复议、行政诉讼情况", "- 4 -\n四、政府信息公开行政复议、行政诉讼情况")
    result = import_report(text)
    cells = [result.report.value(CellRef("requests", "publications", c)) for c in ("natural_person", "commercial")]
    cells += [result.report.value(CellRef("requests", "publications", c)) for c in ("research", "public_interest")]
    assert cells == [None, None, None, 0]
    assert any("页码" in str(n) for n in result.notes)
    assert result.complete


def test_a_number_in_the_wrong_place_is_listed_with_its_line_not_dropped() -> None:
    line = "2.重复申请 | 25 | 0 | 0 | 0 | 0 | 0 | 25 | 999"
    text = _huaian_pipes().replace("2.重复申请 | 25 | 0 | 0 | 0 | 0 | 0 | 25", line)
    result = import_report(text)
    assert not result.complete
    (error,) = [n for n in result.notes if n.severity == "error"]
    assert "999" in error.message and error.line == text.splitlines().index(line) + 1
    assert result.report.value(CellRef("requests", "repeated", "total")) is None  # the row is not guessed


def test_a_row_without_values_is_noted_and_left_blank() -> None:
    result = import_report(_huaian_pipes().replace("行政强制 | 88283", "行政强制"))
    assert result.report.value(CellRef("proactive", "enforcement", "decisions")) is None
    assert any("“行政强制”一行没有数值" in str(n) for n in result.notes)
    assert result.complete  # nothing was left unplaced


def test_the_title_or_the_parts_are_required() -> None:
    with pytest.raises(NotAReport, match="找不到报告标题"):
        import_report("随便写的一段话。\n另一段话。\n")
