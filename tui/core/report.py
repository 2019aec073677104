"""The draft in memory: which format, the organisation and year, the texts and every cell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from string import Template

from .formats import CellRef, Format
from .review import Review
from .rules import Rule
from .sum_record import SumRecord
from .tables import PREAMBLE as PREAMBLE
from .values import CellValue, strip_controls

FIRST_YEAR, LAST_YEAR = 1990, 2200
"""The years a report can be about (anything else is a typo or a damaged file)."""


def parse_year(text: str) -> int | None:
    """A report year typed or given as text: four digits within the plausible range; else None."""
    text = text.strip()
    if len(text) != 4 or not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        return None
    return int(text)


@dataclass
class Report:
    """A report being written. `None` in `cells` is a blank cell, never a zero."""

    format: Format
    org: str
    year: int
    texts: dict[str, str] = field(default_factory=dict)
    cells: dict[CellRef, CellValue] = field(default_factory=dict)
    derived_from: str = ""  # the draft this one was started from, if any
    position: dict[str, str] = field(default_factory=dict)  # where the clerk left off
    previous: Report | None = field(default=None, compare=False, repr=False)  # last year's, when known
    missing_cells: int = field(default=0, compare=False)  # cells the file did not list (cut off?)
    rule_files: list[str] = field(default_factory=list)  # extra rule files the draft names (`rules`)
    extra_rules: tuple[Rule, ...] = field(default=(), compare=False, repr=False)  # their rules, when loaded
    rule_file_problems: list[str] = field(default_factory=list, compare=False)  # why some could not be used
    previous_problem: str = field(default="", compare=False)  # why last year's draft could not be read
    kind: str = ""  # what kind of body it reports for (`tui.core.deadlines.BodyKind` id), if stated
    deadline: dt.date | None = None  # its own deadline, if stated (else its folder's or the default)
    published: dt.date | None = None  # when it was published, once it was
    review: Review = field(default_factory=Review)  # the review status and its history (`[review]`)
    summed: SumRecord | None = None  # a summed report: its sources (`[summed]`)
    to_confirm: set[CellRef] = field(default_factory=set)  # stocks carried from last year, not yet confirmed

    @classmethod
    def new(cls, fmt: Format, org: str, year: int) -> Report:
        report = cls(fmt, org, year)
        report.texts = dict.fromkeys(text_ids(fmt), "")
        report.cells = dict.fromkeys(fmt.cell_refs())
        return report

    @property
    def title(self) -> str:
        """The official title, e.g. 同江市退役军人事务局2020年政府信息公开工作年度报告."""
        return Template(self.format.title).safe_substitute(org=self.org, year=self.year)

    def value(self, ref: CellRef) -> CellValue:
        return self.cells.get(ref)

    def set_cell(self, ref: CellRef, value: CellValue) -> None:
        if ref not in self.format.cell_index:
            raise KeyError(ref)
        self.cells[ref] = value

    def text(self, text_id: str) -> str:
        return self.texts.get(text_id, "")

    def set_text(self, text_id: str, text: str) -> None:
        if text_id not in self.texts and text_id not in text_ids(self.format):
            raise KeyError(text_id)
        self.texts[text_id] = strip_controls(text)


def text_ids(fmt: Format) -> list[str]:
    """The free-text fields of a report in order: the preamble, then one per part."""
    return fmt.text_ids()
