"""What an import gives back: the draft, what could not be placed, and whether it failed."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..report import Report


class NotAReport(Exception):
    """The file cannot be imported (unreadable, not text, not a report); the message says why."""


FACT_NAMES = {"org": "机关名称", "year": "报告年度"}


class MissingFacts(NotAReport):
    """The text gives no organisation or no year, and none was given by the clerk."""

    def __init__(self, missing: tuple[str, ...], title: str = "") -> None:
        self.missing = missing  # "org", "year"
        names = "和".join(FACT_NAMES[m] for m in missing)
        where = f"标题“{title}”和正文中" if title else "报告的标题和正文中"
        super().__init__(f"{where}找不到{names}")


SEVERITIES = ("error", "warning", "info")
NOTE_LABELS = {"error": "未导入", "warning": "注意", "info": "说明"}


@dataclass(frozen=True)
class Note:
    """Something the clerk should know about the import, with the line of the source it is about."""

    line: int
    message: str
    severity: str = "warning"  # "error": numbers that could not be placed

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}" if self.line else self.message

    @property
    def label(self) -> str:
        return NOTE_LABELS[self.severity]


@dataclass(frozen=True)
class Unplaced:
    """A number of a table that was not put in any cell, because its column is not certain."""

    line: int
    text: str
    part: str  # the part's heading
    row: str = ""  # the row's label, when the row was recognised


@dataclass
class ImportResult:
    """The draft made from a published report, and everything the clerk must know about it."""

    report: Report
    shape: str
    notes: list[Note] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    placed: int = 0  # cells that got a number from the text
    tables_seen: int = 0  # table cells (numbers and labels) found in the text
    failure: str = ""  # why the import failed (nothing placed); empty when it did not

    @property
    def failed(self) -> bool:
        return bool(self.failure)

    @property
    def complete(self) -> bool:
        """Every number of the tables is in its cell, and at least one was found."""
        return not self.failed and not self.unplaced

    @property
    def cell_count(self) -> int:
        return len(self.report.cells)
