"""Word (.docx) export: the report laid out as an official document (GB/T 9704), tables merged as printed.

This module decides what the document holds (paragraphs with their fonts, tables with their
merges and widths, the page); the XML of each part is a template in `templates/docx/`, and
`docx_package` renders and zips them with the standard library and Jinja2.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from rich.cells import cell_len

from .docx_package import render_part, static_part, twips_from_mm, twips_from_pt, zip_package
from .formats import Part
from .printed_table import Grid, GridCell, build_grid, placed_cells
from .render import paragraphs
from .report import PREAMBLE, Report
from .resources import resource_files
from .values import strip_controls

SUBHEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）[^。：]{1,30}[。：]?")
"""A second-level heading at the start of a paragraph: （一）主动公开情况。"""

SHORT_TABLE_ROWS = 20
"""A table of at most this many rows fits on a page: it is kept whole."""


@dataclass(frozen=True)
class FontSpec:
    """A font as the layout names it: the East Asian name, its fallback, the size."""

    name: str
    fallback: str
    size: float
    latin: str = "Times New Roman"

    @property
    def half_points(self) -> int:
        """The size as Word writes it (`w:sz`)."""
        return round(self.size * 2)


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

    @property
    def fonts(self) -> list[FontSpec]:
        """Every font the layout names, in the order the font table lists them."""
        return [self.body, self.title, self.heading, self.subheading, self.table, self.page_number]


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


@dataclass(frozen=True)
class Measures:
    """The layout in the units of the XML (twips) that the templates print."""

    page_width: int
    page_height: int
    top: int
    bottom: int
    left: int
    right: int
    header: int
    footer: int
    text_width: int
    body_line: int
    title_line: int
    gap_line: int
    body_indent: int
    heading_indent: int
    number_indent: int
    cell_margin: int
    cell_margin_vertical: int


def _two_chars(font: FontSpec) -> int:
    """A first-line indent of two characters in twips (beside firstLineChars="200" for Word and WPS)."""
    return round(font.size * 2 * 20)


@cache
def measures() -> Measures:
    """The page, line spacing, indents and cell margins of `layout()` in twips."""
    spec = layout()
    page = spec.page
    margin = twips_from_mm(spec.cell_margin)
    return Measures(
        page_width=twips_from_mm(page["width_mm"]),
        page_height=twips_from_mm(page["height_mm"]),
        top=twips_from_mm(page["top_mm"]),
        bottom=twips_from_mm(page["bottom_mm"]),
        left=twips_from_mm(page["left_mm"]),
        right=twips_from_mm(page["right_mm"]),
        header=twips_from_mm(page["header_mm"]),
        footer=twips_from_mm(page["footer_mm"]),
        text_width=twips_from_mm(page["width_mm"] - page["left_mm"] - page["right_mm"]),
        body_line=twips_from_pt(spec.body_line),
        title_line=twips_from_pt(spec.title_line),
        gap_line=twips_from_pt(spec.body_line / 2),  # a little space between a table and what follows
        body_indent=_two_chars(spec.body),
        heading_indent=_two_chars(spec.heading),
        number_indent=twips_from_pt(spec.page_number.size),  # one character in from the edge of the text
        cell_margin=margin,
        cell_margin_vertical=margin // 2,
    )


# --- what the templates print ------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """Text in one font (None: the paragraph style's), with a line break after it or not."""

    text: str
    font: FontSpec | None = None
    break_after: bool = False

    @property
    def pieces(self) -> list[str]:
        """The text between tabs: Word holds a tab as an element of its own (`w:tab`)."""
        return self.text.split("\t")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body: `title`, `heading`, `body`, or `gap` (the space below a table)."""

    kind: str
    runs: tuple[Run, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One `w:tc`: a placed cell (aligned, with its text), or under a vertical merge, or left empty."""

    width: int
    span: int = 1
    merge: str | None = None  # "restart" (the top of a vertical merge), "continue" (below it)
    placed: bool = False
    text: str = ""
    align: str = "center"
    keep_next: bool = False


@dataclass(frozen=True)
class Row:
    """One `w:tr`; a header row is repeated at the top of each page."""

    cells: tuple[Cell, ...]
    header: bool


@dataclass(frozen=True)
class Table:
    """One `w:tbl`: the column widths (twips) and the rows."""

    widths: tuple[int, ...]
    rows: tuple[Row, ...]
    kind: str = "table"


@dataclass(frozen=True)
class FontEntry:
    """A font of the font table, with the font Word and WPS use when it is not installed."""

    name: str
    fallback: str
    charset: str
    family: str


# --- paragraphs --------------------------------------------------------------------------------


def _body_paragraph(text: str) -> Paragraph:
    spec = layout()
    runs = []
    m = SUBHEADING.match(text)
    if m:
        runs.append(Run(m.group(0), spec.subheading))
        text = text[m.end() :]
    if text:
        runs.append(Run(text, spec.body))
    return Paragraph("body", tuple(runs))


def _title(report: Report) -> Paragraph:
    spec = layout()
    title = strip_controls(report.title, keep_newlines=False)
    org = strip_controls(report.org, keep_newlines=False)
    line_chars = (spec.page["width_mm"] - spec.page["left_mm"] - spec.page["right_mm"]) / (spec.title.size * 0.3528)
    if org and title.startswith(org) and cell_len(title) / 2 > line_chars:
        # too long for one line: the organisation on the first, the rest of the title below
        return Paragraph("title", (Run(org, spec.title, break_after=True), Run(title[len(org) :], spec.title)))
    return Paragraph("title", (Run(title, spec.title),))


def _heading(text: str) -> Paragraph:
    return Paragraph("heading", (Run(text, layout().heading),))


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


_ALIGN = {"value": "right", "label": "left"}
"""How a cell's text is aligned by its role; captions, headers and corners are centred."""


def _table(part: Part, report: Report) -> Table:
    """A part's table as printed: merged cells, widths that keep numbers whole, rows kept together."""
    spec, m = layout(), measures()
    grid = build_grid(part, report)
    widths = column_widths(grid, m.text_width, spec.table.size, m.cell_margin)
    height = len(grid.rows)
    short_table = height <= SHORT_TABLE_ROWS  # fits on a page: kept whole
    slots: list[list[Cell | None]] = [[None] * grid.width for _ in range(height)]
    covered: set[tuple[int, int]] = set()
    for cell, r, c in placed_cells(grid):
        width = sum(widths[c : c + cell.colspan])
        # a short table stays whole; a caption or header row stays with the row below it
        heading_row = all(other.role not in ("value", "label") for other in grid.rows[r])
        slots[r][c] = Cell(
            width,
            cell.colspan,
            "restart" if cell.rowspan > 1 else None,
            placed=True,
            text=strip_controls(cell.text, keep_newlines=False),
            align=_ALIGN.get(cell.role, "center"),
            keep_next=(short_table or heading_row) and r + cell.rowspan < height,
        )
        for below in range(r + 1, r + cell.rowspan):
            slots[below][c] = Cell(width, cell.colspan, "continue")
        covered.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
    for r, row in enumerate(slots):
        for c in range(grid.width):
            if (r, c) not in covered:
                row[c] = Cell(widths[c])  # a hole in the grid: an empty cell keeps the table rectangular
    headers = header_row_count(part, grid)
    rows = tuple(
        Row(tuple(cell for cell in row if cell is not None), header=r < headers) for r, row in enumerate(slots)
    )
    return Table(tuple(widths), rows)


# --- the parts ---------------------------------------------------------------------------------


def body(report: Report) -> list[Paragraph | Table]:
    """The body in order: title, preamble, and each part's heading, paragraphs and table."""
    blocks: list[Paragraph | Table] = [_title(report)]
    blocks += [_body_paragraph(text) for text in paragraphs(report.text(PREAMBLE))]
    for part in report.format.parts:
        blocks.append(_heading(part.heading))
        blocks += [_body_paragraph(text) for text in paragraphs(report.text(part.id))]
        if part.table is not None:
            blocks += [_table(part, report), Paragraph("gap")]
    return blocks


def font_table() -> list[FontEntry]:
    """Every font the document names, once, each East Asian one with its fallback (altName)."""
    entries: dict[str, FontEntry] = {}
    for font in layout().fonts:
        family = "modern" if font.name in ("黑体", "SimHei") else "roman"
        entries.setdefault(font.name, FontEntry(font.name, font.fallback, "86", family))
    for font in layout().fonts:
        entries.setdefault(font.latin, FontEntry(font.latin, "", "00", "roman"))
    return list(entries.values())


def _footer(side: str) -> bytes:
    spec = layout()
    font = spec.page_number
    return render_part(
        "word/footer.xml.j2",
        side=side,
        indent=measures().number_indent,
        font=font,
        before=Run(spec.number_before, font),
        after=Run(spec.number_after, font),
    )


def _w3cdtf(when: datetime) -> str:
    """A time as the core properties write it: UTC, to the second."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_docx(report: Report, when: datetime | None = None) -> bytes:
    """The report as a .docx file: title, preamble, the six parts with their tables, page numbers.

    `when` is the time the file says it was made (now, unless given): the same draft and time
    give the same bytes.
    """
    when = (when or datetime.now(UTC)).replace(microsecond=0)
    spec = layout()
    parts = [
        ("[Content_Types].xml", static_part("[Content_Types].xml")),
        ("_rels/.rels", static_part("_rels/.rels")),
        (
            "docProps/core.xml",
            render_part(
                "docProps/core.xml.j2",
                title=strip_controls(report.title, keep_newlines=False),
                author=strip_controls(report.org, keep_newlines=False),
                when=_w3cdtf(when),
            ),
        ),
        ("docProps/app.xml", static_part("docProps/app.xml")),
        ("word/_rels/document.xml.rels", static_part("word/_rels/document.xml.rels")),
        ("word/document.xml", render_part("word/document.xml.j2", blocks=body(report), m=measures())),
        (
            "word/styles.xml",
            render_part(
                "word/styles.xml.j2",
                body=spec.body,
                title=spec.title,
                heading=spec.heading,
                table=spec.table,
                body_line=measures().body_line,
            ),
        ),
        ("word/settings.xml", static_part("word/settings.xml")),
        ("word/fontTable.xml", render_part("word/fontTable.xml.j2", fonts=font_table())),
        ("word/footer1.xml", _footer("right")),  # odd pages (the default footer): on the right
        ("word/footer2.xml", _footer("left")),  # even pages: on the left
    ]
    return zip_package(parts, when)
