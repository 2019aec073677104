"""Import: each input shape with the two real reports, label variants, blanks, misplaced numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.formats import CellRef
from tui.core.grid import build_grid
from tui.core.importer import NotAReport, import_text, read_lines
from tui.core.render import render
from tui.core.report import PREAMBLE, Report
from tui.core.store import dumps_report, load_report

from ..conftest import HUAIAN, HUAIAN_SOURCE, TONGJIANG, TONGJIANG_SOURCE

SOURCES = {TONGJIANG: TONGJIANG_SOURCE, HUAIAN: HUAIAN_SOURCE}


def shaped(report: Report, shape: str) -> str:
    """The report as a portal or a word processor would give it: one of the four shapes."""
    if shape == "html":
        return render(report, "html")
    out = [report.title, ""]
    out += [p for p in report.text(PREAMBLE).splitlines() if p]
    for part in report.format.parts:
        out.append(part.heading)
        out += [p for p in report.text(part.id).splitlines() if p]
        if part.table is None:
            continue
        for row in build_grid(part, report).rows:
            cells = [cell.text for cell in row]
            if shape == "tabs":
                out.append("\t".join(cells))
            elif shape == "pipes":
                out.append(" | ".join(cells))
            else:  # word: one cell per line, a tab before each, a blank line between rows
                out += [f"\t{cell}" for cell in cells] + [""]
    return "\n".join(out) + "\n"


def test_the_real_sources_import_to_the_bundled_drafts() -> None:
    for draft, source in SOURCES.items():
        imported = import_text(source.read_text(encoding="utf-8"))
        assert dumps_report(imported.report) == dumps_report(load_report(draft))
        assert imported.complete
    assert import_text(SOURCES[TONGJIANG].read_text(encoding="utf-8")).shape == "word"
    assert import_text(SOURCES[HUAIAN].read_text(encoding="utf-8")).shape == "pipes"


@pytest.mark.parametrize("draft", [TONGJIANG, HUAIAN], ids=["tongjiang", "huaian"])
@pytest.mark.parametrize("shape", ["word", "tabs", "pipes", "html"])
def test_every_shape_of_both_reports(draft: Path, shape: str) -> None:
    original = load_report(draft)
    imported = import_text(shaped(original, shape))
    assert imported.shape == shape
    assert imported.report.format is original.format  # told from the tables
    assert (imported.report.org, imported.report.year) == (original.org, original.year)
    assert imported.report.cells == original.cells
    assert imported.report.texts == original.texts
    assert imported.complete, imported.notes


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
    imported = import_text(text)
    assert dumps_report(imported.report) == dumps_report(load_report(HUAIAN))


def test_blank_and_slash_cells_stay_blank_and_page_numbers_go() -> None:
    text = _huaian_pipes()
    text = text.replace(
        "3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0", "3.要求提供公开出版物 | / | — |  | 0 | 0 | 0 | 0"
    )
    text = text.replace("四、政府信息公开行政复议、行政诉讼情况", "- 4 -\n四、政府信息公开行政复议、行政诉讼情况")
    imported = import_text(text)
    cell = lambda c: imported.report.value(CellRef("requests", "publications", c))  # noqa: E731
    assert [cell("natural_person"), cell("commercial"), cell("research"), cell("public_interest")] == [
        None,
        None,
        None,
        0,
    ]
    assert any("页码" in str(n) for n in imported.notes)
    assert imported.complete


def test_a_number_in_the_wrong_place_is_reported_not_dropped() -> None:
    text = _huaian_pipes().replace(
        "2.重复申请 | 25 | 0 | 0 | 0 | 0 | 0 | 25", "2.重复申请 | 25 | 0 | 0 | 0 | 0 | 0 | 25 | 999"
    )
    imported = import_text(text)
    assert not imported.complete
    (error,) = [n for n in imported.notes if n.severity == "error"]
    assert (
        "999" in error.message
        and error.line == text.splitlines().index("2.重复申请 | 25 | 0 | 0 | 0 | 0 | 0 | 25 | 999") + 1
    )


def test_a_short_row_is_reported_and_left_blank() -> None:
    text = _huaian_pipes().replace("行政强制 | 88283", "行政强制")
    imported = import_text(text)
    assert imported.report.value(CellRef("proactive", "enforcement", "decisions")) is None
    assert any("行政强制" in str(n) and "只有 0 个数值" in str(n) for n in imported.notes)


def test_the_title_is_required() -> None:
    with pytest.raises(NotAReport, match="找不到报告标题"):
        import_text("一、总体情况\n随便写的一段话。\n")


def test_html_cells_and_paragraphs() -> None:
    shape, lines = read_lines(
        "<html><body><h1>标题</h1><p>甲<br>乙</p><table><tr><td>a</td><td rowspan=2>b</td>"
        "</tr></table><script>x=1</script></body></html>"
    )
    assert shape == "html"
    assert [(line.cells, line.tabled) for line in lines] == [
        (("标题",), False),
        (("甲",), False),
        (("乙",), False),
        (("a", "b"), True),
    ]
