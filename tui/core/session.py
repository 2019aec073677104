"""An editing session: one draft, its file, its findings, and the status of each section."""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .checks import Finding, LiveChecks
from .files import may_write
from .formats import CellRef, Format, Part
from .linked_files import load_linked_files
from .lock import DraftLock, Holder, LockBusy, LockUnavailable, held_here, lock_path
from .report import Report
from .review import ReviewEntry, reopen_after_edit
from .safetext import safe_text
from .severity import Severity
from .store import DraftError, read_draft, remove_stale_temp_files, report_from_data, save_report
from .totals import set_cell_with_totals, total_cells
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


class DraftReadOnly(DraftError):
    """The session or the file is read-only: nothing was written (a copy can be saved elsewhere)."""


class DraftLocked(DraftError):
    """Another session holds the draft's lock: nothing was written."""

    def __init__(self, message: str, holder: Holder | None) -> None:
        super().__init__(message)
        self.holder = holder


def _stamp(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def disk_stamp(path: Path) -> tuple[int, int, int] | None:
    """What identifies a version of a file on disk: modification time, size, inode (of the name itself:
    a draft swapped for a symlink is a change)."""
    try:
        return _stamp(os.lstat(path))
    except OSError:
        return None


def _locked(target: Path, busy_message: str, unavailable: str) -> DraftLock:
    """`target`'s lock, taken; `DraftLocked` naming the holder (in `busy_message`) or `DraftError`."""
    lock = DraftLock(target)
    try:
        lock.acquire()
    except LockBusy as busy:
        raise DraftLocked(f"{target}：{busy_message.format(holder=busy)}", busy.holder) from None
    except LockUnavailable as exc:
        raise DraftError(f"{target}：{exc.strerror}。{unavailable}") from None
    return lock


@contextlib.contextmanager
def _transient_lock(target: Path, doing: str) -> Iterator[None]:
    """Hold `target`'s lock for one write, unless this process holds it already."""
    if held_here(target):
        yield
        return
    lock = _locked(target, f"草稿正由{{holder}}打开，没有{doing}", f"为免覆盖别人的修改，没有{doing}")
    try:
        yield
    finally:
        lock.release()


def locked_for_write(target: Path, doing: str) -> contextlib.AbstractContextManager[None]:
    """The draft's lock for one change made outside an editing session (a review status, a sum).

    `DraftLocked` (with the holder) when another session has the draft open, `DraftError` when
    the lock cannot be taken; `doing` says what was not done, e.g. 修改审核状态.
    """
    return _transient_lock(target, doing)


def create_draft(report: Report, path: Path, *, overwrite: bool = False) -> None:
    """Write a new draft file (CLI `new`/`import`/`upgrade`, the start screen's new drafts).

    Refuses an existing path (even a dangling symlink) unless `overwrite`; never replaces a
    read-only file, nor a draft another session has open. Raises `DraftError`.
    """
    with _transient_lock(path, "保存"):
        save_report(report, path, replace=overwrite)


class DraftSession:
    """A report being edited, the file it lives in, and what the checks say about it.

    An editing session holds the draft's lock (`lock`, from `open_draft`); every save checks,
    under that lock, that the file is still the version read, then renames the new one over it.
    """

    clock = staticmethod(time.time)  # wall-clock time of saves (tests fix it)

    def __init__(
        self,
        report: Report,
        path: Path | None,
        *,
        read_only: bool = False,
        lock: DraftLock | None = None,
        read_only_reason: str = "",
    ) -> None:
        self.report = report
        self.path = path
        self.read_only = read_only
        self.read_only_reason = read_only_reason  # why, in Chinese, when the file itself is read-only
        self.lock = lock
        self.stamp = disk_stamp(path) if path is not None else None
        self.dirty = False
        self.position_moved = False
        self.saved_at: float | None = None
        self.review_reopened: ReviewEntry | None = None  # an edit took a submitted/approved report back
        self.findings: list[Finding] = []
        self.cell_findings: dict[CellRef, list[Finding]] = {}
        self.checks = LiveChecks(report)
        self._show(self.checks.findings)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> DraftSession:
        """Read a draft (without locking it: see `open_draft`). A file its permissions protect opens read-only."""
        data, st = read_draft(path)
        report = report_from_data(data, str(path))
        load_linked_files(report, path)  # last year's draft and rule packs, for their checks
        reason = ""
        if not may_write(st):
            reason = f"{path}：文件是只读的（权限 {stat.S_IMODE(st.st_mode):04o}），修改不会保存到它；可以另存为副本"
        session = cls(report, path, read_only=read_only or bool(reason), read_only_reason=reason)
        session.stamp = _stamp(st)  # the version that was read, even if it changes right after
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
        entry = reopen_after_edit(self.report)
        if entry is not None:
            self.review_reopened = entry

    def set_cell(self, ref: CellRef, value: CellValue) -> list[CellRef]:
        """Set a cell and the totals that follow it; returns every changed cell."""
        if self.read_only:
            return []
        confirmed = ref in self.report.to_confirm
        self.report.to_confirm.discard(ref)  # typed again, or changed: the clerk has looked at it
        if self.report.value(ref) == value and type(self.report.value(ref)) is type(value):
            if confirmed:
                self._touch()
                self._show(self.checks.cells_changed([ref]))
            return []
        changed = set_cell_with_totals(self.report, ref, value)
        self._touch()
        self._show(self.checks.cells_changed(changed))
        return changed

    def blank_cells(self, part_id: str) -> list[CellRef]:
        """The cells of a part's table not filled in, in table order."""
        table = self.report.format.part(part_id).table
        assert table is not None
        return [ref for ref, _col, _row in table.cells(part_id) if self.report.value(ref) is None]

    def fill_blanks(self, part_id: str) -> list[CellRef]:
        """Fill every blank cell of a part's table with 0 (totals follow their parts); the changed cells."""
        if self.read_only:
            return []
        totals = total_cells(self.report.format)
        blanks = sorted(self.blank_cells(part_id), key=lambda ref: ref in totals)  # parts first, then totals
        changed: list[CellRef] = []
        for ref in blanks:
            if self.report.value(ref) is None:  # a total may have followed its parts already
                changed += set_cell_with_totals(self.report, ref, 0)
        if changed:
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

    @contextlib.contextmanager
    def _save_lock(self, target: Path) -> Iterator[None]:
        """The draft's lock for one save: ours (taken again if its file was replaced), or taken for the save."""
        lock = self.lock
        if lock is None or lock.draft != target:
            with _transient_lock(target, "保存"):
                yield
            return
        if not lock.intact():  # someone deleted or replaced the lock file: lock the one now in place
            fresh = DraftLock(target)
            try:
                fresh.acquire()
            except LockBusy as busy:
                raise DraftLocked(f"{target}：锁文件被替换，草稿现在由{busy}打开，没有保存", busy.holder) from None
            except LockUnavailable as exc:
                raise DraftError(f"{target}：{exc.strerror}。为免覆盖别人的修改，没有保存") from None
            lock.release()
            self.lock = fresh
        yield

    def save(self, path: Path | None = None, *, force: bool = False) -> Path:
        """Write the draft (atomically); raises `DraftError` and stays dirty on failure.

        Under the draft's lock, refuses (`DraftConflict`) to replace a file that changed on disk
        since it was read, unless `force`; refuses (`DraftLocked`) when another session holds
        the lock and (`DraftReadOnly`) when the session or the file is read-only. Saving to
        another path is `save_as`.
        """
        if path is not None and path != self.path:
            return self.save_as(path)
        if self.read_only:
            raise DraftReadOnly(self.read_only_reason or f"{self.path}：以只读方式打开，不能保存（可以另存为副本）")
        target = self.path
        if target is None:
            raise ValueError("no path to save to")
        with self._save_lock(target):
            if not force and self.changed_on_disk():
                raise DraftConflict(f"{target}：文件在打开后被其他程序或其他电脑修改过")
            save_report(self.report, target)
            self.stamp = disk_stamp(target)
        self._saved(target)
        return target

    def save_as(self, target: Path, *, overwrite: bool = False) -> Path:
        """Write the draft to another file, which becomes the draft's file (and its lock, ours) from then on.

        The target's lock is taken before anything is written: a target another session has
        open is refused (`DraftLocked`), as is an existing file unless `overwrite`, and a
        read-only file always.
        """
        lock = _locked(target, "这个文件正由{holder}打开，没有保存", "没有保存")
        try:
            save_report(self.report, target, replace=overwrite)
        except BaseException:
            lock.release()
            raise
        if self.lock is not None:
            self.lock.release()
        self.lock = lock
        self.path = target
        self.read_only, self.read_only_reason = False, ""
        self.stamp = disk_stamp(target)
        self._saved(target)
        return target

    def _saved(self, target: Path) -> None:
        self.dirty = self.position_moved = False
        self.saved_at = self.clock()

    def close(self) -> None:
        """Let go of the draft's lock (the session can still be read, and saved again with a fresh lock)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def status(self) -> dict[str, tuple[Status, int]]:
        return section_status(self.report, self.findings)


class OpenState(StrEnum):
    """What opening a draft came to; every state but EDIT and DAMAGED opens it read-only."""

    EDIT = "edit"  # the lock is ours: edit and save
    BUSY = "busy"  # a verified session of this program has it (`holder`); taking over may be offered
    UNVERIFIED = "unverified"  # something that cannot be verified holds the lock: stale or forged, or another host
    NO_LOCK = "no_lock"  # the lock cannot be taken (permissions, a planted symlink, read-only folder)
    READ_ONLY_FILE = "read_only_file"  # the file's own permissions forbid writing it
    DAMAGED = "damaged"  # the file cannot be read (`error`): offer the backup


@dataclass
class OpenResult:
    """The outcome of `open_draft`: the session (unless damaged), and what to tell the clerk."""

    state: OpenState
    path: Path
    session: DraftSession | None = None
    holder: Holder | None = None
    message: str = ""  # Chinese for the clerk, already through `safe_text` (file names, holders)
    error: DraftError | None = None

    @property
    def can_take_over(self) -> bool:
        return self.state is OpenState.BUSY and self.holder is not None and self.holder.can_take_over


def open_draft(path: Path) -> OpenResult:
    """Open a draft for editing: take its lock, then read it (one use case for the app and scripts).

    The lock is taken first so the version read is the one this session may replace. When the
    lock is held elsewhere or cannot be taken, or the file is read-only, the session is
    read-only and `message` says why.
    """
    result = _open_draft(path)
    result.message = safe_text(result.message)
    return result


def _open_draft(path: Path) -> OpenResult:
    """The work of `open_draft`."""
    lock: DraftLock | None = DraftLock(path)
    holder: Holder | None = None
    state, message = OpenState.EDIT, ""
    try:
        assert lock is not None
        lock.acquire()
    except LockBusy as busy:
        lock, holder = None, busy.holder
        if holder is not None and holder.verified:
            state = OpenState.BUSY
            message = f"{path.name} 正由{holder.describe()}打开。同时编辑会互相覆盖。"
            if not holder.can_take_over:
                message += "只有该用户本人可以接管；可以只读打开。"
        else:
            state = OpenState.UNVERIFIED
            message = (
                f"{path.name} 的锁{busy}。为安全起见只读打开；如确认没有人在编辑，请删除锁文件 {lock_path(path)}。"
            )
    except LockUnavailable as exc:
        lock, state = None, OpenState.NO_LOCK
        message = f"{exc.strerror}。无法防止他人同时编辑，只读打开。"
    try:
        session = DraftSession.open(path, read_only=state is not OpenState.EDIT)
    except DraftError as exc:
        if lock is not None:
            lock.release()
        return OpenResult(OpenState.DAMAGED, path, holder=holder, message=str(exc), error=exc)
    if lock is not None:
        if session.read_only:  # the file's permissions
            lock.release()
            return OpenResult(OpenState.READ_ONLY_FILE, path, session, message=session.read_only_reason)
        session.lock = lock
        remove_stale_temp_files(path)  # only we write this draft now
    return OpenResult(state, path, session, holder, message)


def take_over(path: Path, holder: Holder | None, *, wait: float = 10.0) -> OpenResult:
    """Ask the verified session holding `path` to save and quit, then open what it saved, locked.

    Raises `TakeOverRefused` (nothing signalled: the holder is not a verifiable session of this
    user) or `LockBusy` (it did not let go in time); the caller then stays read-only.
    """
    lock = DraftLock(path)
    lock.take_over(holder, wait)
    try:
        session = DraftSession.open(path)
    except DraftError as exc:
        lock.release()
        return OpenResult(OpenState.DAMAGED, path, message=safe_text(exc), error=exc)
    if session.read_only:
        lock.release()
        return OpenResult(OpenState.READ_ONLY_FILE, path, session, message=safe_text(session.read_only_reason))
    session.lock = lock
    remove_stale_temp_files(path)
    return OpenResult(OpenState.EDIT, path, session)
