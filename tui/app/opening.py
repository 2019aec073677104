"""Opening a draft for editing: lock it, read it, and ask when it is damaged, cut off or in use."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.lock import LockBusy, TakeOverRefused
from ..core.safetext import safe_text
from ..core.session import OpenResult, OpenState, open_draft, take_over
from ..core.store import DraftError, backup_path, load_report, restore_backup
from .screens.choice import ChoiceScreen

if TYPE_CHECKING:
    from .app import GovReportApp


class Opener:
    """Takes a path to a draft in the editor (locked, or read-only with the reason), asking where needed."""

    def __init__(self, app: GovReportApp) -> None:
        self.app = app

    def open(self, path: Path | None) -> None:
        """Open a draft for editing: lock it, read it, show it. Dialogs where something is wrong."""
        if path is None:
            return
        result = open_draft(path)
        if result.state is OpenState.DAMAGED:
            assert result.error is not None
            self.app.run_worker(self._recover(path, result.error), exclusive=True, group="open")
        elif result.state is OpenState.BUSY:
            self.app.run_worker(self._busy(result), exclusive=True, group="open")
        else:
            assert result.session is not None
            if result.session.report.missing_cells and backup_path(path).is_file():
                self.app.run_worker(self._incomplete(result), exclusive=True, group="open")
            else:
                self.app.edit(result.session, result.message)

    def back_to_start(self) -> None:
        if self.app.session is None:
            if type(self.app.screen).__name__ == "StartScreen":
                return
            self.app.show_start()

    async def _incomplete(self, result: OpenResult) -> None:
        """A draft that parses but lacks cells (cut off by a copy, or edited by hand)."""
        session, path = result.session, result.path
        assert session is not None
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                "草稿文件可能不完整",
                f"{path}：文件中缺少 {session.report.missing_cells} 个单元格的记录，可能在复制或保存时被截断。\n"
                "照常打开时，这些单元格为空白；也可以改用上一次保存的备份（当前文件会改名保留）。",
                [("backup", "改用上一次保存的备份"), ("open", "照常打开"), ("list", "返回草稿列表")],
            )
        )
        if answer == "open":
            self.app.edit(session, result.message)
            return
        session.close()
        if answer == "backup":
            self._use_backup(path)
        else:
            self.back_to_start()

    def _use_backup(self, path: Path) -> None:
        """Put the backup in place (the current file is kept under a new name) and open it."""
        try:
            kept = restore_backup(path)
        except OSError as exc:
            self.app.notify(safe_text(f"无法恢复备份：{exc}"), severity="error", timeout=15, markup=False)
            self.back_to_start()
            return
        self.app.notify(safe_text(f"已改用备份；原来的文件保留为 {kept.name}"), timeout=10, markup=False)
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
                choices.insert(0, ("backup", f"改用上一次保存的备份（{when}，{safe_text(saved.title)}）"))
                note = "可以改用上一次保存的备份；损坏的文件会改名保留，不会删除。"
            except DraftError as exc:
                note = f"备份也无法使用：{safe_text(exc)}"
        message = f"{safe_text(error)}\n\n{note}"
        answer = await self.app.push_screen_wait(ChoiceScreen("草稿无法打开", message, choices))
        if answer == "backup":
            self._use_backup(path)
        elif answer == "quit":
            self.app.exit()
        else:
            self.back_to_start()

    async def _busy(self, result: OpenResult) -> None:
        """Another session of this program has the draft open: read-only, take over (when allowed), or leave it."""
        session = result.session
        assert session is not None
        choices = [("readonly", "只读打开（可以查看、导出）")]
        if result.can_take_over:
            choices.append(("takeover", "接管：让对方保存并退出，由我继续编辑"))
        choices.append(("quit", "不打开"))
        hint = "\n断线后重新登录时，旧会话可能还在：这时选择“接管”。" if result.can_take_over else ""
        answer = await self.app.push_screen_wait(ChoiceScreen("草稿正在被编辑", result.message + hint, choices))
        if answer == "readonly":
            self.app.edit(session, "以只读方式打开：修改不会保存。")
        elif answer == "takeover":
            self.app.notify("正在请对方保存并退出……", timeout=5)
            try:
                fresh = await asyncio.to_thread(take_over, result.path, result.holder)
            except TakeOverRefused as exc:
                self.app.notify(safe_text(exc), severity="warning", timeout=10, markup=False)
                self.app.edit(session, "以只读方式打开：修改不会保存。")
                return
            except LockBusy:
                self.app.notify("对方没有退出（可能在另一台电脑上），改为只读打开。", severity="warning", timeout=10)
                self.app.edit(session, "以只读方式打开：修改不会保存。")
                return
            if fresh.state is OpenState.DAMAGED:
                assert fresh.error is not None
                await self._recover(result.path, fresh.error)
                return
            assert fresh.session is not None
            self.app.edit(fresh.session, fresh.message)
        else:
            self.back_to_start()
