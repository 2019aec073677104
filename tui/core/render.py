"""Exports: a report rendered through the Jinja2 templates as Markdown, plain text or HTML."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape

from .grid import FlatTable, Grid, build_grid, flat_tables
from .report import PREAMBLE, Report
from .resources import resource_files
from .textgrid import render_grid
from .values import strip_controls

EXPORTS = {
    "md": ("report.md.j2", "Markdown"),
    "txt": ("report.txt.j2", "纯文本"),
    "html": ("report.html.j2", "HTML"),
}
"""Export kind → (template, name shown to the user)."""

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


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a text, each a paragraph of the report."""
    return [line.strip() for line in strip_controls(text).splitlines() if line.strip()]


@dataclass(frozen=True)
class PartView:
    """What a template needs of one part: heading, paragraphs, the table in two layouts."""

    heading: str
    paragraphs: list[str]
    grid: Grid | None
    flat: list[FlatTable]


def _template_source(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """A template's text, read through importlib.resources (inside the .pyz it is not a file)."""
    template = resource_files("templates") / name
    if not template.is_file():
        return None
    return template.read_text(encoding="utf-8"), str(template), lambda: True


@cache
def environment() -> Environment:
    env = Environment(
        loader=FunctionLoader(_template_source),
        autoescape=select_autoescape(["html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_escape, md_cell=md_cell, clean=clean, text_table=render_grid)
    return env


def context(report: Report) -> dict[str, object]:
    parts = []
    for part in report.format.parts:
        parts.append(
            PartView(
                heading=part.heading,
                paragraphs=paragraphs(report.text(part.id)),
                grid=build_grid(part, report) if part.table else None,
                flat=flat_tables(part, report) if part.table else [],
            )
        )
    return {
        "title": clean(report.title).replace("\n", ""),
        "preamble": paragraphs(report.text(PREAMBLE)),
        "parts": parts,
        "format": report.format,
    }


def render(report: Report, kind: str) -> str:
    """The report as `md`, `txt` or `html` text."""
    template_name, _label = EXPORTS[kind]
    return environment().get_template(template_name).render(context(report))
