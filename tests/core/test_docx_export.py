"""Word export read back with python-docx: every text part, every cell and merge, fonts, page settings."""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.docx_export import build_docx, column_widths, header_row_count, layout
from tui.core.docx_package import xml_text
from tui.core.formats import CellRef, get_format
from tui.core.printed_table import build_grid, cell_text, placed_cells
from tui.core.render import paragraphs
from tui.core.report import PREAMBLE, Report
from tui.core.store import load_report
from tui.core.values import strip_controls

from ..conftest import HUAIAN, TONGJIANG

WHEN = datetime(2025, 1, 20, 9, 30, tzinfo=UTC)
DRAFTS = pytest.mark.parametrize("draft", [TONGJIANG, HUAIAN], ids=["tongjiang", "huaian"])


def _open(report: Report) -> DocumentObject:
    return Document(io.BytesIO(build_docx(report, WHEN)))


@cache
def _bundled(draft: Path) -> DocumentObject:
    """A bundled report's document, built once for the tests that only read it."""
    return _open(load_report(draft))


def _blocks(doc: DocumentObject) -> list[Paragraph | Table]:
    """The body in order: paragraphs and tables."""
    out: list[Paragraph | Table] = []
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            out.append(Paragraph(el, doc))
        elif el.tag == qn("w:tbl"):
            out.append(Table(el, doc))
    return out


def _fonts(run_or_style: Any) -> dict[str, str]:
    rpr = run_or_style.element.rPr if hasattr(run_or_style, "element") else run_or_style._r.rPr
    fonts = rpr.find(qn("w:rFonts"))
    return {k.split("}")[1]: v for k, v in fonts.attrib.items()}


def _size(run: Any) -> float:
    return int(run._r.rPr.find(qn("w:sz")).get(qn("w:val"))) / 2


# --- text ------------------------------------------------------------------------------------


@DRAFTS
def test_every_text_part_in_order_with_the_tables_between(draft: Path) -> None:
    report = load_report(draft)
    expected: list[str] = [report.title, *paragraphs(report.text(PREAMBLE))]
    for part in report.format.parts:
        expected += [part.heading, *paragraphs(report.text(part.id))]
        if part.table is not None:
            expected.append(f"<table {part.id}>")
    doc = _bundled(draft)
    seen: list[str] = []
    tables = iter(p for p in report.format.parts if p.table is not None)
    for block in _blocks(doc):
        if isinstance(block, Table):
            seen.append(f"<table {next(tables).id}>")
        elif block.text:
            seen.append(block.text.replace("\n", ""))  # the title breaks after the organisation
    assert seen == expected


@DRAFTS
def test_title_headings_and_body_in_official_fonts(draft: Path) -> None:
    report = load_report(draft)
    doc = _bundled(draft)
    spec = layout()
    title = _blocks(doc)[0]
    assert isinstance(title, Paragraph)
    assert title.text == f"{report.org}\n{report.title[len(report.org) :]}"  # too long for one line
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.style is not None
    assert title.style.name == "Title"
    for run in title.runs:
        assert _fonts(run)["eastAsia"] == "方正小标宋简体" and _size(run) == 22
    headings = [
        b for b in _blocks(doc) if isinstance(b, Paragraph) and b.style is not None and b.style.name == "Heading 1"
    ]
    assert [h.text for h in headings] == [p.heading for p in report.format.parts]
    for heading in headings:
        (run,) = heading.runs
        assert _fonts(run)["eastAsia"] == "黑体" and _size(run) == 16
    body = [
        b
        for b in _blocks(doc)[1:]
        if isinstance(b, Paragraph) and b.text and b.style is not None and b.style.name == "Normal"
    ]
    assert body
    for paragraph in body:
        fmt = paragraph.paragraph_format
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and fmt.line_spacing == Pt(spec.body_line)
        ind = paragraph._p.pPr.find(qn("w:ind"))
        assert ind.get(qn("w:firstLineChars")) == "200" and ind.get(qn("w:firstLine")) == "640"
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        first, *rest = paragraph.runs
        if re.match(r"（[一二三四五六七八九十]+）", paragraph.text):
            assert _fonts(first)["eastAsia"] == "楷体_GB2312" and first.text.endswith(("。", "："))
        else:
            rest = paragraph.runs
        for run in rest:
            assert _fonts(run)["eastAsia"] == "仿宋_GB2312" and _size(run) == 16
            assert _fonts(run)["ascii"] == "Times New Roman"


def test_subheadings_in_kai_up_to_their_full_stop(huaian: Report) -> None:
    doc = _bundled(HUAIAN)
    para = next(b for b in _blocks(doc) if isinstance(b, Paragraph) and b.text.startswith("（一）主动公开情况"))
    assert para.runs[0].text == "（一）主动公开情况。"
    assert _fonts(para.runs[1])["eastAsia"] == "仿宋_GB2312"


def test_default_fonts_are_named_for_east_asian_text_without_theme_fonts(huaian: Report) -> None:
    doc = _bundled(HUAIAN)
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = {k.split("}")[1]: v for k, v in defaults.find(qn("w:rFonts")).attrib.items()}
    assert fonts["eastAsia"] == "仿宋_GB2312" and not any(k.endswith("Theme") or k == "cstheme" for k in fonts)
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    for name, font in (("Title", "方正小标宋简体"), ("Heading 1", "黑体"), ("Table Text", "宋体")):
        assert _fonts(doc.styles[name])["eastAsia"] == font


def test_font_table_names_the_fallbacks(huaian: Report) -> None:
    with zipfile.ZipFile(io.BytesIO(build_docx(huaian, WHEN))) as z:
        table = z.read("word/fontTable.xml").decode("utf-8")
        assert "docProps/thumbnail.jpeg" not in z.namelist()
    fallbacks = dict(re.findall(r'<w:font w:name="([^"]+)"><w:altName w:val="([^"]+)"/>', table))
    assert fallbacks["方正小标宋简体"] == "宋体"
    assert fallbacks["仿宋_GB2312"] == "仿宋"
    assert fallbacks["楷体_GB2312"] == "楷体"
    assert fallbacks["黑体"] and fallbacks["宋体"]


def test_text_is_cleaned_and_kept_literally() -> None:
    report = Report.new(get_format("2021"), "某<局>", 2024)
    report.set_text("overview", "A & B <b>粗体</b>\x1b[2J\n\n第二段")
    doc = _open(report)
    texts = [b.text for b in _blocks(doc) if isinstance(b, Paragraph) and b.text]
    assert "A & B <b>粗体</b>[2J" in texts and "第二段" in texts
    assert all("\x1b" not in t for t in texts)
    assert texts[0] == "某<局>2024年政府信息公开工作年度报告"  # short enough for one line


# --- tables ----------------------------------------------------------------------------------


def _docx_cells(table: Table) -> list[tuple[str, int, int, int, int]]:
    """(text, rowspan, colspan, row, column) of every cell as merged in the file."""
    origins: dict[tuple[int, int], list[Any]] = {}
    above: dict[int, tuple[int, int]] = {}
    for r, tr in enumerate(table._tbl.findall(qn("w:tr"))):
        c = 0
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span_el = pr.find(qn("w:gridSpan")) if pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            merge = pr.find(qn("w:vMerge")) if pr is not None else None
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if merge is not None and merge.get(qn("w:val")) in (None, "continue"):
                assert not text
                origins[above[c]][1] += 1
            else:
                origins[(r, c)] = [text, 1, span]
                above[c] = (r, c)
            c += span
    return sorted((v[0], v[1], v[2], k[0], k[1]) for k, v in origins.items())


def _tables(doc: DocumentObject) -> list[Table]:
    return [b for b in _blocks(doc) if isinstance(b, Table)]


@DRAFTS
def test_every_cell_and_merge_as_the_official_table(draft: Path) -> None:
    report = load_report(draft)
    doc = _bundled(draft)
    parts = [p for p in report.format.parts if p.table is not None]
    for part, table in zip(parts, _tables(doc), strict=True):
        grid = build_grid(part, report)
        expected = sorted((c.text, c.rowspan, c.colspan, r, col) for c, r, col in placed_cells(grid))
        assert _docx_cells(table) == expected
        values = 0
        cells, width = table._cells, len(table.columns)  # Table.rows[r].cells[c] rescans the table each time
        for cell, r, c in placed_cells(grid):
            if cell.ref is None:
                continue
            col, _row = report.format.cell_index[cell.ref]
            shown = cell_text(report.value(cell.ref))
            shown += col.unit if shown and col.show_unit else ""
            paragraph = cells[r * width + c].paragraphs[0]
            assert paragraph.text == shown
            assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
            values += 1
        assert values == sum(len(b.rows) * len(b.columns) for b in part.table.blocks)  # type: ignore[union-attr]


def test_labels_left_headers_centred(huaian: Report) -> None:
    table = _tables(_bundled(HUAIAN))[1]
    label = table.rows[3].cells[0].paragraphs[0]
    assert label.text == "一、本年新收政府信息公开申请数量" and label.alignment == WD_ALIGN_PARAGRAPH.LEFT
    head = table.rows[0].cells[3].paragraphs[0]
    assert head.text == "申请人情况" and head.alignment == WD_ALIGN_PARAGRAPH.CENTER


@DRAFTS
def test_header_rows_repeat_on_every_page(draft: Path) -> None:
    report = load_report(draft)
    doc = _bundled(draft)
    parts = [p for p in report.format.parts if p.table is not None]
    repeated = []
    for part, table in zip(parts, _tables(doc), strict=True):
        flags = [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in table._tbl.tr_lst]
        assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in table._tbl.tr_lst)
        count = header_row_count(part, build_grid(part, report))
        assert flags == [i < count for i in range(len(flags))]
        repeated.append(count)
    assert repeated == [0, 3, 3]  # table 二 has a header per block: none repeats


def test_blank_cells_are_blank_not_zero(huaian: Report) -> None:
    blank = CellRef("requests", "publications", "research")
    zero = CellRef("requests", "publications", "public_interest")
    huaian.set_cell(blank, None)
    assert huaian.value(zero) == 0
    table = _tables(_open(huaian))[1]
    row = next(r for r in table.rows if r.cells[2].text == "3.要求提供公开出版物")
    texts = [c.text for c in row.cells[3:]]
    assert texts == ["0", "0", "", "0", "0", "0", "0"]


def test_column_widths_fill_the_text_width_and_keep_numbers_whole(huaian: Report) -> None:
    spec = layout()
    total = int(Mm(spec.page["width_mm"] - spec.page["left_mm"] - spec.page["right_mm"]).twips)
    margin = int(Mm(spec.cell_margin).twips)
    for part in huaian.format.parts:
        if part.table is None:
            continue
        grid = build_grid(part, huaian)
        widths = column_widths(grid, total, spec.table.size, margin)
        assert sum(widths) == total and min(widths) > 0
        for cell, _r, c in placed_cells(grid):
            if cell.role == "value":
                room = sum(widths[c : c + cell.colspan]) - 2 * margin
                assert room >= len(cell.text) * spec.table.size * 10, (part.id, cell.text)
    requests = build_grid(huaian.format.part("requests"), huaian)
    widths = column_widths(requests, total, spec.table.size, margin)
    assert widths[2] > widths[1] > 0  # the leaf labels get the most room


# --- page -------------------------------------------------------------------------------------


def test_page_is_a4_with_official_margins(huaian: Report) -> None:
    doc = _bundled(HUAIAN)
    (section,) = doc.sections
    for got, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert got is not None and abs(got - Mm(mm)) < Mm(0.1), (got, mm)
    assert doc.settings.odd_and_even_pages_header_footer


def test_page_numbers_with_dashes_right_on_odd_left_on_even(huaian: Report) -> None:
    doc = _bundled(HUAIAN)
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        (paragraph,) = footer.paragraphs
        assert paragraph.text == "— 1 —" and paragraph.alignment == align
        kinds = [f.get(qn("w:fldCharType")) for f in paragraph._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert [i.text for i in paragraph._p.iter(qn("w:instrText"))] == [" PAGE "]
        assert all(_fonts(run)["eastAsia"] == "宋体" and _size(run) == 14 for run in paragraph.runs)


def test_properties_and_the_same_bytes_for_the_same_draft_and_time(huaian: Report) -> None:
    doc = _bundled(HUAIAN)
    props = doc.core_properties
    assert props.title == huaian.title and props.author == "淮安市人民政府" and props.language == "zh-CN"
    assert props.created == WHEN.replace(tzinfo=None) or props.created == WHEN
    assert build_docx(huaian, WHEN) == build_docx(huaian, WHEN)


# --- the package, written without python-docx ------------------------------------------------

PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/_rels/document.xml.rels",
    "word/document.xml",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/footer1.xml",
    "word/footer2.xml",
]
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_every_part_is_well_formed_typed_and_reachable(huaian: Report) -> None:
    parts = _parts(build_docx(huaian, WHEN))
    assert list(parts) == PARTS  # no theme, no thumbnail, nothing of a template
    trees = {name: ElementTree.fromstring(data) for name, data in parts.items()}  # each parses as XML
    types = trees["[Content_Types].xml"]
    overrides = {el.get("PartName") for el in types.iter(f"{CT}Override")}
    defaults = {el.get("Extension") for el in types.iter(f"{CT}Default")}
    for name in PARTS:
        assert f"/{name}" in overrides or name.rsplit(".", 1)[1] in defaults, name
    assert {el.get("PartName") for el in types.iter(f"{CT}Override")} <= {f"/{name}" for name in PARTS}
    for rels, folder in (("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word/")):
        targets = [folder + el.get("Target", "") for el in trees[rels].iter(f"{RELS}Relationship")]
        assert targets and all(target in parts for target in targets), targets
    ids = {el.get("Id") for el in trees["word/_rels/document.xml.rels"].iter(f"{RELS}Relationship")}
    used = set(re.findall(r'r:id="([^"]+)"', parts["word/document.xml"].decode("utf-8")))
    assert used and used <= ids


def test_no_theme_fonts_or_colours_anywhere(huaian: Report) -> None:
    for name, data in _parts(build_docx(huaian, WHEN)).items():
        assert not re.search(rb"[A-Za-z]+Theme=|w:cstheme=|w:themeColor=", data), name


def test_only_the_time_changes_with_the_time(huaian: Report) -> None:
    first = _parts(build_docx(huaian, WHEN))
    later = _parts(build_docx(huaian, WHEN.replace(year=2026)))
    assert [name for name in first if first[name] != later[name]] == ["docProps/core.xml"]
    assert b"2026-01-20T09:30:00Z" in later["docProps/core.xml"]
    with zipfile.ZipFile(io.BytesIO(build_docx(huaian, WHEN))) as z:
        assert {info.date_time for info in z.infolist()} == {(2025, 1, 20, 9, 30, 0)}


def test_the_export_needs_neither_python_docx_nor_lxml() -> None:
    """The one-file bundle carries no compiled library: the writer is the standard library and Jinja2."""
    code = (
        "import sys\n"
        "from tui.core.docx_export import build_docx\n"
        "from tui.core.store import load_report\n"
        f"data = build_docx(load_report({str(HUAIAN)!r}))\n"
        "assert data.startswith(b'PK')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'lxml')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"


def test_xml_text_escapes_and_drops_what_xml_cannot_hold() -> None:
    assert xml_text("A & B <b> \"x\" 'y' ]]>") == "A &amp; B &lt;b&gt; &#34;x&#34; &#39;y&#39; ]]&gt;"
    assert xml_text("甲\x00乙\ufffe丙\uffff丁\ud800戊\x1b") == "甲乙丙丁戊"
    assert xml_text("tab\there\nline 😀 𠀀") == "tab\there\nline 😀 𠀀"  # allowed characters stay


def test_quotes_markup_and_tabs_in_user_text_read_back_literally() -> None:
    report = Report.new(get_format("2021"), "某\"局'<&>\ufffe", 2024)
    report.set_text("overview", "（一）情况。甲\t乙]]>\uffff丙\n\n<w:p/>")
    doc = _open(report)
    texts = [b.text for b in _blocks(doc) if isinstance(b, Paragraph) and b.text]
    assert texts[0] == "某\"局'<&>2024年政府信息公开工作年度报告"
    assert "（一）情况。甲\t乙]]>丙" in texts and "<w:p/>" in texts
    para = next(b for b in _blocks(doc) if isinstance(b, Paragraph) and b.text.startswith("（一）"))
    assert [r.text for r in para.runs] == ["（一）情况。", "甲\t乙]]>丙"]
    assert doc.core_properties.author == "某\"局'<&>"


@settings(max_examples=40, deadline=None)
@given(
    org=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
    text=st.text(max_size=60),
)
def test_any_text_reads_back_as_its_paragraphs(org: str, text: str) -> None:
    report = Report.new(get_format("2021"), org, 2024)
    report.set_text("overview", text)
    doc = _open(report)
    blocks = _blocks(doc)
    heading = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == "一、总体情况")
    after = []
    for block in blocks[heading + 1 :]:
        if not isinstance(block, Paragraph) or block.style is None or block.style.name != "Normal":
            break
        after.append(block.text)
    # what XML can hold of each paragraph, character for character
    assert after == [html.unescape(xml_text(p)) for p in paragraphs(report.text("overview"))]
    assert doc.core_properties.author == html.unescape(xml_text(strip_controls(org, keep_newlines=False)))
