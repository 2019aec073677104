"""Files a draft names beside itself: last year's draft (`derived_from`) for the year-over-year
checks, and rule packs (`rules`) with extra checks. What cannot be read is recorded on the
report, and the checks say so."""

from __future__ import annotations

from pathlib import Path

from .report import Report
from .rule_packs import RulePackError, load_pack, resolve_pack
from .rules import Rule
from .store import DraftError, load_report


def load_previous(report: Report, draft: Path) -> None:
    """Attach last year's report when the draft names it; remember why if it cannot be read."""
    report.previous = None
    report.previous_problem = ""
    if not report.derived_from:
        return
    path = Path(report.derived_from)
    if not path.is_absolute():
        path = draft.parent / path
    try:
        report.previous = load_report(path)
    except DraftError as exc:
        report.previous_problem = str(exc)


def load_rule_files(report: Report, draft: Path | None) -> None:
    """Attach the rules of the packs the draft names; remember those that cannot be used."""
    rules: list[Rule] = []
    problems = []
    for name in report.rule_files:
        try:
            rules.extend(load_pack(resolve_pack(name, draft.parent if draft else Path.cwd()), report.format))
        except RulePackError as exc:
            problems.append(str(exc))
    report.extra_rules = tuple(rules)
    report.rule_file_problems = problems


def load_linked_files(report: Report, draft: Path) -> None:
    """Everything a draft read from `draft` refers to: last year's draft and rule packs."""
    load_previous(report, draft)
    load_rule_files(report, draft)
