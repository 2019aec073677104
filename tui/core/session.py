"""An editing session: one draft, its file, its findings, and the status of each section."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .checks import Finding, LiveChecks
from .formats import CellRef, Format, Part
from .linked_files import load_linked_files
from .report import Report
from .severity import Severity
from .store import DraftError, load_report, save_report
from .totals import set_cell_with_totals
from .values import CellValue

BASIC = "basic"
FINISH = "finish"


class Status(StrEnum):
    """How far a section is."""

    EMPTY = "未填写"
    PROGRESS = "填写中"
    PROBLEMS = "有问题"
    DONE = "已完成"


@dataclass(frozen=True)
class Section:
    """One stop of the wizard: basic information, a part, or check & export."""

    id: str
    title: str
    part: Part | None = None

    @property
    def kind(self) -> str:
        if self.part is None:
            return self.id
        return "table" if self.part.table else "text"


def sections(fmt: Format) -> list[Section]:
    return [
        Section(BASIC, "基本信息"),
        *(Section(p.id, p.short or p.heading, p) for p in fmt.parts),
        Section(FINISH, "检查与导出"),
    ]


def section_of(finding: Finding) -> str:
    return finding.part or BASIC


def section_status(report: Report, findings: list[Finding]) -> dict[str, tuple[Status, int]]:
    """Status and number of problems (errors and warnings) of every section."""
    problems: dict[str, int] = {}
    for f in findings:
        if f.severity is not Severity.INFO:
            problems[section_of(f)] = problems.get(section_of(f), 0) + 1
    out: dict[str, tuple[Status, int]] = {}
    for sec in sections(report.format):
        n = problems.get(sec.id, 0)
        if sec.id == FINISH:
            total = sum(problems.values())
            out[sec.id] = (Status.PROBLEMS if total else Status.DONE, total)
            continue
        if sec.part is None:
            filled, complete = bool(report.org.strip()), bool(report.org.strip())
        elif sec.part.table is None:
            filled = complete = bool(report.text(sec.id).strip())
        else:
            values = [report.value(ref) for ref, _c, _r in sec.part.table.cells(sec.id)]
            filled = any(v is not None for v in values)
            complete = all(v is not None for v in values)
        errors = [f for f in findings if section_of(f) == sec.id and f.severity is Severity.ERROR]
        if errors or (n and filled):
            status = Status.PROBLEMS
        elif not filled:
            status = Status.EMPTY
        elif not complete or n:
            status = Status.PROGRESS
        else:
            status = Status.DONE
        out[sec.id] = (status, n)
    return out


class DraftConflict(DraftError):
    """The file on disk changed since it was read or last saved (another tool, another host)."""


def disk_stamp(path: Path) -> tuple[int, int, int] | None:
    """What identifies a version of a file on disk: modification time, size, inode."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class DraftSession:
    """A report being edited, the file it lives in, and what the checks say about it."""

    clock = staticmethod(time.time)  # wall-clock time of saves (tests fix it)

    def __init__(self, report: Report, path: Path | None, *, read_only: bool = False) -> None:
        self.report = report
        self.path = path
        self.read_only = read_only
        self.stamp = disk_stamp(path) if path is not None else None
        self.dirty = False
        self.position_moved = False
        self.saved_at: float | None = None
        self.changed_at: float | None = None
        self.findings: list[Finding] = []
        self.cell_findings: dict[CellRef, list[Finding]] = {}
        self.checks = LiveChecks(report)
        self._show(self.checks.findings)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> DraftSession:
        stamp = disk_stamp(path)
        report = load_report(path)
        load_linked_files(report, path)  # last year's draft and rule packs, for their checks
        session = cls(report, path, read_only=read_only)
        session.stamp = stamp  # the version that was read, even if it changes right after
        return session

    def changed_on_disk(self) -> bool:
        return self.path is not None and disk_stamp(self.path) != self.stamp

    def recheck(self) -> None:
        """Run every check again (after a change the session did not make itself)."""
        self._show(self.checks.rebuild())

    def _show(self, findings: list[Finding]) -> None:
        self.findings = findings
        marks: dict[CellRef, list[Finding]] = {}
        for f in findings:
            if f.rule == "CELL-BLANK" or f.text is not None:
                continue  # a blank cell shows as blank; a text finding marks its sentence, not the table
            for ref in f.cells:
                marks.setdefault(ref, []).append(f)
        self.cell_findings = marks

    def _touch(self) -> None:
        self.dirty = True
        self.changed_at = time.monotonic()

    def set_cell(self, ref: CellRef, value: CellValue) -> list[CellRef]:
        """Set a cell and the totals that follow it; returns every changed cell."""
        if self.read_only:
            return []
        if self.report.value(ref) == value and type(self.report.value(ref)) is type(value):
            return []
        changed = set_cell_with_totals(self.report, ref, value)
        self._touch()
        self._show(self.checks.cells_changed(changed))
        return changed

    def set_text(self, text_id: str, text: str) -> None:
        if self.read_only or self.report.text(text_id) == text:
            return
        self.report.set_text(text_id, text)
        self._touch()
        self._show(self.checks.text_changed(text_id))

    def set_meta(self, *, org: str | None = None, year: int | None = None) -> None:
        if self.read_only:
            return
        if org is not None and org != self.report.org:
            self.report.org = org
            self._touch()
        if year is not None and year != self.report.year:
            self.report.year = year
            self._touch()
        self._show(self.checks.meta_changed())

    def set_position(self, **where: str) -> None:
        """Remember where the clerk is; written with the next save, so reopening returns there."""
        if {k: v for k, v in self.report.position.items() if k in where} != where:
            self.report.position.update(where)
            self.position_moved = True

    def save(self, path: Path | None = None, *, force: bool = False) -> Path:
        """Write the draft (atomically); raises `DraftError` and stays dirty on failure.

        Refuses (`DraftConflict`) to overwrite a file that changed on disk since it was read,
        unless `force`. Saving to another path makes that the draft's file from then on.
        """
        if self.read_only and path is None:
            raise DraftError(f"{self.path}：以只读方式打开，不能保存（可以另存为副本）")
        target = path or self.path
        if target is None:
            raise ValueError("no path to save to")
        if target == self.path and not force and self.changed_on_disk():
            raise DraftConflict(f"{target}：文件在打开后被其他程序或其他电脑修改过")
        save_report(self.report, target)
        self.path = target
        self.read_only = False
        self.stamp = disk_stamp(target)
        self.dirty = self.position_moved = False
        self.saved_at = self.clock()
        return target

    def status(self) -> dict[str, tuple[Status, int]]:
        return section_status(self.report, self.findings)
