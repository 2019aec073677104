"""Word (.docx) export: the report laid out as an official document (GB/T 9704), tables merged as printed."""

from __future__ import annotations

import io
import re
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from html import escape
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from rich.cells import cell_len

from .formats import Part
from .grid import Grid, GridCell, build_grid, placed_cells
from .render import paragraphs
from .report import PREAMBLE, Report
from .resources import resource_files
from .values import strip_controls

SUBHEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）[^。：]{1,30}[。：]?")
"""A second-level heading at the start of a paragraph: （一）主动公开情况。"""

TABLE_TEXT = "Table Text"
"""The paragraph style of the text in table cells: 五号宋体, single line spacing, no indent."""

_THUMBNAIL = "docProps/thumbnail.jpeg"  # python-docx's template picture: not of this document


@dataclass(frozen=True)
class FontSpec:
    """A font as the layout names it: the East Asian name, its fallback, the size."""

    name: str
    fallback: str
    size: float
    latin: str = "Times New Roman"


@dataclass(frozen=True)
class Layout:
    """The layout file `templates/report.docx.toml`, read once."""

    page: dict[str, float]
    body: FontSpec
    body_line: float
    title: FontSpec
    title_line: float
    heading: FontSpec
    subheading: FontSpec
    table: FontSpec
    cell_margin: float
    page_number: FontSpec
    number_before: str
    number_after: str


def _font(data: dict[str, Any], latin: str) -> FontSpec:
    return FontSpec(str(data["font"]), str(data["fallback"]), float(data["size_pt"]), str(data.get("latin", latin)))


@cache
def layout() -> Layout:
    """The official-document layout: page, fonts, spacing."""
    data = tomllib.loads((resource_files("templates") / "report.docx.toml").read_text(encoding="utf-8"))
    latin = str(data["body"].get("latin", "Times New Roman"))
    return Layout(
        page={k: float(v) for k, v in data["page"].items()},
        body=_font(data["body"], latin),
        body_line=float(data["body"]["line_pt"]),
        title=_font(data["title"], latin),
        title_line=float(data["title"]["line_pt"]),
        heading=_font(data["heading"], latin),
        subheading=_font(data["subheading"], latin),
        table=_font(data["table"], latin),
        cell_margin=float(data["table"]["cell_margin_mm"]),
        page_number=_font(data["page_number"], data["page_number"]["font"]),
        number_before=str(data["page_number"]["before"]),
        number_after=str(data["page_number"]["after"]),
    )


# --- fonts -----------------------------------------------------------------------------------


def set_fonts(rpr: Any, font: FontSpec, bold: bool | None = None) -> None:
    """Give run properties (`w:rPr` of a run, a style or the defaults) a font by name, East Asian text included.

    Theme font attributes are removed: they would win over the names.
    """
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), font.latin)
    fonts.set(qn("w:hAnsi"), font.latin)
    fonts.set(qn("w:eastAsia"), font.name)
    fonts.set(qn("w:cs"), font.latin)
    fonts.set(qn("w:hint"), "eastAsia")
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(round(font.size * 2)))
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), "1" if bold else "0")


def _font_table_entries(fonts: list[FontSpec]) -> bytes:
    """`w:font` entries naming each font's fallback (altName) and its Chinese character set."""
    out = []
    seen = set()
    for font in fonts:
        if font.name in seen:
            continue
        seen.add(font.name)
        family = "modern" if font.name in ("黑体", "SimHei") else "roman"
        out.append(
            f'<w:font w:name="{escape(font.name)}"><w:altName w:val="{escape(font.fallback)}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        )
    return "".join(out).encode("utf-8")


# --- paragraphs --------------------------------------------------------------------------------


def _exact_spacing(paragraph: Paragraph, line: float, before: float = 0, after: float = 0) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _indent_two_chars(paragraph: Paragraph, size: float) -> None:
    """A first-line indent of two characters, as Word and WPS understand it (firstLineChars)."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), str(round(size * 2 * 20)))


def _add_run(paragraph: Paragraph, text: str, font: FontSpec) -> None:
    run = paragraph.add_run(text)
    set_fonts(run._r.get_or_add_rPr(), font)


def _add_body_paragraph(doc: DocumentObject, text: str) -> None:
    spec = layout()
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _exact_spacing(paragraph, spec.body_line)
    _indent_two_chars(paragraph, spec.body.size)
    m = SUBHEADING.match(text)
    if m:
        _add_run(paragraph, m.group(0), spec.subheading)
        text = text[m.end() :]
    if text:
        _add_run(paragraph, text, spec.body)


def _add_title(doc: DocumentObject, report: Report) -> None:
    spec = layout()
    title = strip_controls(report.title, keep_newlines=False)
    paragraph = doc.add_paragraph(style="Title")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact_spacing(paragraph, spec.title_line, after=spec.body_line)
    org = strip_controls(report.org, keep_newlines=False)
    line_chars = (spec.page["width_mm"] - spec.page["left_mm"] - spec.page["right_mm"]) / (spec.title.size * 0.3528)
    if org and title.startswith(org) and cell_len(title) / 2 > line_chars:
        # too long for one line: the organisation on the first, the rest of the title below
        run = paragraph.add_run(org)
        set_fonts(run._r.get_or_add_rPr(), spec.title)
        run.add_break()
        _add_run(paragraph, title[len(org) :], spec.title)
    else:
        _add_run(paragraph, title, spec.title)


def _add_heading(doc: DocumentObject, text: str) -> None:
    spec = layout()
    paragraph = doc.add_paragraph(style="Heading 1")
    _exact_spacing(paragraph, spec.body_line)
    _indent_two_chars(paragraph, spec.heading.size)
    _add_run(paragraph, text, spec.heading)


# --- tables --------------------------------------------------------------------------------


def _half_widths(cell: GridCell) -> tuple[int, int, int]:
    """Half-width characters a cell needs on one line: (least, wished, all of it); numbers never wrap."""
    n = cell_len(cell.text)
    if cell.role == "value":
        return n, max(n, 4), max(n, 4)
    if cell.role == "label" and cell.rowspan == 1:
        return min(n, 4), min(n, 30), n
    if cell.role == "head":
        return min(n, 4), min(n, 6), n
    return min(n, 4), min(n, 8), n


def column_widths(grid: Grid, total: int, font_size: float, margin: int) -> list[int]:
    """Widths (twips) of the grid's columns, adding up to `total`.

    Every number fits on one line; text gets the room it wishes (labels about 15 characters,
    headers 3) before any gets all it would take, and wraps where the room runs out.
    """
    half = font_size * 10  # twips of a half-width character
    levels: list[list[float]] = [[0.0] * grid.width for _ in range(3)]
    for cell, _r, c in sorted(placed_cells(grid), key=lambda p: p[0].colspan):
        span = range(c, c + cell.colspan)
        for need, have in zip(_half_widths(cell), levels, strict=True):
            short = need * half + 2 * margin - sum(have[i] for i in span)
            if short > 0:
                for i in span:
                    have[i] += short / cell.colspan
    least, wish, full = levels
    wish = [max(w, lo) for w, lo in zip(wish, least, strict=True)]
    full = [max(f, w) for f, w in zip(full, wish, strict=True)]
    if sum(least) >= total:
        widths = [w * total / sum(least) for w in least]
    elif sum(full) <= total:
        widths = [w * total / sum(full) for w in full]
    else:
        low, high = (least, wish) if sum(wish) > total else (wish, full)
        room = (total - sum(low)) / (sum(high) - sum(low))
        widths = [lo + (hi - lo) * room for lo, hi in zip(low, high, strict=True)]
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)
    return out


def _set_cell_margins(table: Table, margin: int) -> None:
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(margin if side in ("left", "right") else margin // 2))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def _mark_row(table: Table, index: int, header: bool) -> None:
    tr_pr = table.rows[index]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def header_row_count(part: Part, grid: Grid) -> int:
    """Rows repeated at the top of each page: the column headers of a one-block table."""
    assert part.table is not None
    if len(part.table.blocks) > 1:
        return 0  # table 二: each block has its own headers; repeating the first would mislead
    count = 0
    for row in grid.rows:
        if any(cell.role in ("value", "label") for cell in row):
            break
        count += 1
    return count


def _add_table(doc: DocumentObject, part: Part, report: Report) -> None:
    spec = layout()
    grid = build_grid(part, report)
    table = doc.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = doc.styles["Table Grid"]
    text_style = doc.styles[TABLE_TEXT].style_id
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    text_width = Mm(spec.page["width_mm"] - spec.page["left_mm"] - spec.page["right_mm"])
    margin = int(Mm(spec.cell_margin).twips)
    widths = column_widths(grid, int(text_width.twips), spec.table.size, margin)
    _set_cell_margins(table, margin)
    for i, width in enumerate(widths):
        table.columns[i].width = Twips(width)
    # the cell elements by grid position, taken before merging: Table.cell() rescans the whole table
    tcs = [list(tr.tc_lst) for tr in table._tbl.tr_lst]
    for row_tcs in tcs:
        for tc, width in zip(row_tcs, widths, strict=True):
            tc.width = Twips(width)
    headers = header_row_count(part, grid)
    short_table = len(grid.rows) <= 20  # fits on a page: kept whole
    for r in range(len(grid.rows)):
        _mark_row(table, r, r < headers)
    for cell, r, c in placed_cells(grid):
        tc = tcs[r][c]
        if cell.rowspan > 1 or cell.colspan > 1:
            tc = tc.merge(tcs[r + cell.rowspan - 1][c + cell.colspan - 1])
        target = _Cell(tc, table)
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph._p.style = text_style  # by id: assigning a style object looks it up among all styles
        fmt = paragraph.paragraph_format
        # a short table stays whole; a caption or header row stays with the row below it
        heading_row = all(other.role not in ("value", "label") for other in grid.rows[r])
        fmt.keep_with_next = (short_table or heading_row) and r + cell.rowspan < len(grid.rows)
        if cell.role == "value":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif cell.role == "label":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if cell.text:
            paragraph.add_run(strip_controls(cell.text, keep_newlines=False))
    # a little space between the table and what follows
    after = doc.add_paragraph()
    _exact_spacing(after, spec.body_line / 2)


# --- page numbers ------------------------------------------------------------------------------


def _field(paragraph: Paragraph, instruction: str, shown: str, font: FontSpec) -> None:
    """A field (PAGE) as Word writes it: begin, instruction, separate, the result, end."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", shown), ("end", None)):
        run = paragraph.add_run()
        set_fonts(run._r.get_or_add_rPr(), font)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)


def _page_number(paragraph: Paragraph, odd: bool) -> None:
    spec = layout()
    font = spec.page_number
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(0)
    # one character in from the edge of the text block
    if odd:
        fmt.right_indent = Pt(font.size)
    else:
        fmt.left_indent = Pt(font.size)
    _add_run(paragraph, spec.number_before, font)
    _field(paragraph, "PAGE", "1", font)
    _add_run(paragraph, spec.number_after, font)


# --- the document ------------------------------------------------------------------------------


def _prepare(doc: DocumentObject, report: Report) -> None:
    spec = layout()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Mm(spec.page["width_mm"])
    section.page_height = Mm(spec.page["height_mm"])
    section.top_margin = Mm(spec.page["top_mm"])
    section.bottom_margin = Mm(spec.page["bottom_mm"])
    section.left_margin = Mm(spec.page["left_mm"])
    section.right_margin = Mm(spec.page["right_mm"])
    section.footer_distance = Mm(spec.page["footer_mm"])
    section.header_distance = Mm(15)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:  # the line pitch of the text; no snapping, which would space table lines as body lines
        grid.set(qn("w:linePitch"), str(round(spec.body_line * 20)))
    doc.settings.odd_and_even_pages_header_footer = True

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    set_fonts(rpr, spec.body)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(round(spec.body_line * 20)))
    spacing.set(qn("w:lineRule"), "exact")

    for name, font in (("Title", spec.title), ("Heading 1", spec.heading)):
        style = doc.styles[name]
        set_fonts(style.element.get_or_add_rPr(), font, bold=False)
        style.font.color.rgb = None
        ppr = style.element.get_or_add_pPr()
        for tag in ("w:pBdr", "w:spacing", "w:contextualSpacing"):
            el = ppr.find(qn(tag))
            if el is not None:
                ppr.remove(el)
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:color", "w:spacing", "w:kern"):
            el = rpr.find(qn(tag))
            if el is not None:
                rpr.remove(el)
    table_style = doc.styles["Table Grid"]
    set_fonts(table_style.element.get_or_add_rPr(), spec.table)
    text = doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = doc.styles["Normal"]
    set_fonts(text.element.get_or_add_rPr(), spec.table)
    fmt = text.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(0)

    props = doc.core_properties
    props.title = strip_controls(report.title, keep_newlines=False)
    props.author = strip_controls(report.org, keep_newlines=False)
    props.language = "zh-CN"
    props.comments = "govreport-tui"

    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _finish(docx: bytes, when: datetime) -> bytes:
    """The saved package with the fonts' fallbacks in its font table, no template thumbnail, zip times `when`."""
    spec = layout()
    fonts = [spec.body, spec.title, spec.heading, spec.subheading, spec.table, spec.page_number]
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == _THUMBNAIL:
                continue
            data = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                data = data.replace(b"</w:fonts>", _font_table_entries(fonts) + b"</w:fonts>")
            elif info.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*Target=\"docProps/thumbnail.jpeg\"/>", b"", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=stamp), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def build_docx(report: Report, when: datetime | None = None) -> bytes:
    """The report as a .docx file: title, preamble, the six parts with their tables, page numbers.

    `when` is the time the file says it was made (now, unless given): the same draft and time
    give the same bytes.
    """
    when = (when or datetime.now(UTC)).replace(microsecond=0)
    doc = Document()
    doc.core_properties.created = doc.core_properties.modified = when
    _prepare(doc, report)
    _add_title(doc, report)
    for text in paragraphs(report.text(PREAMBLE)):
        _add_body_paragraph(doc, text)
    for part in report.format.parts:
        _add_heading(doc, part.heading)
        for text in paragraphs(report.text(part.id)):
            _add_body_paragraph(doc, text)
        if part.table is not None:
            _add_table(doc, part, report)
    out = io.BytesIO()
    doc.save(out)
    return _finish(out.getvalue(), when)
