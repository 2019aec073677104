"""Opening a draft for editing: read it, take its lock, and ask when it is damaged, cut off or in use."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.lock import DraftLock, LockBusy
from ..core.session import DraftSession
from ..core.store import DraftError, backup_path, load_report, remove_stale_temp_files, restore_backup
from .screens.choice import ChoiceScreen

if TYPE_CHECKING:
    from .app import GovReportApp


class Opener:
    """Takes a path to an open, locked draft in the editor, with a dialog wherever something is wrong."""

    def __init__(self, app: GovReportApp, preloaded: DraftSession | None = None) -> None:
        self.app = app
        self._preloaded = preloaded  # already read by the command line

    def open(self, path: Path | None) -> None:
        """Open a draft for editing: read it, lock it, show it. Dialogs where something is wrong."""
        if path is None:
            return
        try:
            preloaded = self._preloaded if self._preloaded is not None and self._preloaded.path == path else None
            self._preloaded = None
            session = preloaded or DraftSession.open(path)
        except DraftError as exc:
            self.app.run_worker(self._recover(path, exc), exclusive=True, group="open")
            return
        if session.report.missing_cells and backup_path(path).is_file():
            self.app.run_worker(self._incomplete(path, session), exclusive=True, group="open")
            return
        self._lock_and_edit(path, session)

    def _lock_and_edit(self, path: Path, session: DraftSession) -> None:
        lock: DraftLock | None = DraftLock(path)
        assert lock is not None
        try:
            lock.acquire()
        except LockBusy as busy:
            self.app.run_worker(self._busy(path, session, lock, busy), exclusive=True, group="open")
            return
        except OSError as exc:
            lock = None
            self.app.notify(f"{exc}。无法防止他人同时编辑。", severity="warning", timeout=10)
        else:
            remove_stale_temp_files(path)  # only we write this draft now
        self.app.edit(session, lock)

    def back_to_start(self) -> None:
        if self.app.session is None:
            if type(self.app.screen).__name__ == "StartScreen":
                return
            self.app.show_start()

    async def _incomplete(self, path: Path, session: DraftSession) -> None:
        """A draft that parses but lacks cells (cut off by a copy, or edited by hand)."""
        missing = session.report.missing_cells
        answer = await self.app.push_screen_wait(
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
            self.back_to_start()

    def _use_backup(self, path: Path) -> None:
        """Put the backup in place (the current file is kept under a new name) and open it."""
        try:
            kept = restore_backup(path)
        except OSError as exc:
            self.app.notify(f"无法恢复备份：{exc}", severity="error", timeout=15)
            self.back_to_start()
            return
        self.app.notify(f"已改用备份；原来的文件保留为 {kept.name}", timeout=10)
        self.open(path)

    async def _recover(self, path: Path, error: DraftError) -> None:
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
        answer = await self.app.push_screen_wait(ChoiceScreen("草稿无法打开", f"{error}\n\n{note}", choices))
        if answer == "backup":
            self._use_backup(path)
        elif answer == "quit":
            self.app.exit()
        else:
            self.back_to_start()

    async def _busy(self, path: Path, session: DraftSession, lock: DraftLock, busy: LockBusy) -> None:
        """Someone else has the draft open: read-only, take over, or leave it."""
        holder = busy.holder
        who = holder.describe() if holder else "另一个会话"
        answer = await self.app.push_screen_wait(
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
            self.app.edit(session, None)
        elif answer == "takeover":
            self.app.notify("正在请对方保存并退出……", timeout=5)
            try:
                await asyncio.to_thread(lock.take_over, holder)
            except LockBusy:
                self.app.notify("对方没有退出（可能在另一台电脑上），改为只读打开。", severity="warning", timeout=10)
                session.read_only = True
                self.app.edit(session, None)
                return
            try:
                fresh = DraftSession.open(path)  # what the other session saved on its way out
            except DraftError as exc:
                lock.release()
                await self._recover(path, exc)
                return
            self.app.edit(fresh, lock)
        else:
            self.back_to_start()
