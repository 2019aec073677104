"""Keeping the draft safe: opening (lock, damaged files), autosave, conflicts, disk errors, hang-ups."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual.timer import Timer

from ..core.lock import DraftLock, LockBusy
from ..core.session import DraftConflict, DraftSession
from ..core.store import DraftError, backup_path, load_report, remove_stale_temp_files, restore_backup
from .screens.choice import ChoiceScreen
from .screens.editor import EditorScreen

if TYPE_CHECKING:
    from .app import GovReportApp


def _autosave_timing() -> tuple[float, float]:
    """(quiet, max) seconds: 2 s after the last change, at least every 10 s.

    `GOVREPORT_AUTOSAVE=quiet,max` scales both, for the fault-injection tests.
    """
    try:
        quiet, most = (float(x) for x in os.environ.get("GOVREPORT_AUTOSAVE", "").split(","))
        return quiet, most
    except ValueError:
        return 2.0, 10.0


def _sibling(path: Path, tag: str) -> Path:
    """`草稿.toml` → `草稿.<tag>-20250101-120000.toml`, for copies that must not overwrite anything."""
    return path.with_name(f"{path.stem}.{tag}-{time.strftime('%Y%m%d-%H%M%S')}{path.suffix}")


class DraftKeeper:
    """Mixin for the App: everything that stands between the clerk's work and its loss."""

    session: DraftSession | None
    lock: DraftLock | None
    directory: Path
    _autosave_timer: Timer | None
    _first_unsaved: float | None
    _save_failed: bool
    _asking: bool
    _watching_tty: bool

    def init_keeper(self) -> None:
        self.session = None
        self.lock = None
        self._autosave_timer = None
        self._first_unsaved = None
        self._save_failed = False
        self._asking = False  # a dialog about saving is open: autosave waits for the answer
        self._watching_tty = False
        self.autosave_quiet, self.autosave_max = _autosave_timing()

    # --- signals and a vanished terminal -----------------------------------------------------

    def watch_the_line(self: GovReportApp) -> None:
        """SIGHUP, SIGTERM, and a terminal gone without a signal (EOF/EIO) all save and leave."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not in the main thread
                loop.add_signal_handler(sig, self.hang_up)
        stdin = sys.__stdin__
        self._watching_tty = not self.is_headless and stdin is not None and stdin.isatty()
        if self._watching_tty:
            # Under nohup, or when the SSH server vanishes, no SIGHUP comes: the terminal just
            # stops being one (reads give EOF, Textual's input thread spins). Look twice a second.
            fd = stdin.fileno()
            self.set_interval(0.5, lambda: None if os.isatty(fd) else self.hang_up(), name="tty-watch")

    def hang_up(self: GovReportApp) -> None:
        """Save at once, whatever it takes (a copy if the file changed or cannot be written), then exit."""
        session = self.session
        if session is not None and not session.read_only and (session.dirty or session.position_moved):
            try:
                session.save()
            except DraftError:
                for target in (
                    _sibling(session.path, "unsaved") if session.path else None,
                    self.directory / f"unsaved-{time.strftime('%Y%m%d-%H%M%S')}.toml",
                ):
                    if target is None:
                        continue
                    with contextlib.suppress(DraftError, OSError):
                        session.save(target)
                        break
        if self.lock is not None:
            self.lock.release()
        stdin = sys.__stdin__
        if stdin is not None and not os.isatty(stdin.fileno()) and self._watching_tty:
            os._exit(0)  # the terminal is gone: the draft is saved, there is no screen to restore
        self.exit()
        if self._watching_tty:  # should leaving hang on a half-dead terminal, the work is on disk
            watchdog = threading.Timer(3.0, os._exit, args=(0,))
            watchdog.daemon = True
            watchdog.start()

    # --- opening ---------------------------------------------------------------------------

    def open_draft(self: GovReportApp, path: Path | None) -> None:
        """Open a draft for editing: read it, lock it, show it. Dialogs where something is wrong."""
        if path is None:
            return
        try:
            preloaded = self._opened if self._opened is not None and self._opened.path == path else None
            self._opened = None
            session = preloaded or DraftSession.open(path)
        except DraftError as exc:
            self.run_worker(self._recover(path, exc), exclusive=True, group="open")
            return
        if session.report.missing_cells and backup_path(path).is_file():
            self.run_worker(self._incomplete(path, session), exclusive=True, group="open")
            return
        self._lock_and_edit(path, session)

    def _lock_and_edit(self: GovReportApp, path: Path, session: DraftSession) -> None:
        lock = DraftLock(path)
        try:
            lock.acquire()
        except LockBusy as busy:
            self.run_worker(self._busy(path, session, lock, busy), exclusive=True, group="open")
            return
        except OSError as exc:
            lock = None
            self.notify(f"{exc}。无法防止他人同时编辑。", severity="warning", timeout=10)
        else:
            remove_stale_temp_files(path)  # only we write this draft now
        self._edit(session, lock)

    def _edit(self: GovReportApp, session: DraftSession, lock: DraftLock | None) -> None:
        self.session, self.lock = session, lock
        self.push_screen(EditorScreen(session))
        if session.read_only:
            self.notify("以只读方式打开：修改不会保存。可用 Ctrl+E 导出，或在命令面板中另存为副本。", timeout=10)

    def _back_to_start(self: GovReportApp) -> None:
        if self.session is None:
            if type(self.screen).__name__ == "StartScreen":
                return
            self.show_start()

    async def _incomplete(self: GovReportApp, path: Path, session: DraftSession) -> None:
        """A draft that parses but lacks cells (cut off by a copy, or edited by hand)."""
        missing = session.report.missing_cells
        answer = await self.push_screen_wait(
            ChoiceScreen(
                "草稿文件可能不完整",
                f"{path}：文件中缺少 {missing} 个单元格的记录，可能在复制或保存时被截断。\n"
                "照常打开时，这些单元格为空白；也可以改用上一次保存的备份（当前文件会改名保留）。",
                [("backup", "改用上一次保存的备份"), ("open", "照常打开"), ("list", "返回草稿列表")],
            )
        )
        if answer == "open":
            self._lock_and_edit(path, session)
        elif answer == "backup":
            self._use_backup(path)
        else:
            self._back_to_start()

    def _use_backup(self: GovReportApp, path: Path) -> None:
        """Put the backup in place (the current file is kept under a new name) and open it."""
        try:
            kept = restore_backup(path)
        except OSError as exc:
            self.notify(f"无法恢复备份：{exc}", severity="error", timeout=15)
            self._back_to_start()
            return
        self.notify(f"已改用备份；原来的文件保留为 {kept.name}", timeout=10)
        self.open_draft(path)

    async def _recover(self: GovReportApp, path: Path, error: DraftError) -> None:
        """A damaged draft: never overwritten; offer the backup."""
        backup = backup_path(path)
        choices = [("list", "返回草稿列表"), ("quit", "退出")]
        note = "文件不会被改动。"
        if backup.is_file() and not backup.is_symlink():
            try:
                saved = load_report(backup)
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(backup.stat().st_mtime))
                choices.insert(0, ("backup", f"改用上一次保存的备份（{when}，{saved.title}）"))
                note = "可以改用上一次保存的备份；损坏的文件会改名保留，不会删除。"
            except DraftError as exc:
                note = f"备份也无法使用：{exc}"
        answer = await self.push_screen_wait(ChoiceScreen("草稿无法打开", f"{error}\n\n{note}", choices))
        if answer == "backup":
            self._use_backup(path)
        elif answer == "quit":
            self.exit()
        else:
            self._back_to_start()

    async def _busy(self: GovReportApp, path: Path, session: DraftSession, lock: DraftLock, busy: LockBusy) -> None:
        """Someone else has the draft open: read-only, take over, or leave it."""
        holder = busy.holder
        who = holder.describe() if holder else "另一个会话"
        answer = await self.push_screen_wait(
            ChoiceScreen(
                "草稿正在被编辑",
                f"{path.name} 正由{who}打开。\n同时编辑会互相覆盖。断线后重新登录时，旧会话可能还在：这时选择“接管”。",
                [
                    ("readonly", "只读打开（可以查看、导出）"),
                    ("takeover", "接管：让对方保存并退出，由我继续编辑"),
                    ("quit", "不打开"),
                ],
            )
        )
        if answer == "readonly":
            session.read_only = True
            self._edit(session, None)
        elif answer == "takeover":
            self.notify("正在请对方保存并退出……", timeout=5)
            try:
                await asyncio.to_thread(lock.take_over, holder)
            except LockBusy:
                self.notify("对方没有退出（可能在另一台电脑上），改为只读打开。", severity="warning", timeout=10)
                session.read_only = True
                self._edit(session, None)
                return
            try:
                fresh = DraftSession.open(path)  # what the other session saved on its way out
            except DraftError as exc:
                lock.release()
                await self._recover(path, exc)
                return
            self._edit(fresh, lock)
        else:
            self._back_to_start()

    # --- saving ----------------------------------------------------------------------------

    def schedule_autosave(self: GovReportApp) -> None:
        """Save 2 s after the last change, and at least every 10 s while the clerk types."""
        now = time.monotonic()
        if self._first_unsaved is None:
            self._first_unsaved = now
        delay = min(self.autosave_quiet, max(0.0, self._first_unsaved + self.autosave_max - now))
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(delay, self.autosave)

    def autosave(self: GovReportApp) -> bool:
        """Save if there is anything to save; on failure the work stays in memory and the clerk is told."""
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        session = self.session
        if session is None or session.read_only or not session.dirty or self._asking:
            return session is None or not session.dirty
        try:
            session.save()
        except DraftConflict as exc:
            self.run_worker(self._conflict(exc), group="save")
            return False
        except DraftError as exc:
            if not self._save_failed:
                self.notify(f"{exc}。修改仍在内存中；按 Ctrl+S 重试或另存到其他位置。", severity="error", timeout=15)
            self._save_failed = True
            return False
        self._saved()
        return True

    def _saved(self: GovReportApp) -> None:
        self._save_failed = False
        self._first_unsaved = None
        if self.editor is not None:
            self.editor.update_statusbar()

    def action_save(self: GovReportApp) -> None:
        session = self.session
        if session is None:
            return
        if session.read_only:
            self.run_worker(self._save_as("以只读方式打开：请另存为副本"), group="save")
            return
        session.dirty = True  # Ctrl+S always writes, even when nothing changed
        try:
            session.save()
        except DraftConflict as exc:
            self.run_worker(self._conflict(exc), group="save")
            return
        except DraftError as exc:
            self.run_worker(self._failed(exc), group="save")
            return
        self._saved()
        self.notify("已保存", timeout=2)

    async def _ask(self: GovReportApp, title: str, message: str, choices: list[tuple[str, str]]) -> str | None:
        self._asking = True
        try:
            return await self.push_screen_wait(ChoiceScreen(title, message, choices))
        finally:
            self._asking = False

    async def _conflict(self: GovReportApp, error: DraftError) -> None:
        """The file changed on disk since we read it: never overwrite it silently."""
        if self._asking:
            return
        answer = await self._ask(
            "草稿文件被修改过",
            f"{error}。\n我的修改还没有写入文件。",
            [
                ("copy", "把我的内容另存为副本，继续编辑副本（两份都保留）"),
                ("mine", "用我的内容覆盖文件（文件中的另一份修改会丢失）"),
                ("later", "暂不保存（修改仍在内存中，Ctrl+S 时再问）"),
            ],
        )
        session = self.session
        if session is None or session.path is None:
            return
        try:
            if answer == "copy":
                target = session.save(_sibling(session.path, "副本"))
                self.notify(f"已另存为 {target.name}，之后保存到这份副本", timeout=10)
            elif answer == "mine":
                session.save(force=True)
            else:
                return
        except DraftError as exc:
            await self._failed(exc)
            return
        self._saved()

    async def _failed(self: GovReportApp, error: DraftError) -> None:
        """The disk refused (read-only, full, no permission): retry, or save elsewhere."""
        answer = await self._ask(
            "保存失败",
            f"{error}\n修改仍在内存中，没有丢失。可以处理好磁盘问题后重试，或另存到其他位置。",
            [("retry", "重试"), ("elsewhere", "另存到其他位置……"), ("cancel", "取消")],
        )
        if answer == "retry":
            self.action_save()
        elif answer == "elsewhere":
            await self._save_as("另存到其他位置")

    async def _save_as(self: GovReportApp, title: str) -> None:
        from .screens.export import PathDialog

        session = self.session
        if session is None:
            return
        default = session.path or self.directory / "report.toml"
        target = await self.push_screen_wait(PathDialog(_sibling(default, "副本"), title=title))
        if target is None:
            return
        try:
            session.save(target)
        except DraftError as exc:
            await self._failed(exc)
            return
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        with contextlib.suppress(LockBusy, OSError):
            lock = DraftLock(target)
            lock.acquire()
            self.lock = lock
        self._saved()
        self.notify(f"已保存到 {target}，之后保存到这个文件", timeout=10)

    def action_save_as(self: GovReportApp) -> None:
        self.run_worker(self._save_as("另存为"), group="save")

    def action_quit_app(self: GovReportApp) -> None:
        session = self.session
        if session is not None and session.position_moved and not session.read_only:
            session.dirty = True  # keep where the clerk was for next time
        if self.autosave():
            if self.lock is not None:
                self.lock.release()
            self.exit()
        elif session is not None and not self._asking:
            self.run_worker(self._quit_unsaved(), group="save")

    async def _quit_unsaved(self: GovReportApp) -> None:
        answer = await self._ask(
            "还有修改没有保存",
            "保存没有成功，退出会丢失这些修改。",
            [("elsewhere", "另存到其他位置，然后退出"), ("stay", "不退出"), ("discard", "放弃修改，直接退出")],
        )
        if answer == "elsewhere":
            await self._save_as("另存到其他位置")
            if self.session is not None and not self.session.dirty:
                self.exit()
        elif answer == "discard":
            self.exit()
