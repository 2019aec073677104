"""Reading a source: encodings, HTML (tolerant, with spans), drawn tables, Markdown, plain text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tui.core.importer import NotAReport, import_report, read_document
from tui.core.importer.boxgrid import read_box_table
from tui.core.importer.decode import decode_bytes, read_file
from tui.core.importer.source import Para, Row
from tui.core.store import load_report

from ...conftest import HUAIAN_SOURCE, TONGJIANG

TEXT = "同江市退役军人事务局2020年政府信息公开工作年度报告\n一、总体情况\n\t规章\t0\n"


@pytest.mark.parametrize(
    "raw",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        TEXT.encode("utf-16"),  # with BOM (Notepad, Excel “Unicode 文本”)
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # without BOM
        TEXT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16-bom", "utf-16-be-bom", "utf-16-le", "utf-16-be"],
)
def test_encodings(raw: bytes) -> None:
    assert decode_bytes(raw) == TEXT


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "Word 文档（.docx）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Word 文档"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"\x00\x01\x02\x00\xff\x00\x10\x00\x00\x00", "二进制"),
    ],
)
def test_files_that_are_not_text_are_refused_with_what_to_do(raw: bytes, says: str) -> None:
    with pytest.raises(NotAReport, match=says) as caught:
        decode_bytes(raw)
    if says != "二进制":
        assert "另存为" in str(caught.value)


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(NotAReport, match="无法读取"):
        read_file(tmp_path / "none.txt")
    with pytest.raises(NotAReport, match="文件夹"):
        read_file(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    with pytest.raises(NotAReport, match="空的"):
        read_file(tmp_path / "empty.txt")


def test_html_tolerates_unclosed_cells_and_resolves_spans() -> None:
    doc = read_document(
        "<html><head><title>某局2023年政府信息公开工作年度报告_某县人民政府</title><style>p{}</style></head><body>"
        "<h1>标题</h1><p>甲<br>乙<p>丙"
        "<table><tr><td rowspan=2>a<td colspan='2 '>b<tr><td>c<td style='text-align:right'>&nbsp;</table>"
        "<script>document.write('x')</script><nav>首页</nav><div style='display: none'>隐藏</div></body></html>"
    )
    assert doc.shape == "html" and doc.page_title.startswith("某局2023年")
    paras = [item.text for item in doc.items if isinstance(item, Para)]
    rows = [[(c.text, c.x0, c.x1) for c in item.cells] for item in doc.items if isinstance(item, Row)]
    assert paras == ["标题", "甲", "乙", "丙"]
    assert rows == [[("a", 0, 1), ("b", 1, 3)], [("c", 1, 2), ("", 2, 3)]]


def test_a_layout_table_around_the_report_is_read_as_text() -> None:
    """Old portals put the article in a table cell: its paragraphs are paragraphs, its tables tables."""
    inner = "<table><tr><td>规章</td><td>1</td></tr></table>"
    doc = read_document(f"<table><tr><td><p>一、总体情况</p><p>概况。</p>{inner}<p>完。</p></td></tr></table>")
    kinds = [(type(item).__name__, item.text) for item in doc.items]
    assert kinds == [("Para", "一、总体情况"), ("Para", "概况。"), ("Row", "规章 1"), ("Para", "完。")]


def test_word_html_cells_with_paragraphs_and_styles() -> None:
    cell = "<td width=60 style='border:solid windowtext 1.0pt'><p class=MsoNormal align=center><span lang=EN-US>{}"
    cell += "<o:p></o:p></span></p></td>"
    doc = read_document("<table><tr>" + "".join(cell.format(t) for t in ["1.属于<br>国家秘密", "2"]) + "</tr></table>")
    (row,) = [item for item in doc.items if isinstance(item, Row)]
    assert [c.text for c in row.cells] == ["1.属于 国家秘密", "2"]


def _wide_box(rows: list[list[str]]) -> list[str]:
    """A drawn table measured with ambiguous punctuation (“ ”) two columns wide, as Chinese fonts show it."""

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)

    widths = [max(width(r[k]) for r in rows) for k in range(len(rows[0]))]
    border = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [border]
    for r in rows:
        out.append("|" + "|".join(f" {t}{' ' * (w - width(t))} " for t, w in zip(r, widths, strict=True)) + "|")
        out.append(border)
    return out


def test_drawn_tables_measured_either_way_are_read() -> None:
    lines = _wide_box([["3.危及“三安全一稳定”", "5"], ["4.保护第三方合法权益", "6"]])
    rows = read_box_table(lines, 0)
    assert rows is not None
    assert [[c.text for c in r] for r in rows] == [["3.危及“三安全一稳定”", "5"], ["4.保护第三方合法权益", "6"]]


def test_a_drawn_table_that_does_not_close_is_read_as_rows() -> None:
    head = "某局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
    text = head + "+------+---+\n| 行政许可 | 5 |\n| 行政处罚 | 6 |\n"  # no bottom edge
    rows = [item for item in read_document(text).items if isinstance(item, Row)]
    assert [[c.text for c in r.cells] for r in rows] == [["行政许可", "5"], ["行政处罚", "6"]]


def test_markdown_escapes_are_undone() -> None:
    doc = read_document("# 某局2023年报告\n\n1\\. 第一项 \\*重点\\*\n\n| a \\| b | 3 |\n| :--- | ---: |\n")
    assert [item.text for item in doc.items] == ["某局2023年报告", "1. 第一项 *重点*", "a | b 3"]
    assert doc.shape == "markdown"


def test_pipe_rows_keep_empty_cells_at_either_end() -> None:
    text = "甲 | 1 | 2\n | 1 | \n乙 |  | 2\n"
    rows = [[c.text for c in item.cells] for item in read_document(text).items if isinstance(item, Row)]
    assert rows == [["甲", "1", "2"], ["", "1", ""], ["乙", "", "2"]]


def test_word_text_cells_rows_and_empty_cells() -> None:
    text = "标题\n\t规章\n\t\n\t0\n\n\t行政许可\n\t5\n"
    rows = [[c.text for c in item.cells] for item in read_document(text).items if isinstance(item, Row)]
    assert rows == [["规章", "", "0"], ["行政许可", "5"]]


def test_the_import_of_the_real_pipes_text_keeps_its_line_numbers() -> None:
    text = HUAIAN_SOURCE.read_text(encoding="utf-8").replace("行政强制 | 88283", "行政强制 | 88283 | 7")
    result = import_report(text)
    (unplaced,) = result.unplaced
    assert text.splitlines()[unplaced.line - 1].startswith("行政强制")


def test_a_tongjiang_draft_exported_to_html_keeps_its_amount_with_unit() -> None:
    from tui.core.formats import CellRef
    from tui.core.render import render

    result = import_report(render(load_report(TONGJIANG), "html"))
    assert str(result.report.value(CellRef("proactive", "procurement", "amount"))) == "64000"


def test_the_importer_does_not_load_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom tui.core.importer import import_report\n"
        "import_report('某局2023年政府信息公开工作年度报告\\n二、主动公开政府信息情况\\n行政许可 | 5\\n')\n"
        "sys.exit(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
