"""The shapes a clerk gets a published report in, generated from a draft (blank cells stay blank).

Each function gives the text (or bytes) of the whole report as that shape would: title,
preamble, the six parts, and the tables written the way that program writes them.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from tui.core.formats import Part
from tui.core.printed_table import Grid, GridCell, build_grid
from tui.core.render import render
from tui.core.report import PREAMBLE, Report
from tui.core.values import Invalid

BLANK = "BLANKCELL"  # stands for a blank cell in an export, replaced after rendering


def cell_text(cell: GridCell, report: Report) -> str:
    """What the cell shows: its text, and nothing for a blank value."""
    if cell.ref is not None and report.value(cell.ref) is None:
        return ""
    return cell.text


def placed(grid: Grid) -> list[tuple[GridCell, int, int]]:
    """Each cell with its top row and left column (row spans resolved as HTML does)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((cell, r, c))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out


def _document(report: Report, table: Callable[[Part], list[str]], *, title: list[str] | None = None) -> list[str]:
    out = title if title is not None else [report.title]
    out.append("")
    out += [p for p in report.text(PREAMBLE).splitlines() if p]
    for part in report.format.parts:
        out.append(part.heading)
        out += [p for p in report.text(part.id).splitlines() if p]
        if part.table is not None:
            out += table(part)
            out.append("")
    return out


def browser_rows(report: Report, part: Part) -> list[list[str]]:
    """The cells that start in each row (a merged cell once), as a browser copies a table."""
    return [[cell_text(c, report) for c in row] for row in build_grid(part, report).rows]


def padded_rows(report: Report, part: Part) -> list[list[str]]:
    """Every grid position, merged cells padded with empty cells, as Excel and WPS copy a table."""
    grid = build_grid(part, report)
    rows = [[""] * grid.width for _ in grid.rows]
    for cell, r, c in placed(grid):
        rows[r][c] = cell_text(cell, report)
    return rows


def word_rows(report: Report, part: Part, placeholders: bool) -> list[list[str]]:
    """Word's cells of each row; a cell merged down from above gives an empty placeholder."""
    grid = build_grid(part, report)
    where = placed(grid)
    rows: list[list[str]] = []
    for r in range(len(grid.rows)):
        cells = []
        for cell, top, left in sorted(where, key=lambda p: p[2]):
            if top == r:
                cells.append((left, cell_text(cell, report)))
            elif placeholders and top < r < top + cell.rowspan:
                cells.append((left, ""))
        rows.append([text for _left, text in sorted(cells)])
    return rows


def browser_copy(report: Report) -> str:
    return "\n".join(_document(report, lambda p: ["\t".join(r) for r in browser_rows(report, p)])) + "\n"


def excel_copy(report: Report) -> str:
    """Paragraphs, and tables pasted from Excel/WPS: padded grid, tabs (CRLF applied by the caller)."""
    return "\n".join(_document(report, lambda p: ["\t".join(r) for r in padded_rows(report, p)])) + "\n"


def excel_file(report: Report, encoding: str) -> bytes:
    """An Excel/WPS “文本文件(制表符分隔)” or “Unicode 文本”: CRLF line ends, GBK or UTF-16 with BOM."""
    text = excel_copy(report).replace("\n", "\r\n")
    if encoding == "utf-16":
        return "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    return text.encode(encoding)


def word_copy(report: Report, placeholders: bool = True) -> str:
    """Word's text: one cell per line after a tab, a blank line after each row."""

    def table(part: Part) -> list[str]:
        out = []
        for row in word_rows(report, part, placeholders):
            out += [f"\t{c}" for c in row] + [""]
        return out

    return "\n".join(_document(report, table)) + "\n"


def pipes(report: Report) -> str:
    return "\n".join(_document(report, lambda p: [" | ".join(r) for r in browser_rows(report, p)])) + "\n"


def cell_pipes(report: Report, row_breaks: bool = False) -> str:
    """A page saver's text: every cell on its own line followed by ` |` (rows not marked)."""

    def table(part: Part) -> list[str]:
        out = []
        for row in browser_rows(report, part):
            out += [f"{c} |" for c in row] + ([""] if row_breaks else [])
        return out

    return "\n".join(_document(report, table)) + "\n"


def _td(cell: GridCell, report: Report, spans: bool) -> str:
    text = cell_text(cell, report)
    attrs = ""
    if spans and cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if spans and cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    align = "right" if cell.role == "value" else "left"
    style = f' style="border:1px solid #000;padding:2px 6px;text-align:{align}"'
    body = html.escape(text) if text else "&nbsp;"
    return f'<td{attrs}{style}><p style="margin:0"><span>{body}</span></p></td>'


def html_table(report: Report, part: Part, spans: str) -> list[str]:
    """`spans`: "spans" (rowspan/colspan), "once" (merged cells once, no spans), "padded" (empty cells)."""
    out = ['<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">', "<tbody>"]
    if spans == "padded":
        for row in padded_rows(report, part):
            cells = "".join(f'<td style="border:1px solid #000">{html.escape(c) if c else "&nbsp;"}</td>' for c in row)
            out.append(f"<tr>{cells}</tr>")
    else:
        for row in build_grid(part, report).rows:
            out.append("<tr>" + "".join(_td(c, report, spans == "spans") for c in row) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _p(text: str) -> str:
    return f'<p style="text-indent:2em;font-size:16px">{html.escape(text)}</p>'


def html_body(report: Report, spans: str = "spans") -> list[str]:
    out = [f'<h1 style="text-align:center">{html.escape(report.title)}</h1>']
    out += [_p(p) for p in report.text(PREAMBLE).splitlines() if p]
    for part in report.format.parts:
        out.append(f"<p><strong>{html.escape(part.heading)}</strong></p>")
        out += [_p(p) for p in report.text(part.id).splitlines() if p]
        if part.table is not None:
            out += html_table(report, part, spans)
    return out


def html_page(report: Report, spans: str = "spans") -> str:
    body = "\n".join(html_body(report, spans))
    head = f'<head><meta charset="utf-8"><title>{report.title}</title></head>'
    return f"<!DOCTYPE html>\n<html>{head}\n<body>\n{body}\n</body></html>\n"


def portal_page(report: Report) -> str:
    """A saved government portal page: navigation, breadcrumbs, metadata, the report, the footer."""
    body = "\n".join(html_body(report))
    org = html.escape(report.org)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{html.escape(report.title)}_{org}</title>
<script>var _hmt = _hmt || []; document.write("统计 1 2 3");</script>
<style>.nav li {{ float: left; }}</style></head>
<body>
<div class="top-bar"><a href="#">无障碍</a> <a href="#">长者模式</a> <a href="#">English</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li>政务公开</li><li>互动交流</li><li>政务服务</li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt;
<a href="#">政府信息公开</a> &gt; <a href="#">年度报告</a></div>
<table class="xxgk-meta" width="100%">
<tr><td>索引号：</td><td>11320800014157284J/2025-00012</td><td>分类：</td><td>政府信息公开年度报告</td></tr>
<tr><td>发布机构：</td><td>{org}</td><td>发布日期：</td><td>2025-01-20</td></tr>
<tr><td>文号：</td><td></td><td>有效性：</td><td>有效</td></tr>
</table>
<div class="article">
{body}
</div>
<div class="article-tools">【<a href="javascript:window.print()">打印本页</a>】<!--
-->【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div>相关链接：<a href="#">{org}2019年政府信息公开工作年度报告</a></div>
<div class="foot"><p>版权所有：{org}　主办单位：{org}办公室</p>
<p>网站标识码：3208000001　苏ICP备05000000号　苏公网安备 32080002000001号</p></div>
</body></html>
"""


def export(report: Report, kind: str) -> str:
    """This program's own export (md, txt, html), blank cells left blank."""
    copy = Report(report.format, report.org, report.year, dict(report.texts), dict(report.cells))
    for ref, value in copy.cells.items():
        if value is None:
            copy.cells[ref] = Invalid(BLANK, "")
    text = render(copy, kind)
    if kind == "html":
        return text.replace(BLANK, "&nbsp;")
    if kind == "txt":
        return text.replace(BLANK, " " * len(BLANK))
    return text.replace(BLANK, " ")


TEXT_SHAPES: dict[str, Callable[[Report], str]] = {
    "browser-tabs": browser_copy,
    "excel-tabs": excel_copy,
    "excel-crlf": lambda r: excel_copy(r).replace("\n", "\r\n"),
    "word-placeholders": lambda r: word_copy(r, True),
    "word-no-placeholders": lambda r: word_copy(r, False),
    "pipes": pipes,
    "cell-pipes": cell_pipes,
    "cell-pipes-rows": lambda r: cell_pipes(r, True),
    "html-spans": lambda r: html_page(r, "spans"),
    "html-once": lambda r: html_page(r, "once"),
    "html-padded": lambda r: html_page(r, "padded"),
    "portal": portal_page,
    "export-md": lambda r: export(r, "md"),
    "export-txt": lambda r: export(r, "txt"),
    "export-html": lambda r: export(r, "html"),
}
"""Every generated shape, by name."""

EXACT_SHAPES = set(TEXT_SHAPES) - {"cell-pipes", "html-once"}
"""Shapes in which every cell, blank or not, is there to count: everything must be placed."""


def _data_rows_only(report: Report, part: Part, rows: list[list[str]]) -> list[list[str]]:
    """Drop caption and header rows: what a clerk copies when selecting only the figures."""
    grid = build_grid(part, report)
    keep = [k for k, row in enumerate(grid.rows) if any(c.role in ("value", "label") for c in row)]
    return [rows[k] for k in keep]


def excel_without_header(report: Report) -> str:
    return "\n".join(
        _document(report, lambda p: ["\t".join(r) for r in _data_rows_only(report, p, padded_rows(report, p))])
    )


def trimmed(text: str) -> str:
    """Trailing tabs cut off every line (some editors, and Excel's text export past row 16)."""
    return "\n".join(line.rstrip("\t") for line in text.split("\n"))


def word_stream(report: Report) -> str:
    """Word text without the blank line between rows: the cells just follow each other."""
    return "\n".join(line for line in word_copy(report, True).split("\n") if line != "") + "\n"


def bare_cells(report: Report) -> str:
    """One cell per line with nothing to mark it (text taken from a PDF): blank cells vanish."""

    def table(part: Part) -> list[str]:
        return [c for row in browser_rows(report, part) for c in row if c]

    return "\n".join(_document(report, table)) + "\n"


def spaced(report: Report) -> str:
    """A label and its numbers separated by spaces (text taken from a PDF): blank cells vanish."""

    def table(part: Part) -> list[str]:
        return [" ".join(c for c in row if c) for row in browser_rows(report, part)]

    return "\n".join(_document(report, table)) + "\n"


LOSSY_SHAPES: dict[str, Callable[[Report], str]] = {
    "excel-no-header": excel_without_header,
    "excel-trimmed": lambda r: trimmed(excel_copy(r)),
    "excel-no-header-trimmed": lambda r: trimmed(excel_without_header(r)),
    "browser-trimmed": lambda r: trimmed(browser_copy(r)),
    "word-stream": word_stream,
    "bare-cells": bare_cells,
    "spaced": spaced,
}
"""Shapes that lose where blank cells were (or the header): blanks may make rows listed, never wrong."""
