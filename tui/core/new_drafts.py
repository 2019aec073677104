"""Starting a draft: a blank report for a year, or next year's from last year's (one function per use case).

The command line (`new`, `new --from`) and the start screen call these; importing a published
report is `importer.import_report`.
"""

from __future__ import annotations

import os
from pathlib import Path
from string import Template

from .carryover import next_year
from .formats import Format, format_for_year
from .report import PREAMBLE, Report


class NoFormat(LookupError):
    """No known format applies to the year asked for."""


def format_for(year: int, explicit: Format | None = None) -> Format:
    """The format given, else the one the year calls for; `NoFormat` when there is none."""
    fmt = explicit or format_for_year(year)
    if fmt is None:
        raise NoFormat(f"没有适用于 {year} 年度的报告格式，请指定格式")
    return fmt


def blank_report(fmt: Format, org: str, year: int) -> Report:
    """A new, empty report; its opening paragraph is the format's standard one, with blanks to complete."""
    report = Report.new(fmt, org, year)
    if fmt.preamble:
        text = Template(fmt.preamble).safe_substitute(org=org, year=year, document=fmt.document)
        report.set_text(PREAMBLE, text)
    return report


def report_after(
    last: Report,
    last_path: Path,
    target: Path,
    *,
    year: int | None = None,
    org: str | None = None,
    fmt: Format | None = None,
) -> Report:
    """Next year's report started from last year's draft at `last_path`, to be saved at `target`.

    The year defaults to last year's plus one and the format to the one that year calls for;
    carried figures are filled, last year's texts are put in under a mark to revise, and the
    draft remembers where it came from (a path relative to its own folder).
    """
    year = year if year is not None else last.year + 1
    fmt = fmt or format_for_year(year) or last.format
    source = os.path.relpath(last_path.resolve(), target.resolve().parent)
    return next_year(last, year, org=org, fmt=fmt, source=source)
