"""Exports: golden files, valid Markdown, HTML with merged cells, aligned text, escaping."""

from __future__ import annotations

import html
import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.cells import cell_len

from tui.core.formats import CellRef, get_format
from tui.core.render import EXPORTS, md_cell, md_escape, render
from tui.core.report import Report
from tui.core.store import load_report

from ..conftest import HUAIAN, TONGJIANG

GFM = MarkdownIt("commonmark").enable("table")


@pytest.mark.parametrize("draft", [TONGJIANG, HUAIAN], ids=["tongjiang", "huaian"])
@pytest.mark.parametrize("kind", list(EXPORTS))
def test_golden_exports(draft: Path, kind: str, update_golden: bool) -> None:
    golden = draft.with_suffix(f".{kind}")
    text = render(load_report(draft), kind)
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"run pytest --update-golden to refresh {golden}"


# --- Markdown -------------------------------------------------------------------------------


def _md_tables(tokens: list) -> list[list[list[str]]]:
    tables, rows, row = [], None, None
    for tok in tokens:
        if tok.type == "table_open":
            rows = []
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and row is not None:
            row.append(tok.content)
        elif tok.type == "tr_close":
            rows.append(row)
            row = None
        elif tok.type == "table_close":
            tables.append(rows)
    return tables


def test_markdown_is_valid_gfm_with_every_table(huaian: Report) -> None:
    tokens = GFM.parse(render(huaian, "md"))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert headings[1:] == [p.heading for p in huaian.format.parts]
    tables = _md_tables(tokens)
    assert len(tables) == 4 + 1 + 1  # table 二 has four blocks
    requests = tables[4]
    assert len(requests) == 1 + 25
    assert all(len(row) == 8 for row in requests)
    assert requests[0][3] == "法人或其他组织：科研机构"
    assert requests[1] == ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"]
    appeals = tables[5]
    assert appeals[0][5] == "行政诉讼：未经复议直接起诉：结果维持"
    assert appeals[1][14] == "20"


def test_markdown_writes_every_number(fmt2021: object) -> None:
    report = Report.new(get_format("2021"), "空白机关", 2024)
    tables = _md_tables(GFM.parse(render(report, "md")))
    values = [cell for t in tables for row in t[1:] for cell in row[1:]]
    assert values and all(v == "0" for v in values if not v.startswith(("一", "二", "三", "四")))


def _plain(md_source: str) -> str:
    rendered = GFM.render(md_source)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("#*_`[]()<>|~&!\\-+=.1) 中文“”\u3000a")), max_size=30))
def test_markdown_escaping_shows_text_literally(text: str) -> None:
    line = text.strip(" ")
    if not line.strip():
        return
    assert _plain(md_escape(line)) == line.strip()
    table = GFM.render(f"| h |\n| --- |\n| {md_cell(line)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", table, flags=re.S)
    assert len(cells) == 1
    assert html.unescape(re.sub(r"<[^>]+>", "", cells[0])) == " ".join(line.split())


# --- HTML -----------------------------------------------------------------------------------


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self.cell: list[str] | None = None
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell, self.attrs = [], dict(attrs)

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(
                ("".join(self.cell), int(self.attrs.get("rowspan") or 1), int(self.attrs.get("colspan") or 1))
            )
            self.cell = None


def _widths(rows: list[list[tuple[str, int, int]]]) -> list[int]:
    """The number of grid columns each row covers, once row spans are resolved."""
    taken: dict[int, int] = {}
    widths = []
    for r, row in enumerate(rows):
        width = taken.get(r, 0)
        for _text, rowspan, colspan in row:
            width += colspan
            for k in range(1, rowspan):
                taken[r + k] = taken.get(r + k, 0) + colspan
        widths.append(width)
    return widths


def test_html_keeps_merged_cells(huaian: Report) -> None:
    parser = _Tables()
    parser.feed(render(huaian, "html"))
    proactive, requests, appeals = parser.tables
    assert set(_widths(proactive)) == {4}
    assert set(_widths(requests)) == {10}
    assert set(_widths(appeals)) == {15}
    corner = requests[0][0]
    assert corner == ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
    assert ("申请人情况", 1, 7) in requests[0]
    assert ("三、本年度办理结果", 22, 1) in [c for row in requests for c in row]
    assert ("（三）不予公开", 8, 1) in [c for row in requests for c in row]
    assert ("行政许可", 1, 1) in [c for row in proactive for c in row]
    assert ("447228", 1, 3) in [c for row in proactive for c in row]
    assert [c for c in appeals[1]][:1] == [("结果维持", 2, 1)]


def test_html_escapes_user_text(fmt2021: object) -> None:
    report = Report.new(get_format("2021"), "<script>alert(1)</script>局", 2024)
    report.set_text("overview", "A & B <b>粗体</b>\x1b[2J")
    out = render(report, "html")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "A &amp; B &lt;b&gt;粗体&lt;/b&gt;[2J" in out
    assert "\x1b" not in out


# --- plain text -----------------------------------------------------------------------------


@pytest.mark.parametrize("draft", [TONGJIANG, HUAIAN])
def test_text_tables_line_up_by_display_width(draft: Path) -> None:
    text = render(load_report(draft), "txt")
    blocks = re.findall(r"(?:^[+|].*\n)+", text, flags=re.M)
    assert len(blocks) == 3
    for block in blocks:
        lines = block.splitlines()
        assert len({cell_len(line) for line in lines}) == 1
        # every vertical border on a text line sits under a corner of the rule above it
        for above, line in itertools.pairwise(lines):
            if line.startswith("|"):
                bars = {_col(line, i) for i, ch in enumerate(line) if ch == "|"}
                corners = {_col(above, i) for i, ch in enumerate(above) if ch in "+|"}
                assert bars <= corners, (above, line)


def _col(line: str, index: int) -> int:
    """Display column of the character at `index`."""
    return cell_len(line[:index])


def test_text_has_title_parts_and_numbers(tongjiang: Report) -> None:
    text = render(tongjiang, "txt")
    assert text.startswith("同江市退役军人事务局2020年政府信息公开工作年度报告\n")
    for part in tongjiang.format.parts:
        assert f"\n{part.heading}\n" in text
    assert "64000元" in text
    assert "| 其他对外管理服务事项 |             27 |" in text


def test_export_of_a_report_with_errors_still_works(huaian: Report) -> None:
    huaian.cells[CellRef("requests", "new_requests", "total")] = 1
    for kind in EXPORTS:
        assert "淮安市人民政府" in render(huaian, kind)
