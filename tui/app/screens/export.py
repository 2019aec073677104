"""The export screen: preview Markdown, text, HTML (page or fragment) and Word; write files; copy; a plain view."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static, TextArea

from ...core.checks import count_by_severity
from ...core.files import ReadOnlyFile, describe_os_error
from ...core.render import EXPORTS, export_bytes, export_suffix, render
from ...core.safetext import safe_text
from ...core.session import DraftSession
from ...core.store import atomic_write
from ..widgets.display import screen_text
from ..widgets.keybar import KeyBar
from ..widgets.prose import Prose
from .paths import PathDialog

KIND_KEYS = {str(i): kind for i, kind in enumerate(EXPORTS, 1)}
"""The digit that picks each export on the screen: 1 Markdown … 5 Word."""

USES = {
    "md": "Markdown：用于文档平台，或转换为其他格式。网站请用 3 或 4，打印请用 5。",
    "txt-grid": "纯文本，表格对齐（中文字体下整齐）：用于校对。按 L 改为列表（每行不超过 80 列）。",
    "txt-list": "纯文本，表格逐行列出：用于网站的纯文字栏、电子邮件，每行不超过 80 列。按 L 改为网格。",
    "html": "HTML 网页：在浏览器中打开写出的文件，全选、复制，粘贴到网站编辑器：表格和格式都保留。",
    "html-fragment": "HTML 片段：把网站编辑器切换到「源代码」模式后粘贴。也可用 3 写出网页，在浏览器中打开后复制。",
    "docx": "Word 文档：公文版式，用于打印盖章，或用网站的「导入 Word」上传。",
}
"""How the clerk uses each export on the portal (or on paper)."""

COPIES = {
    "md": "复制本页文字",
    "txt": "复制本页文字",
    "html": "复制 HTML 片段（供编辑器「源代码」模式粘贴）",
    "html-fragment": "复制此片段",
    "docx": "Word 文件不能放到剪贴板，只写入文件",
}
"""What F6 / Ctrl+Y puts on the clipboard for each export (the file is written too)."""


def export_note(kind: str, tables: str, target: Path) -> str:
    """The lines under the kinds: how to use this export, what copying and writing do."""
    use = USES[f"txt-{tables}" if kind == "txt" else kind]
    return f"{use}\nF6/Ctrl+Y {COPIES[kind]}；F4/Ctrl+W 写入 {target.name}"


class ExportScreen(Screen[None]):
    """Preview an export and put it where the clerk needs it."""

    DEFAULT_CSS = """
    ExportScreen #export-note { padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "返回", id="back", tooltip="回到编辑"),
        *(
            Binding(
                key,
                f"kind('{kind}')",
                "格式",
                id=f"kind-{kind}",
                key_display="1-5",
                tooltip="切换格式：1 Markdown，2 纯文本，3 HTML 网页，4 HTML 片段，5 Word",
            )
            for key, kind in KIND_KEYS.items()
        ),
        Binding(
            "l,L",
            "tables",
            "表格排法",
            id="tables",
            show=False,
            key_display="L",
            tooltip="纯文本的表格：对齐的表格或逐行列出",
        ),
        Binding(
            "f4,ctrl+w", "write", "写入文件", id="write", priority=True, tooltip="写入草稿旁边的文件（文件名见说明行）"
        ),
        Binding("f5,ctrl+o", "write_as", "另存为", id="write-as", priority=True, tooltip="写入到指定的文件"),
        Binding(
            "f6,ctrl+y",
            "copy",
            "复制",
            id="copy",
            priority=True,
            tooltip="放到剪贴板（终端须支持 OSC 52），同时写入文件",
        ),
        Binding(
            "f7,ctrl+t",
            "plain",
            "终端查看",
            id="plain",
            priority=True,
            tooltip="离开全屏，在终端中显示文字，可用鼠标选中复制",
        ),
    ]

    def __init__(self, session: DraftSession, kind: str = "txt") -> None:
        super().__init__()
        self.session = session
        self.kind = kind
        self.tables = "grid"
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="export-kind")
        yield Prose(id="export-note")
        view = TextArea("", id="export-view", read_only=True, soft_wrap=False, show_line_numbers=False)
        view.cursor_blink = False
        yield view
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_kind(self.kind)
        self.query_one(TextArea).focus()

    def target(self) -> Path:
        base = self.session.path or Path.cwd() / "report.toml"
        return base.with_suffix(export_suffix(self.kind, self.tables))

    def clipboard_text(self) -> str | None:
        """What Ctrl+Y copies: the text shown, the fragment for both HTML kinds, nothing for Word."""
        if self.kind == "docx":
            return None
        if self.kind in ("html", "html-fragment"):
            return render(self.session.report, "html-fragment")
        return self.text

    def action_kind(self, kind: str) -> None:
        self.kind = kind
        report = self.session.report
        if kind == "docx":
            self.text = "Word 文档的文字内容（表格按行列出）：\n\n" + render(report, "txt", "list")
        else:
            self.text = render(report, kind, self.tables)
        kinds = Text(no_wrap=True, overflow="crop")
        for i, (key, k) in enumerate(KIND_KEYS.items()):
            kinds.append("　" if i else "")
            kinds.append(f"{key}.{EXPORTS[k].label}", style="reverse" if k == kind else "")
        errors = count_by_severity(self.session.findings)["error"]
        if errors:
            kinds.append(f"　有 {errors} 个错误", style="bold red")
        self.query_one("#export-kind", Static).update(kinds, layout=False)
        self.query_one("#export-note", Prose).update(export_note(kind, self.tables, self.target()))
        self.query_one(TextArea).load_text(screen_text(self.text))  # the text itself is copied and written

    def action_tables(self) -> None:
        """Tables of the plain text as an aligned grid, or one line per row."""
        if self.kind != "txt":
            return
        self.tables = "list" if self.tables == "grid" else "grid"
        self.action_kind(self.kind)

    def _write(self, path: Path) -> bool:
        try:
            data = export_bytes(self.session.report, self.kind, self.tables)
            atomic_write(path, data, backup=False)
        except ReadOnlyFile as exc:
            self.notify(safe_text(f"无法写入 {path}：{exc.strerror}"), severity="error", timeout=8, markup=False)
            return False
        except OSError as exc:
            reason = describe_os_error(exc)
            self.notify(safe_text(f"无法写入 {path}：{reason}"), severity="error", timeout=8, markup=False)
            return False
        self.notify(safe_text(f"已导出到 {path}"), markup=False)
        return True

    def action_write(self) -> None:
        self._write(self.target())

    @work
    async def action_write_as(self) -> None:
        path = await self.app.push_screen_wait(PathDialog(self.target()))
        if path is not None:
            self._write(path)

    def action_copy(self) -> None:
        """OSC 52 clipboard (works over SSH in most terminals); the file is written too."""
        text = self.clipboard_text()
        if text is not None:
            self.app.copy_to_clipboard(text)
        if not self._write(self.target()):
            return
        if text is None:
            self.notify("Word 文件不能放到剪贴板，已写入文件。")
        elif self.kind == "html":
            self.notify("已把 HTML 片段发送到剪贴板（终端须支持 OSC 52），供编辑器「源代码」模式粘贴；已写入整页文件。")
        else:
            self.notify("已发送到剪贴板（终端须支持 OSC 52）；同时已写入文件。")

    def action_plain(self) -> None:
        """Leave full-screen mode and print the text, for the terminal's own selection."""
        from ..hangup import wait_for_enter

        outcome = "enter"
        try:
            with self.app.suspend():
                sys.stdout.write(safe_text(self.text, keep_newlines=True))
                outcome = wait_for_enter("\n—— 以上为导出内容，可用鼠标选中复制。按回车键返回 ——")
        except SuspendNotSupported:  # e.g. headless: keep the preview
            self.notify("此终端不支持切换到纯文本查看，请使用写入文件。", severity="warning")
        if outcome != "enter":  # the line dropped, or we were asked to quit, while the text was shown
            self.app.line.hang_up()  # type: ignore[attr-defined]
