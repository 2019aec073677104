"""The Textual application: screens, global keys, the command palette, autosave, hang-ups."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Iterable
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from ..core.session import DraftSession, sections
from ..core.store import DraftError
from .screens.dialogs import FindingsScreen, HelpScreen, TooSmallScreen
from .screens.editor import EditorScreen

MIN_WIDTH, MIN_HEIGHT = 80, 24
AUTOSAVE_QUIET = 2.0  # seconds after the last change
AUTOSAVE_MAX = 10.0  # at the latest, during continuous typing


class GovReportApp(App[None]):
    """政府信息公开工作年度报告填报向导."""

    CSS_PATH = "app.tcss"
    TITLE = "政府信息公开工作年度报告"
    ENABLE_COMMAND_PALETTE = False  # replaced by a Chinese one below
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", id="save", priority=True, tooltip="保存草稿"),
        Binding("ctrl+f", "findings", "问题", id="findings", priority=True, tooltip="所有错误和警告"),
        Binding("ctrl+e", "export", "导出", id="export", priority=True, tooltip="导出 Markdown、纯文本、HTML"),
        Binding("ctrl+g,f1", "help", "帮助", id="help", priority=True, tooltip="按键说明"),
        Binding("ctrl+p", "palette", "命令", id="palette", priority=True, show=False, tooltip="按名称查找操作"),
        Binding("ctrl+q", "quit_app", "退出", id="quit", priority=True, tooltip="保存并退出"),
    ]

    def __init__(
        self, path: Path | None = None, directory: Path | None = None, *, session: DraftSession | None = None
    ) -> None:
        super().__init__()
        self.start_path = path
        self.directory = directory or Path.cwd()
        self.session: DraftSession | None = None
        self._opened = session  # already read by the command line
        self._autosave_timer: Timer | None = None
        self._first_unsaved: float | None = None
        self._save_failed = False
        self._too_small: TooSmallScreen | None = None

    # --- start -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not in the main thread
                loop.add_signal_handler(sig, self.hang_up)
        if self.start_path is not None:
            self.open_draft(self.start_path)
        else:
            self.show_start()
        self._check_size(self.size.width, self.size.height)

    def show_start(self) -> None:
        from .screens.start import StartScreen

        self.push_screen(StartScreen(self.directory), self.open_draft)

    def open_draft(self, path: Path | None) -> None:
        if path is None:
            return
        try:
            session = self._opened if self._opened and self._opened.path == path else DraftSession.open(path)
            self._opened = None
        except DraftError as exc:
            self.notify(f"无法打开草稿：{exc}", severity="error", timeout=15)
            if type(self.screen).__name__ != "StartScreen":
                self.show_start()
            return
        self.session = session
        self.push_screen(EditorScreen(session))

    @property
    def editor(self) -> EditorScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, EditorScreen):
                return screen
        return None

    # --- saving ----------------------------------------------------------------------------

    def schedule_autosave(self) -> None:
        """Save 2 s after the last change, and at least every 10 s while the clerk types."""
        now = time.monotonic()
        if self._first_unsaved is None:
            self._first_unsaved = now
        delay = min(AUTOSAVE_QUIET, max(0.0, self._first_unsaved + AUTOSAVE_MAX - now))
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(delay, self.autosave)

    def autosave(self) -> bool:
        """Save if there is anything to save; on failure keep the work in memory and say so."""
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        session = self.session
        if session is None or not session.dirty:
            return True
        try:
            session.save()
        except DraftError as exc:
            if not self._save_failed:
                self.notify(f"{exc}。修改仍在内存中，请检查磁盘后按 Ctrl+S 重试。", severity="error", timeout=15)
            self._save_failed = True
            return False
        self._save_failed = False
        self._first_unsaved = None
        if self.editor is not None:
            self.editor.update_statusbar()
        return True

    def action_save(self) -> None:
        if self.session is None:
            return
        self.session.dirty = True  # Ctrl+S always writes, even when nothing changed
        if self.autosave():
            self.notify("已保存", timeout=2)

    def hang_up(self) -> None:
        """SIGHUP (SSH dropped) or SIGTERM: save at once, then leave cleanly."""
        if self.session is not None and (self.session.dirty or self.session.position_moved):
            with contextlib.suppress(DraftError):
                self.session.save()
        self.exit()

    def action_quit_app(self) -> None:
        if self.session is not None and self.session.position_moved:
            self.session.dirty = True  # keep where the clerk was for next time
        if self.autosave():
            self.exit()

    # --- screens ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "findings", "export") and self.session is None:
            return False
        return not (action in ("findings", "export") and not isinstance(self.screen, EditorScreen))

    def action_findings(self) -> None:
        editor = self.editor
        if self.session is None or editor is None or self.screen is not editor:
            return

        def chosen(finding: object) -> None:
            if finding is not None:
                editor.jump_to(finding)  # type: ignore[arg-type]

        self.push_screen(FindingsScreen(self.session.findings), chosen)

    def action_export(self) -> None:
        if self.session is not None and self.screen is self.editor:
            from .screens.export import ExportScreen  # brings in Jinja2: not at start-up

            self.push_screen(ExportScreen(self.session))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_palette(self) -> None:
        from textual.command import CommandPalette

        if not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="输入操作名称，例如：导出、依申请公开"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("帮助：按键说明", "列出所有按键（Ctrl+G）", self.action_help)
        if self.session is not None:
            yield SystemCommand("保存", "保存草稿（Ctrl+S）", self.action_save)
            yield SystemCommand("问题列表", "所有错误和警告，可跳转（Ctrl+F）", self.action_findings)
            yield SystemCommand("导出", "Markdown、纯文本、HTML（Ctrl+E）", self.action_export)
            editor = self.editor
            if editor is not None:
                for section in sections(self.session.report.format):
                    yield SystemCommand(f"转到：{section.title}", "打开这一节", lambda s=section.id: editor.go(s))
        yield SystemCommand("退出", "保存并退出（Ctrl+Q）", self.action_quit_app)

    # --- terminal size ---------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and self._too_small is None:
            self.autosave()
            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)
            self.call_after_refresh(self._too_small.show_size, width, height)
        elif small and self._too_small is not None and self._too_small.is_mounted:
            self._too_small.show_size(width, height)
        elif not small and self._too_small is not None:
            if self.screen is self._too_small:
                self.pop_screen()
            self._too_small = None
