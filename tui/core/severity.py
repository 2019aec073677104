"""How serious a finding is: one enum with its Chinese label, its order and a style name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Severity(StrEnum):
    """The severity of a rule or finding; the value is the id used in format files and JSON."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """The word the clerk reads: 错误, 警告, 提示."""
        return _FACTS[self][0]

    @property
    def order(self) -> int:
        """Sort key: errors first."""
        return _FACTS[self][1]

    @property
    def style(self) -> str:
        """A style name the app maps to a colour of its theme (`error`, `warning`, `accent`)."""
        return _FACTS[self][2]


_FACTS: dict[Severity, tuple[str, int, str]] = {
    Severity.ERROR: ("错误", 0, "error"),
    Severity.WARNING: ("警告", 1, "warning"),
    Severity.INFO: ("提示", 2, "accent"),
}


class HasSeverity(Protocol):
    """Anything with a severity (a finding)."""

    @property
    def severity(self) -> Severity: ...


@dataclass(frozen=True)
class SeveritySummary:
    """How many findings of each severity, and the sentence that says so."""

    counts: dict[Severity, int]

    @property
    def errors(self) -> int:
        return self.counts[Severity.ERROR]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def text(self, *, skip: Iterable[Severity] = ()) -> str:
        """E.g. `错误 1 个，警告 2 个`; empty when there is nothing (after `skip`) to count."""
        skipped = set(skip)
        return "，".join(f"{s.label} {n} 个" for s, n in self.counts.items() if n and s not in skipped)

    @property
    def sentence(self) -> str:
        """The summary line of a check: `共 错误 1 个，警告 2 个。` or `未发现问题。`."""
        return f"共 {self.text()}。" if self.total else "未发现问题。"


def severity_summary(findings: Iterable[HasSeverity]) -> SeveritySummary:
    """Count findings by severity (every severity present, in order) for the CLI and the app."""
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return SeveritySummary(counts)
