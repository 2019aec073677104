"""Exports: golden files, valid Markdown, HTML with merged cells and inline styles, text grids and lists, escaping."""

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

from tui.core.checks import check_report
from tui.core.formats import CellRef, get_format
from tui.core.importer import import_report
from tui.core.printed_table import cell_text
from tui.core.render import EXPORTS, TEXT_EXPORTS, export_bytes, export_suffix, md_cell, md_escape, render
from tui.core.report import Report
from tui.core.store import load_report
from tui.core.text_list import BLANK, CONTINUATION, LINE_WIDTH, ListLine, format_line
from tui.core.width import display_width

from ..conftest import HUAIAN, TONGJIANG

GFM = MarkdownIt("commonmark").enable("table")


GOLDEN = [(kind, "grid") for kind in TEXT_EXPORTS] + [("txt", "list")]


@pytest.mark.parametrize("draft", [TONGJIANG, HUAIAN], ids=["tongjiang", "huaian"])
@pytest.mark.parametrize(("kind", "tables"), GOLDEN, ids=[f"{k}-{t}" for k, t in GOLDEN])
def test_golden_exports(draft: Path, kind: str, tables: str, update_golden: bool) -> None:
    golden = draft.with_suffix(export_suffix(kind, tables))
    text = render(load_report(draft), kind, tables)
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


def test_markdown_writes_every_number_and_leaves_blanks_blank(fmt2021: object) -> None:
    report = Report.new(get_format("2021"), "空白机关", 2024)
    report.set_cell(CellRef("requests", "new_requests", "natural_person"), 0)
    report.set_cell(CellRef("requests", "new_requests", "total"), 7)
    tables = _md_tables(GFM.parse(render(report, "md")))
    requests = tables[4]
    assert requests[1] == ["一、本年新收政府信息公开申请数量", "0", "", "", "", "", "", "7"]
    values = [cell for t in tables for row in t[1:] for cell in row[1:]]
    assert values.count("0") == 1 and values.count("7") == 1
    assert all(v in ("", "0", "7") for v in values)


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
        assert len({display_width(line) for line in lines}) == 1
        # every vertical border on a text line sits under a corner of the rule above it
        for above, line in itertools.pairwise(lines):
            if line.startswith("|"):
                bars = {_col(line, i) for i, ch in enumerate(line) if ch == "|"}
                corners = {_col(above, i) for i, ch in enumerate(above) if ch in "+|"}
                assert bars <= corners, (above, line)


def _col(line: str, index: int) -> int:
    """Display column of the character at `index` (quotes counted 2 columns, as Chinese fonts draw them)."""
    return display_width(line[:index])


def test_text_has_title_parts_and_numbers(tongjiang: Report) -> None:
    text = render(tongjiang, "txt")
    assert text.startswith("同江市退役军人事务局2020年政府信息公开工作年度报告\n")
    for part in tongjiang.format.parts:
        assert f"\n{part.heading}\n" in text
    assert "64000元" in text
    assert "| 其他对外管理服务事项 |             27 |" in text


def test_export_of_a_report_with_errors_still_works(huaian: Report) -> None:
    """A report with a wrong total exports as it is: the preview shows the wrong figure, not a corrected one."""
    huaian.cells[CellRef("requests", "new_requests", "total")] = 1
    assert any(f.rule == "T3-ROW" for f in check_report(huaian))
    for kind in TEXT_EXPORTS:
        assert "淮安市人民政府" in render(huaian, kind)
    assert "| 3001 | 53 | 0 | 0 | 61 | 4 | 1 |" in render(huaian, "md")
    assert "3119" not in render(huaian, "md").split("二、上年结转")[0].split("一、本年新收")[-1]
    assert export_bytes(huaian, "docx").startswith(b"PK")  # a zip: read back in test_docx_export


def test_export_kinds_and_file_names() -> None:
    assert list(EXPORTS) == ["md", "txt", "html", "html-fragment", "docx"]
    assert [export_suffix(k) for k in EXPORTS] == [".md", ".txt", ".html", ".fragment.html", ".docx"]
    assert export_suffix("txt", "list") == ".list.txt"
    assert export_suffix("md", "list") == ".md"  # only plain text has a list layout
    with pytest.raises(ValueError, match="not a text export"):
        render(Report.new(get_format("2021"), "机关", 2024), "docx")
    with pytest.raises(ValueError, match="table layout"):
        render(Report.new(get_format("2021"), "机关", 2024), "txt", "columns")


# --- HTML for a portal editor: inline styles only ----------------------------------------------


class _Styled(HTMLParser):
    """Every start tag with its attributes, and where the body starts and ends."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def _style(attrs: dict[str, str]) -> dict[str, str]:
    pairs = (item.split(":", 1) for item in attrs.get("style", "").split(";") if item.strip())
    return {k.strip(): v.strip() for k, v in pairs}


@pytest.mark.parametrize("draft", [TONGJIANG, HUAIAN], ids=["tongjiang", "huaian"])
@pytest.mark.parametrize("kind", ["html", "html-fragment"])
def test_html_styles_are_inline_on_every_element(draft: Path, kind: str) -> None:
    out = render(load_report(draft), kind)
    assert "<style" not in out and "<script" not in out and "class=" not in out and "<link" not in out
    parser = _Styled()
    parser.feed(out)
    tags = parser.tags
    tables = [a for t, a in tags if t == "table"]
    assert len(tables) == 3
    for attrs in tables:
        assert (attrs["border"], attrs["cellspacing"], attrs["cellpadding"]) == ("1", "0", "4")
        assert _style(attrs)["border-collapse"] == "collapse" and "solid" in _style(attrs)["border"]
    cells = [(t, _style(a)) for t, a in tags if t in ("td", "th")]
    assert cells
    for _tag, style in cells:
        assert style["border"] == "1px solid #000000" and style["padding"]
        assert style["text-align"] in ("left", "right", "center")
    paragraphs = [_style(a) for t, a in tags if t == "p"]
    assert paragraphs
    for style in paragraphs:
        assert style["text-indent"] == "2em" and style["font-size"] == "16px"
    (title,) = [_style(a) for t, a in tags if t == "h1"]
    assert title["text-align"] == "center"
    assert all(_style(a)["font-size"] for t, a in tags if t == "h2")


def test_html_numbers_are_right_aligned_labels_left(huaian: Report) -> None:
    out = render(huaian, "html-fragment")
    assert re.search(r'text-align:right;">3119</td>', out)
    assert re.search(r'text-align:left;">一、本年新收政府信息公开申请数量</td>', out)


@pytest.mark.parametrize("draft", [TONGJIANG, HUAIAN], ids=["tongjiang", "huaian"])
def test_the_fragment_is_the_body_of_the_page(draft: Path) -> None:
    report = load_report(draft)
    page, fragment = render(report, "html"), render(report, "html-fragment")
    body = re.search(r"<body[^>]*>\n(.*)</body>", page, flags=re.S)
    assert body is not None and body.group(1) == fragment
    assert not fragment.lstrip().startswith(("<!DOCTYPE", "<html", "<body"))


# --- blank cells: blank in every export, never 0 -------------------------------------------------


def _with_blanks(report: Report) -> tuple[Report, list[CellRef]]:
    blanks = [
        CellRef("requests", "publications", "natural_person"),
        CellRef("requests", "publications", "research"),
        CellRef("appeals", "cases", "after_other"),
        CellRef("proactive", "licensing", "decisions"),
    ]
    for ref in blanks:
        report.set_cell(ref, None)
    return report, blanks


def test_blank_cells_stay_blank_in_every_text_export(huaian: Report) -> None:
    report, _blanks = _with_blanks(huaian)
    fragment = render(report, "html-fragment")
    assert re.search(r'text-align:left;">3\.要求提供公开出版物</td><td [^>]*>&nbsp;</td><td [^>]*>0</td>', fragment)
    assert fragment.count(">&nbsp;</td>") == 4
    requests = _md_tables(GFM.parse(render(report, "md")))[4]
    assert ["三、本年度办理结果：（五）不予处理：3.要求提供公开出版物", "", "0", "", "0", "0", "0", "0"] in requests
    grid = render(report, "txt")
    assert re.search(r"\| 3\.要求提供公开出版物 +\| +\| +0 \| +\| +0 \|", grid)
    listing = render(report, "txt", "list")
    assert "3.要求提供公开出版物：自然人（空白），商业企业 0，科研机构（空白），" in listing
    assert "行政许可：本年处理决定数量（空白）" in listing


@pytest.mark.parametrize("kind", ["html", "html-fragment"])
def test_blank_cells_read_back_blank_by_the_importer(huaian: Report, kind: str) -> None:
    report, blanks = _with_blanks(huaian)
    imported = import_report(render(report, kind))
    assert imported.report.cells == report.cells
    assert all(imported.report.value(ref) is None for ref in blanks)
    assert imported.complete, imported.notes


# --- plain text, tables as lists ----------------------------------------------------------------


@pytest.mark.parametrize("draft", [TONGJIANG, HUAIAN], ids=["tongjiang", "huaian"])
def test_list_layout_is_80_columns_and_holds_every_value(draft: Path) -> None:
    report = load_report(draft)
    text = render(report, "txt", "list")
    paragraphs = {p.strip() for t in report.texts.values() for p in t.splitlines()}
    for line in text.splitlines():
        if line not in paragraphs:  # paragraphs stay one line each: any field re-flows them
            assert display_width(line) <= LINE_WIDTH, line
    assert "+---" not in text and "| " not in text
    joined = text.replace("\n" + CONTINUATION, "")  # each row back on one line
    for part in report.format.parts:
        assert f"\n{part.heading}\n" in joined
        if part.table is None:
            continue
        for block in part.table.blocks:
            if block.caption:
                assert f"\n{block.caption}\n" in joined
            for row in block.rows:
                for col in block.columns:
                    value = cell_text(report.value(CellRef(part.id, row.id, col.id)))
                    shown = value + col.unit if col.show_unit and col.unit else value
                    assert re.search(rf"{re.escape(col.label)} {re.escape(shown)}(，|$)", joined, flags=re.M)
                if row.label:
                    assert re.search(rf"^{re.escape(row.label)}：", joined, flags=re.M)


def test_list_layout_of_table_three_and_four(huaian: Report) -> None:
    text = render(huaian, "txt", "list").replace("\n" + CONTINUATION, "")
    assert (
        "\n三、本年度办理结果\n（一）予以公开：自然人 1288，商业企业 21，科研机构 0，社会公益组织 0，"
        "法律服务机构 50，其他 3，总计 1362\n" in text
    )
    assert "\n（三）不予公开\n1.属于国家秘密：自然人 2，" in text
    assert "\n行政复议：结果维持 72，结果纠正 64，其他结果 178，尚未审结 37，总计 351\n" in text
    assert "\n行政诉讼（未经复议直接起诉）：结果维持 13，结果纠正 4，其他结果 8，尚未审结 1，总计 26\n" in text
    assert "\n行政诉讼（复议后起诉）：结果维持 12，" in text


def test_display_width_counts_ambiguous_punctuation_as_wide() -> None:
    assert display_width("abc") == 3
    assert display_width("中文") == 4
    assert display_width("“三安全一稳定”") == 16
    assert display_width("——…") == 6


@settings(max_examples=150, deadline=None)
@given(
    st.text(st.sampled_from(list("行政复议（一）1.“”a0 ")), max_size=60),
    st.lists(
        st.tuples(
            st.text(st.sampled_from(list("结果维持总计“”ab")), min_size=1, max_size=20),
            st.from_regex(r"[0-9]{1,12}|（空白）", fullmatch=True),
        ),
        max_size=9,
    ),
    st.integers(min_value=20, max_value=100),
)
def test_list_lines_fit_and_lose_nothing(label: str, values: list[tuple[str, str]], width: int) -> None:
    entry = ListLine(label, tuple(values))
    out = format_line(entry, width)
    lines = out.split("\n")
    assert all(display_width(line) <= width for line in lines)
    assert all(line.startswith(CONTINUATION) for line in lines[1:])
    whole = lines[0] + "".join(line[len(CONTINUATION) :] for line in lines[1:])
    items = [n + v if v == BLANK else f"{n} {v}" for n, v in values]
    expected = (f"{label}：" if label and values else label) + "，".join(items)
    assert whole == expected
