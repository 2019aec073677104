"""Saving the open draft: on a schedule, on Ctrl+S, and the dialogs when a save cannot be done."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.timer import Timer

from ..core.autosave import AutosaveSchedule
from ..core.rescue import sibling
from ..core.safetext import safe_text
from ..core.session import DraftConflict
from ..core.store import DraftError
from .screens.choice import ChoiceScreen

if TYPE_CHECKING:
    from .app import GovReportApp

UNPROMPTED_GRACE = 0.8
"""Seconds a question that opened by itself (an autosave found the file changed) ignores keys: the
clerk was typing into the report, and the keys still arriving were not meant as an answer."""


class Saver:
    """Between the clerk's changes and the file: autosave, Ctrl+S, conflicts, disk errors, save as, quit."""

    def __init__(self, app: GovReportApp) -> None:
        self.app = app
        self.schedule = AutosaveSchedule.from_environment()
        self._timer: Timer | None = None
        self._told_failure = False  # the clerk knows the disk refused; said again only after a save worked
        self.asking = False  # a dialog about saving is open: autosave waits for the answer
        self.deferred = False  # the clerk chose not to save over a changed file: only Ctrl+S or quit asks again

    # --- autosave --------------------------------------------------------------------------

    def changed(self) -> None:
        """The session changed: make sure a save is on its way."""
        session = self.app.session
        if session is None or session.read_only or not session.dirty or self.deferred:
            return
        self.schedule.changed(time.monotonic())
        self._arm()

    def _arm(self) -> None:
        """One timer at a time, set for when the schedule says; it looks again when it fires."""
        if self._timer is not None:
            return
        wait = self.schedule.wait(time.monotonic())
        if wait is not None:
            self._timer = self.app.set_timer(wait, self._tick, name="autosave")

    def _tick(self) -> None:
        self._timer = None
        if self.schedule.is_due(time.monotonic()):
            self.autosave()
        else:
            self._arm()  # changes came since the timer was set: the save is due later

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def autosave(self, *, then_quit: bool = False) -> bool:
        """Save if there is anything to save. False while unsaved work remains (the clerk is told why)."""
        session = self.app.session
        if session is None or session.read_only or not session.dirty:
            self._disarm()
            self.schedule.saved()
            return session is None or not session.dirty
        if self.asking or self.deferred:
            return False
        self._disarm()
        try:
            session.save()
        except DraftConflict as exc:
            self._start_conflict(exc, unprompted=not then_quit, then_quit=then_quit)
            return False
        except DraftError as exc:
            if not self._told_failure:
                self.app.notify(
                    f"{safe_text(exc)}。修改仍在内存中；按 Ctrl+S 重试或另存到其他位置。",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
                self._told_failure = True
            self.schedule.failed(time.monotonic())
            self._arm()
            return False
        self._saved()
        return True

    def _saved(self) -> None:
        self._told_failure = False
        self.deferred = False
        self.schedule.saved()
        self._disarm()
        editor = self.app.editor
        if editor is not None:
            editor.update_statusbar()

    # --- asked for -------------------------------------------------------------------------

    def save_now(self) -> None:
        """Ctrl+S: write the draft, even when nothing changed."""
        session = self.app.session
        if session is None:
            return
        if session.read_only:
            self.app.run_worker(self._save_as("以只读方式打开：请另存为副本"), group="save")
            return
        if self.asking:
            self._answer_first()
            return
        self.deferred = False
        session.dirty = True
        try:
            session.save()
        except DraftConflict as exc:
            self._start_conflict(exc, unprompted=False, then_quit=False)
            return
        except DraftError as exc:
            self.app.run_worker(self._failed(exc), group="save")
            return
        self._saved()
        self.app.notify("已保存", timeout=2)

    def save_as(self) -> None:
        self.app.run_worker(self._save_as("另存为"), group="save")

    def quit(self) -> None:
        """Save and quit; ask first when the work cannot be saved."""
        session = self.app.session
        if self.asking:
            self._answer_first()
            return
        if session is not None and session.position_moved and not session.read_only:
            session.dirty = True  # keep where the clerk was for next time
        self.deferred = False  # quitting asks again about a changed file
        if self.autosave(then_quit=True):
            self.app.release_lock()
            self.app.exit()
        elif session is not None and not self.asking:
            self.app.run_worker(self._quit_unsaved(), group="save")

    def _answer_first(self) -> None:
        self.app.notify("请先回答上面关于保存的问题", severity="warning", timeout=4)

    # --- dialogs ---------------------------------------------------------------------------

    async def _ask(
        self, title: str, message: str, choices: list[tuple[str, str]], *, unprompted: bool = False
    ) -> str | None:
        self.asking = True
        try:
            grace = UNPROMPTED_GRACE if unprompted else 0.0
            return await self.app.push_screen_wait(ChoiceScreen(title, message, choices, grace=grace))
        finally:
            self.asking = False

    def _start_conflict(self, error: DraftError, *, unprompted: bool, then_quit: bool) -> None:
        if self.asking:
            return
        self.asking = True  # from now: a quit or a second save waits for this question
        self.app.run_worker(self._conflict(error, unprompted=unprompted, then_quit=then_quit), group="save")

    async def _conflict(self, error: DraftError, *, unprompted: bool, then_quit: bool) -> None:
        """The file changed on disk since it was read: never overwrite it silently."""
        answer = await self._ask(
            "草稿文件被修改过",
            f"{safe_text(error)}。\n我的修改还没有写入文件。",
            [
                ("copy", "把我的内容另存为副本，继续编辑副本（两份都保留）"),
                ("mine", "用我的内容覆盖文件（文件中的另一份修改会丢失）"),
                ("later", "暂不保存（修改仍在内存中，Ctrl+S 或退出时再问）"),
            ],
            unprompted=unprompted,
        )
        session = self.app.session
        if session is None or session.path is None:
            return
        try:
            if answer == "copy":
                target = session.save_as(sibling(session.path, "副本"))
                self.app.notify(f"已另存为 {safe_text(target.name)}，之后保存到这份副本", timeout=10, markup=False)
            elif answer == "mine":
                session.save(force=True)
            else:
                self.deferred = True
                self.schedule.saved()
                self._disarm()
                self.app.notify("修改暂未保存，仍在内存中；按 Ctrl+S 或退出时再问", severity="warning", timeout=10)
                return
        except DraftError as exc:
            await self._failed(exc)
            return
        self._saved()
        if then_quit:
            self.app.release_lock()
            self.app.exit()

    async def _failed(self, error: DraftError) -> None:
        """The disk refused (read-only, full, no permission): retry, or save elsewhere."""
        answer = await self._ask(
            "保存失败",
            f"{safe_text(error)}\n修改仍在内存中，没有丢失。可以处理好磁盘问题后重试，或另存到其他位置。",
            [("retry", "重试"), ("elsewhere", "另存到其他位置……"), ("cancel", "取消")],
        )
        if answer == "retry":
            self.save_now()
        elif answer == "elsewhere":
            await self._save_as("另存到其他位置")

    async def _save_as(self, title: str) -> None:
        from .screens.paths import PathDialog

        session = self.app.session
        if session is None:
            return
        default = session.path or self.app.directory / "report.toml"
        target = await self.app.push_screen_wait(PathDialog(sibling(default, "副本"), title=title))
        if target is None:
            return
        overwrite = False
        if target.exists() or target.is_symlink():
            answer = await self._ask(
                "文件已存在",
                f"{safe_text(target)} 已经存在。覆盖它，这个文件原来的内容会丢失（保留为 .bak 备份）。",
                [("no", "不覆盖，换一个文件名"), ("yes", "覆盖")],
            )
            if answer != "yes":
                return
            overwrite = True
        try:
            session.save_as(target, overwrite=overwrite)
        except DraftError as exc:
            await self._failed(exc)
            return
        self._saved()
        self.app.notify(f"已保存到 {safe_text(target)}，之后保存到这个文件", timeout=10, markup=False)

    async def _quit_unsaved(self) -> None:
        answer = await self._ask(
            "还有修改没有保存",
            "保存没有成功，退出会丢失这些修改。",
            [("elsewhere", "另存到其他位置，然后退出"), ("stay", "不退出"), ("discard", "放弃修改，直接退出")],
        )
        if answer == "elsewhere":
            await self._save_as("另存到其他位置")
            if self.app.session is not None and not self.app.session.dirty:
                self.app.exit()
        elif answer == "discard":
            self.app.exit()
