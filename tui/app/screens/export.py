"""The export screen: preview Markdown, text and HTML; write files; copy; a plain view."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static, TextArea

from ...core.checks import count_by_severity
from ...core.render import EXPORTS, render
from ...core.session import DraftSession
from ...core.store import atomic_write
from ..widgets.keybar import KeyBar
from .paths import PathDialog


class ExportScreen(Screen[None]):
    """Preview an export and put it where the clerk needs it."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="back"),
        Binding("1", "kind('md')", "切换格式", id="kind-md", key_display="1/2/3"),
        Binding("2", "kind('txt')", "纯文本", id="kind-txt", show=False),
        Binding("3", "kind('html')", "HTML", id="kind-html", show=False),
        Binding("ctrl+w", "write", "写入文件", id="write", priority=True),
        Binding("ctrl+o", "write_as", "另存为", id="write-as", priority=True),
        Binding("ctrl+y", "copy", "复制", id="copy", priority=True),
        Binding("ctrl+t", "plain", "终端查看", id="plain", priority=True),
    ]

    def __init__(self, session: DraftSession, kind: str = "txt") -> None:
        super().__init__()
        self.session = session
        self.kind = kind
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="export-kind")
        view = TextArea("", id="export-view", read_only=True, soft_wrap=False, show_line_numbers=False)
        view.cursor_blink = False
        yield view
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_kind(self.kind)
        self.query_one(TextArea).focus()

    def target(self) -> Path:
        base = self.session.path or Path.cwd() / "report.toml"
        return base.with_suffix(f".{self.kind}")

    def action_kind(self, kind: str) -> None:
        self.kind = kind
        self.text = render(self.session.report, kind)
        errors = count_by_severity(self.session.findings)["error"]
        warn = f"　注意：还有 {errors} 个错误，仅供预览" if errors else ""
        names = "　".join(f"{i}.{label}" for i, (_t, label) in enumerate(EXPORTS.values(), 1))
        self.query_one("#export-kind", Static).update(f"{names}　当前：{EXPORTS[kind][1]}{warn}", layout=False)
        self.query_one(TextArea).load_text(self.text)

    def _write(self, path: Path) -> None:
        try:
            atomic_write(path, self.text.encode("utf-8"), backup=False, mode=0o644)
        except OSError as exc:
            self.notify(f"无法写入 {path}：{exc.strerror or exc}", severity="error", timeout=8)
            return
        self.notify(f"已导出到 {path}")

    def action_write(self) -> None:
        self._write(self.target())

    @work
    async def action_write_as(self) -> None:
        path = await self.app.push_screen_wait(PathDialog(self.target()))
        if path is not None:
            self._write(path)

    def action_copy(self) -> None:
        """OSC 52 clipboard (works over SSH in most terminals); the file is written too."""
        self.app.copy_to_clipboard(self.text)
        self._write(self.target())
        self.notify("已发送到剪贴板（终端须支持 OSC 52）；同时已写入文件。")

    def action_plain(self) -> None:
        """Leave full-screen mode and print the text, for the terminal's own selection."""
        try:
            with self.app.suspend():
                print(self.text)
                input("\n—— 以上为导出内容，可用鼠标选中复制。按回车键返回 ——")
        except SuspendNotSupported:  # e.g. headless: keep the preview
            self.notify("此终端不支持切换到纯文本查看，请使用写入文件。", severity="warning")
