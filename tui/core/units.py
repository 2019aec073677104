"""The units of a review: every draft under a folder, read one at a time, and their review status.

`iter_units` walks the folders and yields each draft with its findings as soon as it is
checked, so that `check DIR` and the review screen use memory that does not grow with the
number of drafts. `set_unit_status` changes a draft's status under its lock;
`set_session_status` does it for a draft open in the wizard. The command line and the review
screen call these same functions.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .checks import Finding, check_report
from .deadlines import CONFIG_NAME, WARN_DAYS, ConfigFinder, deadline_findings, deadline_for, has_desk_facts
from .formats import Format
from .linked_files import load_linked_files
from .lock import DraftLock, lock_path
from .report import Report
from .review import ReviewEntry, ReviewStatus, change_status
from .session import DraftSession, locked_for_write
from .severity import Severity, severity_summary
from .store import DraftError, read_draft, report_from_data, save_report


def format_short(fmt: Format) -> str:
    """A format in four characters: 2021版, 2019试行."""
    return f"{fmt.first_year}试行" if "试行" in fmt.name else f"{fmt.first_year}版"


@dataclass(frozen=True)
class Unit:
    """One draft of a review folder, as the list shows it. `problem` is set when it cannot be read."""

    path: Path
    name: str  # the path as shown: relative to the folder listed
    org: str = ""
    year: int = 0
    format_id: str = ""
    format_short: str = ""
    status: ReviewStatus = ReviewStatus.DRAFT
    last_change: ReviewEntry | None = None
    last_comment: str = ""
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    mtime: float = 0.0
    deadline: dt.date | None = None
    days_left: int | None = None
    kind_label: str = ""
    locked_by: str = ""  # who has it open, if anyone
    problem: str = ""
    warn_days: int = 10  # days before the deadline from which it is warned about

    @property
    def readable(self) -> bool:
        return not self.problem

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0 and self.status is not ReviewStatus.APPROVED

    @property
    def due_soon(self) -> bool:
        """Not approved, and the deadline is within the warning days (not passed)."""
        return (
            self.days_left is not None
            and 0 <= self.days_left <= self.warn_days
            and self.status is not ReviewStatus.APPROVED
        )

    @property
    def saved(self) -> str:
        return dt.datetime.fromtimestamp(self.mtime).strftime("%Y-%m-%d %H:%M") if self.mtime else ""


@dataclass
class UnitCheck:
    """A unit with what was read and found: the report (None if unreadable) and every finding."""

    unit: Unit
    report: Report | None
    findings: list[Finding]


def draft_paths(root: Path, exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Every draft under a folder, recursively, in name order, one folder at a time.

    Hidden files and folders, backups, lock files and `govreport.toml` are left out, and so are
    the paths in `exclude` (a summed draft written into the folder it sums).
    """
    skip = {p.resolve() for p in exclude}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(".toml") or name == CONFIG_NAME:
                continue
            path = Path(folder) / name
            if not skip or path.resolve() not in skip:
                yield path


def locked_by(path: Path) -> str:
    """Who has a draft open, without taking its lock (and without creating a lock file)."""
    if not os.path.lexists(lock_path(path)):
        return ""
    holder = DraftLock(path).holder()
    return holder.describe() if holder is not None else ""


def _by_severity(finding: Finding) -> int:
    return finding.severity.order


def check_unit(
    path: Path,
    *,
    name: str | None = None,
    finder: ConfigFinder | None = None,
    today: dt.date | None = None,
    deadlines: bool = True,
) -> UnitCheck:
    """Read and check one draft (without locking it): its row for the list and its findings.

    With `deadlines` the deadline warnings are added always; without, only when the draft
    states something a review desk set (kind, deadline, a review) or a `govreport.toml` covers
    it. A draft that cannot be read is a unit with a `problem`; a wrong `govreport.toml` raises
    `ConfigError`.
    """
    name = str(path) if name is None else name
    try:
        mtime = os.lstat(path).st_mtime
    except OSError:
        mtime = 0.0
    try:
        data, _st = read_draft(path)
        report = report_from_data(data, str(path))
        load_linked_files(report, path)
        findings = check_report(report)
    except DraftError as exc:
        return UnitCheck(Unit(path, name, mtime=mtime, problem=str(exc)), None, [])
    except Exception as exc:  # a bug must not take the rest of the folder with it
        problem = f"{path}：检查时出错（{type(exc).__name__}），请把这个文件报告给维护者"
        return UnitCheck(Unit(path, name, mtime=mtime, problem=problem), None, [])
    finder = finder or ConfigFinder()
    config = finder.for_draft(path)
    deadline = deadline_for(report, config)
    today = today or dt.date.today()
    warn_days = config.warn_days if config else WARN_DAYS
    if deadlines or config is not None or has_desk_facts(report):
        extra = deadline_findings(report, deadline, today, warn_days)
        if extra:
            findings = sorted([*findings, *extra], key=_by_severity)
    counts = severity_summary(findings).counts
    review = report.review
    comment = review.last_comment
    unit = Unit(
        path,
        name,
        report.org,
        report.year,
        report.format.id,
        format_short(report.format),
        review.status,
        review.last,
        comment.comment if comment else "",
        counts[Severity.ERROR],
        counts[Severity.WARNING],
        counts[Severity.INFO],
        mtime,
        deadline.due,
        deadline.days_left(today),
        deadline.kind.label,
        locked_by(path),
        warn_days=warn_days,
    )
    return UnitCheck(unit, report, findings)


def iter_units(
    paths: Sequence[Path],
    *,
    today: dt.date | None = None,
    finder: ConfigFinder | None = None,
    exclude: Iterable[Path] = (),
) -> Iterator[UnitCheck]:
    """Check the drafts named and every draft under the folders named, one at a time, in order.

    Drafts under a folder get the deadline warnings always (the folder is under review); a
    draft named by itself only when it or its folder says something a review desk set.
    """
    excluded = list(exclude)
    for given in paths:
        if given.is_dir() and given.suffix != ".toml":  # `x.toml/` is a mistake, reported as one
            folder_finder = finder or ConfigFinder(given)
            for path in draft_paths(given, excluded):
                yield check_unit(path, finder=folder_finder, today=today, deadlines=True)
        else:
            yield check_unit(given, finder=finder or ConfigFinder(), today=today, deadlines=False)


def list_units(paths: Sequence[Path], *, today: dt.date | None = None) -> Iterator[Unit]:
    """The rows of the review list, one at a time (the findings are dropped as soon as counted)."""
    for checked in iter_units(paths, today=today):
        yield checked.unit


# --- the list: summary, sorting, filtering ------------------------------------------------------


@dataclass
class UnitsSummary:
    """Counts over the units listed: the summary line of `check DIR` and of the review screen."""

    units: int = 0
    unreadable: int = 0
    with_errors: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    overdue: int = 0

    def add(self, unit: Unit) -> None:
        self.units += 1
        if not unit.readable:
            self.unreadable += 1
            return
        self.with_errors += unit.errors > 0
        self.submitted += unit.status is ReviewStatus.SUBMITTED
        self.returned += unit.status is ReviewStatus.RETURNED
        self.approved += unit.status is ReviewStatus.APPROVED
        self.overdue += unit.overdue

    @classmethod
    def of(cls, units: Iterable[Unit]) -> UnitsSummary:
        summary = cls()
        for unit in units:
            summary.add(unit)
        return summary

    @property
    def text(self) -> str:
        """E.g. `共 48 个单位：有错误 5，待审 3，退回 2，通过 30，逾期 4，无法读取 1`."""
        parts = [
            f"有错误 {self.with_errors}",
            f"待审 {self.submitted}",
            f"退回 {self.returned}",
            f"通过 {self.approved}",
            f"逾期 {self.overdue}",
        ]
        if self.unreadable:
            parts.append(f"无法读取 {self.unreadable}")
        return f"共 {self.units} 个单位：" + "，".join(parts)


class SortKey(StrEnum):
    """What the list can be sorted by; the label is shown in the list's heading."""

    NAME = "name"
    STATUS = "status"
    ERRORS = "errors"
    SAVED = "saved"
    DEADLINE = "deadline"

    @property
    def label(self) -> str:
        return {"name": "文件", "status": "审核状态", "errors": "错误数", "saved": "保存时间", "deadline": "剩余天数"}[
            self.value
        ]


def _sort_key(key: SortKey, unit: Unit) -> tuple[object, ...]:
    if key is SortKey.STATUS:
        return (not unit.readable, unit.status.order, unit.name)
    if key is SortKey.ERRORS:
        return (not unit.readable, -unit.errors, -unit.warnings, unit.name)
    if key is SortKey.SAVED:
        return (-unit.mtime, unit.name)
    if key is SortKey.DEADLINE:
        return (unit.days_left is None, unit.status is ReviewStatus.APPROVED, unit.days_left or 0, unit.name)
    return (unit.name,)


def sort_units(units: Iterable[Unit], key: SortKey) -> list[Unit]:
    """The units in the order the office asked for (unreadable ones last, except by name)."""
    return sorted(units, key=lambda unit: _sort_key(key, unit))


def filter_units(units: Iterable[Unit], status: ReviewStatus | None = None, errors_only: bool = False) -> list[Unit]:
    """Only the units of one status, or only those with errors (or unreadable), or both."""
    return [
        u
        for u in units
        if (status is None or (u.readable and u.status is status)) and (not errors_only or u.errors or not u.readable)
    ]


# --- setting a status -----------------------------------------------------------------------------


def set_unit_status(
    path: Path,
    status: ReviewStatus,
    *,
    comment: str = "",
    by: str | None = None,
    now: dt.datetime | None = None,
) -> ReviewEntry:
    """Change the review status stored in a draft file, under its lock; the change recorded.

    Raises `DraftLocked` (with the holder: ask, take over or leave it) when someone has the
    draft open, `ReviewRefused` when the rules forbid the change (errors, no comment for 退回),
    `DraftError` when it cannot be read or written.
    """
    with locked_for_write(path, "修改审核状态"):
        data, _st = read_draft(path)
        report = report_from_data(data, str(path))
        load_linked_files(report, path)
        errors = severity_summary(check_report(report)).errors
        entry = change_status(report, status, errors=errors, comment=comment, by=by, now=now)
        save_report(report, path)
    return entry


def set_session_status(
    session: DraftSession, status: ReviewStatus, *, comment: str = "", by: str | None = None
) -> ReviewEntry:
    """Change the review status of a draft open in the wizard (a unit submits it) and save it at once.

    The same rules as `set_unit_status`; when the save fails the status is put back and the
    `DraftError` raised.
    """
    errors = severity_summary(session.findings).errors
    review = session.report.review
    before = (review.status, list(review.history))
    entry = change_status(session.report, status, errors=errors, comment=comment, by=by)
    session.dirty = True
    try:
        session.save()
    except DraftError:
        review.status, review.history = before
        raise
    return entry
