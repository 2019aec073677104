"""Excerpts of real published reports, as found on portals: every number in its cell, none elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.formats import get_format
from tui.core.importer import import_report
from tui.core.importer.labels import Kind, part_labels
from tui.core.report import PREAMBLE

from ...conftest import DATA

REAL = DATA / "import"
ERDAO = "二道区房屋征收工作管理办公室"

# (file, organisation given by the clerk or None, expected organisation, year, format, shape, numbers listed)
REPORTS = [
    ("real-shanghai-bgt-2019.html", None, "上海市人民政府办公厅", 2019, "2019-trial", "html", 0),
    ("real-erdao-fwzs-2022-cells.txt", ERDAO, ERDAO, 2022, "2021", "cell-pipes", 0),
    ("real-wendeng-xinfang-2022-pdf.txt", None, "威海市文登区信访局", 2022, "2021", "text", 0),
    ("real-jiuyuan-zwfw-2022-pipes.txt", None, "九原区政务服务局", 2022, "2021", "pipes", 1),
    ("real-huludao-gxq-2024-lines.txt", None, "葫芦岛高新技术产业开发区", 2024, "2021", "text", 0),
]


def _cells_by_name(path: Path) -> dict[str, str]:
    """The `.cells` file next to a report: `part／row／column = value`, checked by hand against the source."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, value = line.rsplit(" = ", 1)
        out[name] = value
    return out


@pytest.mark.parametrize(
    ("name", "given", "org", "year", "fmt", "shape", "listed"), REPORTS, ids=[r[0] for r in REPORTS]
)
def test_real_excerpts_put_every_number_in_its_cell_and_nowhere_else(
    name: str, given: str | None, org: str, year: int, fmt: str, shape: str, listed: int
) -> None:
    result = import_report(REAL / name, org=given)
    report = result.report
    assert (report.org, report.year, report.format.id, result.shape) == (org, year, fmt, shape)
    got = {}
    for ref, value in report.cells.items():
        if value is not None:
            col, row = report.format.cell_index[ref]
            got[f"{ref.part}／{row.name}／{col.name}"] = str(value)
    assert got == _cells_by_name(REAL / (name.rsplit(".", 1)[0] + ".cells"))
    assert len(result.unplaced) == listed


def test_the_erdao_excerpt_without_an_organisation_is_refused_naming_what_is_missing() -> None:
    from tui.core.importer import MissingFacts

    with pytest.raises(MissingFacts) as caught:
        import_report(REAL / "real-erdao-fwzs-2022-cells.txt")
    assert caught.value.missing == ("org",)  # the year is in 关于2022年度政府信息公开情况的报告


def test_misprinted_row_labels_are_read_with_a_note_only_when_one_row_is_that_close() -> None:
    labels = part_labels(get_format("2021"))["requests"]
    misprinted = labels.meaning("5.属于三类内容事务信息")  # 内部 printed as 内容 (real report above)
    assert misprinted.kind is Kind.LABEL and misprinted.misprint
    assert misprinted.row is not None and misprinted.row.label == "5.属于三类内部事务信息"
    assert labels.meaning("6.属于三类内容事务信息").kind is Kind.TEXT  # another number: another row
    assert labels.meaning("2.重复申清").kind is Kind.TEXT  # too short for one wrong character to be sure
    result = import_report(REAL / "real-erdao-fwzs-2022-cells.txt", org="某办")
    assert sum("与格式的行名称不完全相同" in n.message for n in result.notes) == 2


def test_a_span_misaligned_with_the_header_is_placed_by_count_only_when_counting_agrees() -> None:
    text = (REAL / "real-shanghai-bgt-2019.html").read_text(encoding="utf-8")
    row = text.index("<p>行政许可</p>")
    end = text.index("</tr>", row)
    extra = text[:end] + '<td style="width:20px;"><p>7</p></td>' + text[end:]  # a fourth number: count fails
    result = import_report(extra)
    fmt = result.report.format
    permits = {fmt.cell_index[r][0].name: v for r, v in result.report.cells.items() if r.row == "licensing"}
    assert permits.get("上一年项目数量") is None  # under two columns, and counting cannot say
    assert {u.text for u in result.unplaced if u.row == "行政许可"} == {"0", "7"}


def test_a_pdf_page_keeps_its_header_pieces_and_page_mark_out_of_the_text() -> None:
    result = import_report(REAL / "real-wendeng-xinfang-2022-pdf.txt")
    assert result.report.texts.get("appeals", "") == ""
    assert result.report.texts["problems"].startswith("总结我局本年度政府信息公开工作")
    assert "P. 8" not in result.report.text(PREAMBLE)
