"""The Textual application: screens, global keys, the command palette, the terminal's size."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..core.resources import package_text
from ..core.session import DraftSession, sections
from ..core.settings import Settings
from .hangup import LineWatch
from .opening import Opener
from .saving import Saver
from .screens.dialogs import FindingsScreen, HelpScreen, TooSmallScreen
from .screens.editor import EditorScreen
from .type_ahead import KeyGate, read_escape_then_key
from .widgets.section_views import TableView

MIN_WIDTH, MIN_HEIGHT = 80, 24

SHEET_COMMANDS = [
    ("details", "表格：单元格详情", "完整的行名、列名和涉及这一格的所有问题（Ctrl+D）"),
    ("fill_zeros", "表格：空白填 0", "把本表所有空白单元格填为 0，先询问（Ctrl+O）"),
    ("label_width", "表格：行名列宽窄", "加宽或还原左侧的行名列（Ctrl+K）"),
    ("enter_direction", "表格：回车方向", "回车键向下或向右移动，会记住（Ctrl+U）"),
    ("column_edge(-1)", "表格：到本列第一格", "Ctrl+Home"),
    ("column_edge(1)", "表格：到本列最后一格", "Ctrl+End"),
]
"""The table's own actions in the command palette (for terminals and browsers that keep the keys)."""


class GovReportApp(App[None]):
    """政府信息公开工作年度报告填报向导."""

    # Read through importlib.resources, not CSS_PATH: inside the .pyz the stylesheet is not a file on disk.
    CSS = package_text("app/app.tcss")
    TITLE = "政府信息公开工作年度报告"
    ENABLE_COMMAND_PALETTE = False  # replaced by a Chinese one below
    # Every action has an F-key (browser-based SSH consoles keep Ctrl+N/T/W/Q for themselves) and a
    # Ctrl key (PuTTY-family clients); the key bar and the help are drawn from these.
    BINDINGS = [
        Binding("f1,ctrl+g", "help", "帮助", id="help", priority=True, tooltip="本帮助：所有按键"),
        Binding("f2,ctrl+s", "save", "保存", id="save", priority=True, tooltip="保存草稿（修改后 2 秒也会自动保存）"),
        Binding(
            "f3,ctrl+f", "findings", "问题", id="findings", priority=True, tooltip="问题列表：所有错误和警告，回车跳转"
        ),
        Binding("f4,ctrl+e", "export", "导出", id="export", priority=True, tooltip="导出 Markdown、纯文本、HTML、Word"),
        Binding(
            "f8,ctrl+r", "redraw", "重绘", id="redraw", priority=True, show=False, tooltip="重绘屏幕（屏幕显示错乱时）"
        ),
        Binding("f9,ctrl+p", "palette", "命令", id="palette", priority=True, tooltip="命令面板：按名称查找操作和各节"),
        Binding("f10,ctrl+q", "quit_app", "退出", id="quit", priority=True, tooltip="保存并退出"),
    ]

    def __init__(self, path: Path | None = None, directory: Path | None = None, *, review: Path | None = None) -> None:
        super().__init__()
        self.start_path = path
        self.review_folder = review  # `govreport-tui review DIR`: the review desk instead of the start screen
        self.directory = directory or Path.cwd()
        self.session: DraftSession | None = None  # the draft being edited (it holds the draft's lock)
        self._too_small: TooSmallScreen | None = None
        self.key_gate = KeyGate(self)
        self.saver = Saver(self)
        self.opener = Opener(self)
        self.line = LineWatch(self)
        self.settings = Settings.load()
        self.crash_message = ""  # printed by the command line after the terminal is restored
        self.exit_notice = ""  # why the program left on its own (a take-over): printed the same way
        read_escape_then_key()

    def on_load(self) -> None:
        self.key_gate.count_messages()

    async def on_event(self, event: events.Event) -> None:
        if self.key_gate.holds(event):  # a key that arrived with others waits for its turn
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        self.line.start()
        if self.review_folder is not None:
            self.show_review(self.review_folder)
        elif self.start_path is not None:
            self.opener.open(self.start_path)
        else:
            self.show_start()
        self._check_size(self.size.width, self.size.height)

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: save the work, keep the details in a file, leave with one line of Chinese."""
        self.crash_message = self.line.crashed(error)
        super()._handle_exception(error)  # exit status 1 (and the error for Pilot tests)
        self._exit_renderables.clear()  # the traceback is in the file, not on the clerk's screen

    def show_start(self) -> None:
        from .screens.start import StartScreen

        self.push_screen(StartScreen(self.directory), self.opener.open)

    def show_review(self, folder: Path, *, can_go_back: bool = False) -> None:
        """The review desk over a folder of units' drafts."""
        from .screens.review import ReviewScreen

        self.push_screen(ReviewScreen(folder, can_go_back=can_go_back))

    def edit(self, session: DraftSession, note: str = "") -> None:
        """Show an opened draft in the editor; a read-only one with the reason (`note`, safe for the screen)."""
        self.session = session
        self.push_screen(EditorScreen(session, self.settings))
        if session.read_only:
            why = note or "以只读方式打开：修改不会保存。"
            self.notify(f"{why}可用 Ctrl+E 导出，或在命令面板中另存为副本。", timeout=10, markup=False)

    def release_lock(self) -> None:
        if self.session is not None:
            self.session.close()

    @property
    def editor(self) -> EditorScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, EditorScreen):
                return screen
        return None

    # --- saving ----------------------------------------------------------------------------

    @on(EditorScreen.Changed)
    def _draft_changed(self) -> None:
        self.saver.changed()

    @on(EditorScreen.SectionLeft)
    def _section_left(self) -> None:
        self.saver.autosave()

    def action_save(self) -> None:
        self.saver.save_now()

    def action_save_as(self) -> None:
        self.saver.save_as()

    def action_quit_app(self) -> None:
        self.saver.quit()

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

    def action_redraw(self) -> None:
        """Send the whole screen again (after line noise over a flaky link garbled it)."""
        self.screen.refresh(repaint=True, layout=True)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_palette(self) -> None:
        from textual.command import CommandPalette

        from .screens.palette import ChinesePalette

        if not isinstance(self.screen, CommandPalette):
            self.push_screen(ChinesePalette(placeholder="输入操作名称，例如：导出、依申请公开"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        own = getattr(screen, "palette_commands", None)  # a screen's own actions (the review desk, the editor)
        if own is not None:
            yield from own()
        yield SystemCommand("帮助：按键说明", "列出所有按键（Ctrl+G）", self.action_help)
        yield SystemCommand("重绘屏幕", "屏幕显示错乱时重新显示（Ctrl+R）", self.action_redraw)
        if self.session is not None:
            yield SystemCommand("保存", "保存草稿（Ctrl+S）", self.action_save)
            yield SystemCommand("另存为", "把草稿保存到另一个文件，之后编辑那一份", self.action_save_as)
            yield SystemCommand("问题列表", "所有错误和警告，可跳转（Ctrl+F）", self.action_findings)
            yield SystemCommand("导出", "Markdown、纯文本、HTML（Ctrl+E）", self.action_export)
            editor = self.editor
            view = editor.view if editor is not None else None
            if isinstance(view, TableView):
                sheet = view.sheet
                for action, title, help_text in SHEET_COMMANDS:
                    yield SystemCommand(title, help_text, lambda a=action: self.call_later(sheet.run_action, a))
            if editor is not None:
                for section in sections(self.session.report.format):
                    yield SystemCommand(
                        f"转到：{section.title}", "打开这一节", lambda s=section.id: editor.show_section(s)
                    )
        yield SystemCommand("退出", "保存并退出（Ctrl+Q）", self.action_quit_app)

    # --- terminal size ---------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and self._too_small is None:
            self.saver.autosave()
            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)  # it shows the size once it is up (Uncovered)
        elif small and self._too_small is not None and self.screen is self._too_small:
            self._too_small.show_size(width, height, self._work_saved())
        elif not small and self._too_small is not None and self.screen is self._too_small:
            self.pop_screen()
            self._too_small = None
        # a dialog opened above the notice: the notice looks again when the dialog closes

    @on(TooSmallScreen.Uncovered)
    def _too_small_uncovered(self) -> None:
        self._check_size(self.size.width, self.size.height)

    def _work_saved(self) -> bool | None:
        """For the too-small notice: the work is on disk, only in memory, or there is no draft open."""
        session = self.session
        if session is None:
            return None
        return not session.dirty
