"""Exports: a report rendered through the Jinja2 templates (Markdown, plain text, HTML), or as a .docx."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .printed_table import FlatTable, Grid, build_grid, flat_tables
from .report import PREAMBLE, Report
from .resources import resource_files
from .text_list import ListLine, list_lines, render_list
from .text_table import render_grid
from .values import strip_controls


@dataclass(frozen=True)
class ExportKind:
    """One kind of export: its id, the name the clerk sees, its file suffix, its template (None: .docx)."""

    id: str
    label: str
    suffix: str
    template: str | None


EXPORTS = {
    kind.id: kind
    for kind in (
        ExportKind("md", "Markdown", ".md", "report.md.j2"),
        ExportKind("txt", "纯文本", ".txt", "report.txt.j2"),
        ExportKind("html", "HTML 网页", ".html", "report.html.j2"),
        ExportKind("html-fragment", "HTML 片段", ".fragment.html", "report-fragment.html.j2"),
        ExportKind("docx", "Word 文档", ".docx", None),
    )
}
"""Every export, by id (the `--to` of `govreport-tui export`)."""

TEXT_EXPORTS = [kind.id for kind in EXPORTS.values() if kind.template is not None]
"""The exports that are text (shown in the preview, copied as they are)."""

TABLE_LAYOUTS = {"grid": "网格", "list": "列表"}
"""How the plain-text export draws tables: an ASCII grid (proofreading), or one line per row."""

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^([#>+=-]|\d+[.)])")


def _md_inline(text: str) -> str:
    return _MD_INLINE.sub(r"\\\1", text)


def md_escape(text: str) -> str:
    """Escape text so CommonMark/GFM shows it literally, one line per paragraph line."""
    out = []
    for line in strip_controls(text).splitlines():
        line = _md_inline(line.strip(" \t"))
        m = _MD_LINE_START.match(line)
        if m:
            token = m.group(1)
            line = token[:-1] + "\\" + token[-1] + line[len(token) :]
        out.append(line)
    return "\n".join(out)


def md_cell(text: str) -> str:
    """Escape text for one cell of a GFM table (no line breaks inside a cell)."""
    return _md_inline(" ".join(strip_controls(text).split()).strip()) or " "


def clean(text: str) -> str:
    """User text for plain output: control characters and escape sequences removed."""
    return strip_controls(text)


def html_cell(text: str) -> Markup:
    """A table cell's text for HTML: escaped, and `&nbsp;` for a blank cell so it keeps its borders."""
    return escape(text) if text else Markup("&nbsp;")


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a text, each a paragraph of the report."""
    return [line.strip() for line in strip_controls(text).splitlines() if line.strip()]


@dataclass(frozen=True)
class PartView:
    """What a template needs of one part: heading, paragraphs, the table in three layouts."""

    heading: str
    paragraphs: list[str]
    grid: Grid | None
    flat: list[FlatTable]
    listing: list[ListLine]


def template_source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """A template's text (`name` relative to `templates/`), read through importlib.resources, for a
    Jinja2 `FunctionLoader` (inside the .pyz a template is not a file)."""
    template = resource_files("templates").joinpath(*name.split("/"))
    if not template.is_file():
        return None
    return template.read_text(encoding="utf-8"), str(template), lambda: True


@cache
def environment() -> Environment:
    env = Environment(
        loader=FunctionLoader(template_source),
        autoescape=select_autoescape(["html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_escape, md_cell=md_cell, clean=clean, html_cell=html_cell, text_table=render_grid, text_list=render_list
    )
    return env


def context(report: Report, tables: str = "grid") -> dict[str, object]:
    parts = []
    for part in report.format.parts:
        parts.append(
            PartView(
                heading=part.heading,
                paragraphs=paragraphs(report.text(part.id)),
                grid=build_grid(part, report) if part.table else None,
                flat=flat_tables(part, report) if part.table else [],
                listing=list_lines(part, report) if part.table else [],
            )
        )
    return {
        "title": clean(report.title).replace("\n", ""),
        "preamble": paragraphs(report.text(PREAMBLE)),
        "parts": parts,
        "format": report.format,
        "tables": tables,
    }


def render(report: Report, kind: str, tables: str = "grid") -> str:
    """The report as text: `md`, `txt` (tables as a `grid` or a `list`), `html` or `html-fragment`."""
    template = EXPORTS[kind].template
    if template is None:
        raise ValueError(f"{kind} is not a text export")
    if tables not in TABLE_LAYOUTS:
        raise ValueError(f"unknown table layout {tables!r}")
    return environment().get_template(template).render(context(report, tables))


def export_bytes(report: Report, kind: str, tables: str = "grid") -> bytes:
    """The file of an export, as written to disk: UTF-8 text, or a Word document."""
    if kind == "docx":
        from .docx_export import build_docx  # python-docx is only needed here

        return build_docx(report)
    return render(report, kind, tables).encode("utf-8")


def export_suffix(kind: str, tables: str = "grid") -> str:
    """The file name suffix of an export: `.list.txt` for text with tables as lists."""
    if kind == "txt" and tables == "list":
        return ".list.txt"
    return EXPORTS[kind].suffix
